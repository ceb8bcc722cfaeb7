"""The roles of DESIGN.md as Django groups, each with the permissions it needs.

`sync_roles()` makes the groups match this table; migrations and `insuredesk demo` call it.
"""

from enum import StrEnum


class Role(StrEnum):
    CUSTOMER = "customer"  # policyholder, insured, beneficiary or prospect
    AGENT = "agent"  # consultations, clause explanations, lectures, visits, applications
    UNDERWRITER = "underwriter"  # applications and medical examinations
    CLAIMS_HANDLER = "claims_handler"  # investigates, assesses, negotiates, pays or refuses
    SURVEYOR = "surveyor"  # surveys the loss on site and reports
    COMPLAINT_HANDLER = "complaint_handler"  # complaints to their deadlines, root causes
    SUPERVISOR = "supervisor"  # approvals, improvement plans, everyone's queues
    ADMINISTRATOR = "administrator"  # products, clauses, rules, users


STAFF_ROLES = frozenset(Role) - {Role.CUSTOMER}

# Model permissions by role, as "app_label.codename"; the view_* ones let staff read the admin.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CUSTOMER: [],
    Role.AGENT: [
        "customers.view_customerprofile",
        "catalog.view_product",
        "catalog.view_clause",
        "policies.view_policy",
    ],
    Role.UNDERWRITER: [
        "customers.view_customerprofile",
        "catalog.view_product",
        "catalog.view_clause",
        "policies.view_policy",
        "policies.change_policy",
    ],
    Role.CLAIMS_HANDLER: [
        "customers.view_customerprofile",
        "catalog.view_product",
        "catalog.view_clause",
        "policies.view_policy",
    ],
    Role.SURVEYOR: ["policies.view_policy", "catalog.view_clause"],
    Role.COMPLAINT_HANDLER: [
        "customers.view_customerprofile",
        "catalog.view_product",
        "catalog.view_clause",
        "policies.view_policy",
    ],
    Role.SUPERVISOR: [
        "customers.view_customerprofile",
        "customers.change_customerprofile",
        "catalog.view_product",
        "catalog.view_clause",
        "policies.view_policy",
    ],
    Role.ADMINISTRATOR: [
        "catalog.add_product",
        "catalog.change_product",
        "catalog.view_product",
        "catalog.add_productversion",
        "catalog.change_productversion",
        "catalog.view_productversion",
        "catalog.add_coverage",
        "catalog.change_coverage",
        "catalog.view_coverage",
        "catalog.add_clause",
        "catalog.change_clause",
        "catalog.view_clause",
        "customers.view_customerprofile",
        "customers.change_customerprofile",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "policies.view_policy",
    ],
}


def user_roles(user) -> set[str]:
    """The role names of a user, cached on the instance for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_insuredesk_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMINISTRATOR.value)
        user._insuredesk_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & {r.value for r in roles})


def is_staff_member(user) -> bool:
    return bool(user_roles(user) & {r.value for r in STAFF_ROLES})


def sync_roles() -> None:
    """Create the role groups and give each exactly the permissions in ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)
