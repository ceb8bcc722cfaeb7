"""Reads of applications; a customer sees only their own (another's is a 404)."""

from django.db.models import QuerySet
from django.http import Http404

from insuredesk.customers.roles import is_staff_member
from insuredesk.sales.models import Application


def applications_visible_to(user) -> QuerySet[Application]:
    """Staff see every application; a customer their own; anyone else none."""
    rows = Application.objects.select_related(
        "case", "applicant", "product_version__product", "policy", "agent", "decided_by"
    )
    if is_staff_member(user):
        return rows
    if getattr(user, "is_authenticated", False):
        return rows.filter(applicant__user=user)
    return rows.none()


def get_application_for(user, reference: str) -> Application:
    """One application by its case reference, with its answers and exams, or 404."""
    application = (
        applications_visible_to(user)
        .select_related("letter")
        .prefetch_related("declarations", "exams")
        .filter(case__reference=reference)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application
