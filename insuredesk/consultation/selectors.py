"""Reads of the consultation app; who may see what is decided here."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from insuredesk.catalog.models import Clause, ProductVersion
from insuredesk.catalog.selectors import current_version, get_product
from insuredesk.consultation.choices import (
    ArticleStatus,
    LectureStatus,
    RegistrationStatus,
)
from insuredesk.consultation.models import (
    ClauseExplanation,
    Consultation,
    ConsultationMessage,
    ExplainedClause,
    KnowledgeArticle,
    Lecture,
    LectureRegistration,
    MessageSource,
)
from insuredesk.customers.roles import Role, has_role, is_staff_member
from insuredesk.customers.selectors import customer_of

# --- consultations ---------------------------------------------------------------------------


def consultations_visible_to(user) -> QuerySet[Consultation]:
    """Staff see every consultation; a customer the ones they asked; anyone else none."""
    rows = Consultation.objects.select_related(
        "case", "asker", "product", "policy", "case__assignee"
    )
    if is_staff_member(user):
        return rows
    if getattr(user, "is_authenticated", False):
        return rows.filter(asker__user=user)
    return rows.none()


def get_consultation_for(user, reference: str, *, guest_key: str = "") -> Consultation:
    """One consultation by case reference, or 404 (also for someone else's).

    A prospect without an account reads their thread with the key they were given once.
    """
    consultation = consultations_visible_to(user).filter(case__reference=reference).first()
    if consultation is None and guest_key:
        from insuredesk.consultation.services.consultations import guest_key_digest

        consultation = (
            Consultation.objects.select_related("case", "asker", "product", "policy")
            .filter(case__reference=reference, guest_key_digest=guest_key_digest(guest_key))
            .exclude(guest_key_digest="")
            .first()
        )
    if consultation is None:
        raise Http404("No such consultation.")
    return consultation


def thread(consultation: Consultation) -> list[ConsultationMessage]:
    """The messages, oldest first, with their sources (article and clause links) in 3 queries."""
    sources = MessageSource.objects.select_related(
        "article", "clause__product_version__product"
    ).order_by("role", "rank")
    return list(
        consultation.messages.select_related("author")
        .prefetch_related(Prefetch("sources", queryset=sources))
        .order_by("created_at", "id")
    )


def my_consultations(user) -> QuerySet[Consultation]:
    customer = customer_of(user)
    if customer is None:
        return Consultation.objects.none()
    return (
        Consultation.objects.filter(asker=customer)
        .select_related("case", "product", "policy")
        .annotate(message_count=Count("messages"))
        .order_by("-created_at")
    )


def get_message_for(user, consultation: Consultation, message_id) -> ConsultationMessage:
    message = consultation.messages.filter(public_id=message_id).first()
    if message is None:
        raise Http404("No such message.")
    message.consultation = consultation
    return message


def consultation_queue(user, *, everyone: bool = False) -> list[Consultation]:
    """Consultations waiting for an agent, ordered as the casework queue orders cases."""
    from insuredesk.casework.selectors import work_queue

    cases = list(work_queue(user, everyone=everyone, kind="consultation")[:200])
    by_case = {
        c.case_id: c
        for c in Consultation.objects.filter(case__in=cases).select_related("asker", "product")
    }
    rows = []
    for case in cases:
        consultation = by_case.get(case.pk)
        if consultation is not None:
            consultation.case = case
            rows.append(consultation)
    return rows


# --- knowledge base --------------------------------------------------------------------------


def articles_visible_to(user) -> QuerySet[KnowledgeArticle]:
    """Staff see every article; everyone else the published ones."""
    rows = KnowledgeArticle.objects.select_related("author", "reviewer").prefetch_related(
        "products"
    )
    if is_staff_member(user):
        return rows
    return rows.filter(status=ArticleStatus.PUBLISHED)


def get_article_for(user, external_id: str) -> KnowledgeArticle:
    article = articles_visible_to(user).filter(external_id=external_id).first()
    if article is None:
        raise Http404("No such article.")
    return article


def filter_articles(
    rows: QuerySet[KnowledgeArticle], *, query: str = "", status: str = "", language: str = ""
) -> QuerySet[KnowledgeArticle]:
    if query:
        rows = rows.filter(
            Q(external_id__icontains=query)
            | Q(question__icontains=query)
            | Q(answer__icontains=query)
        )
    if status:
        rows = rows.filter(status=status)
    if language:
        rows = rows.filter(language=language)
    return rows


# --- clause explanation evidence -------------------------------------------------------------


def version_to_explain(
    user, code: str, *, policy: str = "", application: str = ""
) -> ProductVersion:
    """The product version whose clauses the guided explanation shows, or 404.

    The version the user's policy or application was written on, else the one on sale today:
    an application made before a new version came out is acknowledged on the clauses it will
    be issued with (CN-02). Another customer's policy or application is not found.
    """
    if policy:
        from insuredesk.policies.selectors import get_policy_for

        version = get_policy_for(user, policy).product_version
    elif application:
        from insuredesk.sales.selectors import get_application_for

        version = get_application_for(user, application).product_version
    else:
        on_sale = current_version(get_product(code))
        if on_sale is None:
            raise Http404("This product is not on sale.")
        return on_sale
    if version.product.code != code:
        raise Http404("Not found for this product.")
    return version


def explanation_evidence(customer, clause: Clause) -> list[ExplainedClause]:
    """Every record that `clause` (this clause version) was explained to `customer`, newest first.

    Each item has `.explanation` (channel, explained_at, explained_by, acknowledgement_method,
    evidence_file/evidence_sha256, policy, product_version) and, for an exemption clause,
    `acknowledged_at` and `acknowledged_by`; `words` are the very words shown or said.
    An empty list means there is no evidence: under CN-02 the exemption clause has no effect.
    """
    return list(
        ExplainedClause.objects.filter(explanation__customer=customer, clause=clause)
        .select_related(
            "explanation__explained_by",
            "explanation__policy",
            "explanation__product_version__product",
            "acknowledged_by",
        )
        .order_by("-explanation__explained_at", "-id")
    )


def explanations_of(customer) -> list[ClauseExplanation]:
    """The customer's explanation records with their clauses, newest first (2 queries)."""
    return list(
        ClauseExplanation.objects.filter(customer=customer)
        .select_related("product_version__product", "policy", "explained_by")
        .prefetch_related("clauses")
        .order_by("-explained_at", "-id")
    )


def explanations_visible_to(user) -> QuerySet[ClauseExplanation]:
    rows = ClauseExplanation.objects.select_related(
        "customer", "product_version__product", "policy", "explained_by"
    ).prefetch_related("clauses")
    if is_staff_member(user):
        return rows
    if getattr(user, "is_authenticated", False):
        return rows.filter(customer__user=user)
    return rows.none()


def get_explanation_for(user, public_id) -> ClauseExplanation:
    explanation = explanations_visible_to(user).filter(public_id=public_id).first()
    if explanation is None:
        raise Http404("No such explanation.")
    return explanation


def explanations_for_policy(policy) -> list[ClauseExplanation]:
    """Records for the policy's holder on the policy's product version (before or after issue)."""
    return list(
        ClauseExplanation.objects.filter(
            customer=policy.policyholder_id, product_version=policy.product_version_id
        )
        .select_related("explained_by")
        .prefetch_related("clauses")
        .order_by("-explained_at")
    )


def explanations_for_product_version(version) -> QuerySet[ClauseExplanation]:
    return ClauseExplanation.objects.filter(product_version=version).select_related(
        "customer", "explained_by"
    )


# --- lectures --------------------------------------------------------------------------------


def upcoming_lectures(now: datetime) -> QuerySet[Lecture]:
    """Published lectures not yet begun, with their seats taken and waiting counts."""
    return (
        Lecture.objects.filter(status=LectureStatus.PUBLISHED, starts_at__gt=now)
        .annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
        )
        .order_by("starts_at")
    )


