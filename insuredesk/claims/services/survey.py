"""Dispatching a surveyor with an appointment, and the surveyor's report (CN-26)."""

from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from insuredesk.casework import services as casework
from insuredesk.claims.choices import ClaimStatus, DocumentKind, SurveyStatus
from insuredesk.claims.models import Claim, Survey, SurveyorProfile
from insuredesk.claims.services.documents import store_document
from insuredesk.claims.services.people import (
    is_supervisor,
    lock_claim,
    money,
    require_handler,
    tell_customer,
)
from insuredesk.claims.wording import message_zh
from insuredesk.customers.roles import Role, has_role
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed

SURVEYABLE = {ClaimStatus.REPORTED, ClaimStatus.AWAITING_DOCUMENTS, ClaimStatus.INVESTIGATING}


def pick_surveyor(*, region: str, loss_type: str):
    """The automatic rule: an active surveyor covering the region and loss type, with the
    fewest scheduled surveys (ties by username). Surveyors without a profile cover all."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SURVEYOR.value)
        .select_related("surveyor_profile")
        .annotate(load=Count("surveys", filter=Q(surveys__status=SurveyStatus.SCHEDULED)))
        .order_by("load", "username")
    )
    for user in users:
        try:
            profile = user.surveyor_profile
        except SurveyorProfile.DoesNotExist:
            return user
        if profile.active and profile.covers(region=region, loss_type=loss_type):
            return user
    return None


def dispatch_surveyor(
    *,
    claim: Claim,
    appointment_at: datetime,
    actor,
    now: datetime,
    surveyor=None,
    location: str = "",
) -> Survey:
    """Send a surveyor (chosen, or by the automatic rule) with an appointment; tell the customer."""
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        require_handler(actor, "dispatch a surveyor")
        if claim.case.status not in SURVEYABLE:
            raise InvalidTransition(
                f"A claim that is {claim.case.status.replace('_', ' ')} is not surveyed.",
                reference=claim.case.reference,
                from_status=claim.case.status,
            )
        if appointment_at <= now:
            raise ValidationFailed("The appointment must be in the future.", field="appointment_at")
        auto = surveyor is None
        if auto:
            surveyor = pick_surveyor(region=claim.customer.region, loss_type=claim.loss_type)
            if surveyor is None:
                raise ValidationFailed(
                    "No surveyor covers this region and loss type; choose one.",
                    field="surveyor",
                    code="no_surveyor_available",
                )
        elif not has_role(surveyor, Role.SURVEYOR):
            raise ValidationFailed(f"{surveyor.username} is not a surveyor.", field="surveyor")
        location = (location or claim.event_place).strip()[:300]
        survey = Survey.objects.create(
            claim=claim,
            surveyor=surveyor,
            appointment_at=appointment_at,
            location=location,
            dispatched_by=actor,
            dispatched_at=now,
            auto_assigned=auto,
        )
        data = {
            "surveyor": surveyor.get_full_name() or surveyor.username,
            "appointment_at": appointment_at.isoformat(),
            "location": location,
            "auto": auto,
        }
        if claim.case.status == ClaimStatus.REPORTED:
            casework.transition(
                claim.case,
                to=ClaimStatus.INVESTIGATING,
                actor=actor,
                now=now,
                event="surveyor_dispatched",
                data=data,
            )
        else:
            casework.record_event(
                claim.case, kind="surveyor_dispatched", actor=actor, now=now, data=data
            )
        tell_customer(
            claim,
            subject=f"Claim {claim.case.reference}: surveyor appointment",
            body=f"Our surveyor {data['surveyor']} will visit {location} on "
            f"{appointment_at:%Y-%m-%d %H:%M}. There is no charge to you for the survey.",
            key=f"claim-survey:{survey.pk}",
            now=now,
            zh=message_zh(
                "survey",
                reference=claim.case.reference,
                surveyor=data["surveyor"],
                location=location,
                when=f"{appointment_at:%Y-%m-%d %H:%M}",
            ),
        )
    return survey


def file_survey_report(
    *,
    survey: Survey,
    findings: str,
    estimated_loss: Decimal,
    actor,
    now: datetime,
    cost: Decimal = Decimal("0"),
    photos: list | None = None,
) -> Survey:
    """The surveyor reports findings, photos and the estimated loss; the survey's cost is the
    insurer's own expense and never enters the customer's assessment (CN-26, IL Art. 64)."""
    with transaction.atomic(durable=True):
        claim = lock_claim(survey.claim)
        if actor is None or not (actor.pk == survey.surveyor_id or is_supervisor(actor)):
            raise NotPermitted("Only the surveyor sent, or a supervisor, files this report.")
        if not findings.strip():
            raise ValidationFailed("Write the findings.", field="findings")
        if estimated_loss is None or estimated_loss < 0:
            raise ValidationFailed("The estimated loss cannot be negative.", field="estimated_loss")
        if cost < 0:
            raise ValidationFailed("The survey cost cannot be negative.", field="cost")
        moved = Survey.objects.filter(pk=survey.pk, status=SurveyStatus.SCHEDULED).update(
            status=SurveyStatus.REPORTED,
            findings=findings.strip(),
            estimated_loss=money(estimated_loss),
            cost=money(cost),
            reported_at=now,
        )
        if not moved:
            raise InvalidTransition("This survey was already reported or cancelled.")
        for index, photo in enumerate(photos or []):
            store_document(
                claim,
                upload=photo,
                code=DocumentKind.SURVEY_PHOTO,
                actor=actor,
                now=now,
                field=f"photos.{index}",
            )
        casework.record_event(
            claim.case,
            kind="survey_reported",
            actor=actor,
            now=now,
            data={"estimated_loss": str(money(estimated_loss)), "survey": survey.pk},
        )
        survey.refresh_from_db()
    return survey
