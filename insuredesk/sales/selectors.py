"""Reads of applications; a customer sees only their own (another's is a 404)."""

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from insuredesk.customers.roles import is_staff_member
from insuredesk.sales.choices import OPEN_FOR_STAFF
from insuredesk.sales.models import Application, MedicalExam


def applications_visible_to(user) -> QuerySet[Application]:
    """Staff see every application; a customer their own; anyone else none."""
    rows = Application.objects.select_related(
        "case",
        "applicant",
        "product_version__product",
        "policy",
        "agent",
        "decided_by",
        "origin",
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


def application_queue(user, *, status: str = "") -> QuerySet[Application]:
    """The console list: those waiting on staff (submitted, referred) first, newest first."""
    rows = applications_visible_to(user)
    if status:
        rows = rows.filter(case__status=status)
    waiting = models.Case(
        models.When(case__status__in=OPEN_FOR_STAFF, then=models.Value(0)),
        default=models.Value(1),
    )
    return rows.alias(waiting=waiting).order_by("waiting", "-submitted_at", "-id")


def referral_reasons_of(application: Application) -> list[str]:
    """Why the rules sent the application to an underwriter, as its "referred" event says."""
    event = application.case.events.filter(kind="referred").order_by("-sequence").first()
    return list(event.data.get("reasons", [])) if event else []


def get_exam_for(application: Application, public_id) -> MedicalExam:
    """One examination of the application (from its prefetched exams), or 404."""
    exam = next((e for e in application.exams.all() if str(e.public_id) == str(public_id)), None)
    if exam is None:
        raise Http404("No such examination.")
    return exam