def all_lectures() -> QuerySet[Lecture]:
    return Lecture.objects.annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        attended_count=Count("registrations", filter=Q(registrations__attended=True)),
    ).order_by("-starts_at")


def get_lecture(public_id) -> Lecture:
    lecture = Lecture.objects.filter(public_id=public_id).first()
    if lecture is None:
        raise Http404("No such lecture.")
    return lecture


def registrations_of(customer) -> dict[int, LectureRegistration]:
    """The customer's live registrations by lecture id."""
    if customer is None:
        return {}
    return {
        r.lecture_id: r
        for r in LectureRegistration.objects.filter(attendee=customer).exclude(
            status=RegistrationStatus.CANCELLED
        )
    }


def lecture_registrations(lecture: Lecture) -> list[LectureRegistration]:
    return list(
        lecture.registrations.select_related("attendee", "follow_up__case").order_by(
            "status", "registered_at", "id"
        )
    )


def get_registration_for(user, public_id) -> LectureRegistration:
    rows = LectureRegistration.objects.select_related("lecture", "attendee")
    if not has_role(user, Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR):
        customer = customer_of(user)
        if customer is None:
            raise Http404("No such registration.")
        rows = rows.filter(attendee=customer)
    registration = rows.filter(public_id=public_id).first()
    if registration is None:
        raise Http404("No such registration.")
    return registration
