"""What every page's navigation needs to know about the visitor.

Apps add menu entries by declaring `portal_menu` / `console_menu` in their urls.py as
`[("Label", "namespace:url-name"), ...]`.
"""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.urls import reverse

from insuredesk.customers.roles import is_staff_member, user_roles


@cache
def _menu(attribute: str) -> tuple[tuple[str, str], ...]:
    from insuredesk.urls import APPS

    entries: list[tuple[str, str]] = []
    for app in APPS:
        entries += getattr(import_module(f"insuredesk.{app}.urls"), attribute, [])
    return tuple((label, reverse(name)) for label, name in entries)


def navigation(request):
    user = getattr(request, "user", None)
    staff = bool(user and is_staff_member(user))
    menu = _menu("console_menu" if staff else "portal_menu")
    return {
        "insurer_name": settings.INSUREDESK["INSURER_NAME"],
        "is_staff_member": staff,
        "roles": sorted(user_roles(user)) if user else [],
        "console_menu" if staff else "portal_menu": [
            {"label": label, "url": url} for label, url in menu
        ],
    }
