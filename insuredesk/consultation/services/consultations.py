"""Consultations: ask, answer (engine or agent), follow up, rate, promote, close."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.catalog.models import Product
from insuredesk.consultation import knowledge
from insuredesk.consultation.choices import (
    ArticleStatus,
    ConsultationStatus,
    Language,
    MessageKind,
    Origin,
    SourceRole,
)
from insuredesk.consultation.models import (
    Consultation,
    ConsultationMessage,
    KnowledgeArticle,
    MessageSource,
)
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role, is_staff_member
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed

KIND = "consultation"
MAX_QUESTION = 2000
MAX_ANSWER = 10000
SUGGESTIONS = 5
ASSISTANT = "InsureDesk assistant"


@dataclass
class Asked:
    consultation: Consultation
    guest_key: str = ""  # given once to a prospect without an account, to read the thread


def guest_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# --- validation ------------------------------------------------------------------------------


def clean_question(text: str, *, field: str = "question") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("Please write your question.", field=field)
    if len(text) > MAX_QUESTION:
        raise ValidationFailed(
            f"A question may be at most {MAX_QUESTION} characters long.", field=field
        )
    return text


def clean_language(language: str | None, default: str = Language.EN) -> str:
    language = language or default
    if language not in Language.values:
        raise ValidationFailed(
            f"Language must be one of {', '.join(Language.values)}.", field="language"
        )
    return language


def prospect(*, name: str, email: str, language: str, now: datetime) -> CustomerProfile:
    """The customer profile of someone without an account, found again by e-mail.

    Only profiles without a login are matched: typing a customer's e-mail address must not add
    questions to their account.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from insuredesk.customers.services import create_customer

    name, email = (name or "").strip(), (email or "").strip().lower()
    if not name:
        raise ValidationFailed("Please give your name so we can answer you.", field="name")
    if len(name) > 200:
        raise ValidationFailed("The name is too long.", field="name")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed("Please give a valid e-mail address.", field="email") from None
    existing = (
        CustomerProfile.objects.filter(user__isnull=True, email__iexact=email)
        .order_by("created_at")
        .first()
    )
    if existing is not None:
        return existing
    return create_customer(full_name=name, email=email, language=language)


def _asker(user, *, name: str, email: str, language: str, now: datetime) -> CustomerProfile:
    if getattr(user, "is_authenticated", False):
        customer = customer_of(user)
        if customer is None:
            raise NotPermitted("Staff answer consultations; customers ask them.")
        return customer
    return prospect(name=name, email=email, language=language, now=now)


def _policy_of(user, number: str):
    """The asker's own policy; someone else's (or any, for a guest) is not found (404)."""
    from insuredesk.policies.models import Policy

    policy = (
        Policy.objects.select_related("product_version__product")
        .filter(number=number, policyholder__user=user)
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if policy is None:
        raise NotFound("No such policy.", field="policy")
    return policy


def _product(code: str) -> Product:
    product = Product.objects.filter(code=code, is_published=True).first()
    if product is None:
        raise ValidationFailed(f"There is no product {code!r}.", field="product")
    return product


# --- writing messages ------------------------------------------------------------------------


def _add_sources(message: ConsultationMessage, found, role: str) -> None:
    MessageSource.objects.bulk_create(
        [
            MessageSource(
                message=message,
                role=role,
                ref=f.ref,
                article=f.article,
                clause=f.clause,
                title=f.title[:300],
                excerpt=f.answer[:500],
                score=round(f.score, 4),
                rank=rank,
            )
            for rank, f in enumerate(found, 1)
        ]
    )


def _question(consultation, *, body: str, actor, asker, answered, now):
    message = ConsultationMessage.objects.create(
        consultation=consultation,
        kind=MessageKind.QUESTION,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_label=asker.full_name,
        body=body,
        confidence=round(answered.confidence, 4),
        created_at=now,
    )
    _add_sources(message, answered.found, SourceRole.SUGGESTED)
    return message


def _automatic_answer(consultation, *, answered, now):
    best = answered.best
    message = ConsultationMessage.objects.create(
        consultation=consultation,
        kind=MessageKind.ANSWER,
        author_label=ASSISTANT,
        body=best.answer,
        automatic=True,
        confidence=round(answered.confidence, 4),
        created_at=now,
    )
    _add_sources(message, [best], SourceRole.CITED)
    return message


def _engine(
    question: str, *, language: str, product, market: str, policy=None
) -> knowledge.Answered:
    """The engine's sources, from the asker's market only, and for a question about a policy
    its own version's clauses (see `knowledge.search`)."""
    return knowledge.search(
        question,
        language=language,
        limit=SUGGESTIONS,
        product=product,
        market=market,
        wording=policy.product_version if policy is not None else None,
    )


def _confident(answered: knowledge.Answered) -> bool:
    return answered.best is not None and answered.confidence >= knowledge.auto_answer_confidence()


# --- services --------------------------------------------------------------------------------


def ask_question(
    *,
    actor,  # the signed-in customer, or an anonymous user
    question: str,
    now: datetime,
    language: str | None = None,
    product: str | None = None,
    policy: str | None = None,
    ask_person: bool = False,
    name: str = "",
    email: str = "",
    origin: str = Origin.PORTAL,
) -> Asked:
    """A customer or prospect asks; the engine answers at once if confident, else an agent.

    1. check the question, the product and the policy (a policy must be the asker's own: 404);
    2. let the engine find sources (outside the transaction: it is CPU work, no locks held);
    3. open the consultation case, write the question with the engine's suggestions;
    4. confident and no person asked for: the best answer, automatic, citing its source, and
       the case is answered; otherwise it waits for an agent in the queue.
    """
    question = clean_question(question)
    signed_in = getattr(actor, "is_authenticated", False)
    default_language = getattr(customer_of(actor), "language", Language.EN) if signed_in else "en"
    language = clean_language(language, default_language)
    policy_row = _policy_of(actor, policy) if policy else None
    product_row = _product(product) if product else None
    if policy_row is not None:
        product_row = policy_row.product_version.product
    market = getattr(customer_of(actor), "jurisdiction", None) if signed_in else None
    market = market or settings.INSUREDESK["DEFAULT_JURISDICTION"]
    answered = _engine(
        question, language=language, product=product_row, market=market, policy=policy_row
    )
    guest_key = "" if signed_in else secrets.token_urlsafe(24)
    with transaction.atomic(durable=True):
        asker = _asker(actor, name=name, email=email, language=language, now=now)
        case = casework.open_case(
            kind=KIND,
            title=question,
            actor=actor if signed_in else None,
            now=now,
            customer=asker,
            jurisdiction=asker.jurisdiction,
            data={
                "product": product_row.code if product_row else None,
                "policy": policy_row.number if policy_row else None,
            },
            event="asked",  # starts the answer clock (SVC-01)
        )
        consultation = Consultation.objects.create(
            case=case,
            asker=asker,
            product=product_row,
            policy=policy_row,
            language=language,
            origin=origin,
            wants_person=ask_person,
            guest_key_digest=guest_key_digest(guest_key) if guest_key else "",
            created_at=now,
        )
        _question(consultation, body=question, actor=actor, asker=asker, answered=answered, now=now)
        _route(consultation, answered=answered, ask_person=ask_person, actor=actor, now=now)
    return Asked(consultation=consultation, guest_key=guest_key)


def _route(consultation, *, answered, ask_person: bool, actor, now) -> None:
    """Answer automatically when the engine is confident, else send to the agents' queue."""
    case = consultation.case
    who = actor if getattr(actor, "is_authenticated", False) else None
    if not ask_person and _confident(answered):
        message = _automatic_answer(consultation, answered=answered, now=now)
        data = {"automatic": True, "confidence": message.confidence, "source": answered.best.ref}
        if case.status == ConsultationStatus.ANSWERED:
            casework.record_event(
                case, kind="answered_automatically", actor=None, now=now, data=data
            )
        else:
            casework.transition(
                case,
                to=ConsultationStatus.ANSWERED,
                actor=None,
                now=now,
                event="answered",
                data=data,
            )
        return
    if case.status != ConsultationStatus.AWAITING_AGENT:
        casework.transition(
            case,
            to=ConsultationStatus.AWAITING_AGENT,
            actor=who,
            now=now,
            reason="The customer asked for a person." if ask_person else "",
            data={"confidence": round(answered.confidence, 4), "asked_for_person": ask_person},
            event=_queue_event(case),
        )


def _queue_event(case) -> str:
    """The event of handing a thread to the agents, as the answer clock should read it.

    A new question ("asked") already started the clock: "queued" lets it run on. An answered
    thread reopened by a follow-up or a request for a person restarts it ("awaiting_agent").
    """
    return "queued" if case.status == ConsultationStatus.ASKED else "awaiting_agent"


def follow_up(
    *,
    consultation: Consultation,
    actor,
    question: str,
    now: datetime,
    ask_person: bool = False,
) -> ConsultationMessage:
    """The asker continues the thread; the engine answers again or the agents get it back."""
    _must_be_asker(consultation, actor)
    question = clean_question(question)
    if consultation.case.status == ConsultationStatus.CLOSED:
        raise InvalidTransition(
            "This consultation is closed; please ask a new question.",
            reference=consultation.case.reference,
        )
    answered = _engine(
        question,
        language=consultation.language,
        product=consultation.product,
        market=consultation.asker.jurisdiction,
        policy=consultation.policy,
    )
    with transaction.atomic(durable=True):
        message = _question(
            consultation,
            body=question,
            actor=actor,
            asker=consultation.asker,
            answered=answered,
            now=now,
        )
        if ask_person and not consultation.wants_person:
            Consultation.objects.filter(pk=consultation.pk).update(wants_person=True)
            consultation.wants_person = True
        if consultation.case.status == ConsultationStatus.AWAITING_AGENT:
            casework.record_event(consultation.case, kind="follow_up", actor=_who(actor), now=now)
        else:
            _route(consultation, answered=answered, ask_person=ask_person, actor=actor, now=now)
    return message


def ask_for_person(*, consultation: Consultation, actor, now: datetime) -> None:
    """The asker is not satisfied with the automatic answer: an agent takes it over."""
    _must_be_asker(consultation, actor)
    with transaction.atomic(durable=True):
        Consultation.objects.filter(pk=consultation.pk).update(wants_person=True)
        consultation.wants_person = True
        casework.transition(
            consultation.case,
            to=ConsultationStatus.AWAITING_AGENT,
            actor=_who(actor),
            now=now,
            reason="The customer asked for a person.",
            data={"asked_for_person": True},
        )


def answer_consultation(
    *,
    consultation: Consultation,
    actor,
    body: str,
    now: datetime,
    sources: list[str] | None = None,
) -> ConsultationMessage:
    """An agent answers a waiting consultation, citing the clauses and articles used.

    `sources` are article ids (as imported) or clause refs `clause:<product>:<version>:<number>`;
    each must exist. The asker is told by e-mail (the outbox).
    """
    _must_be_agent(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("The answer is empty.", field="body")
    if len(body) > MAX_ANSWER:
        raise ValidationFailed(f"An answer may be at most {MAX_ANSWER} characters.", field="body")
    cited = resolve_sources(sources or [])
    with transaction.atomic(durable=True):
        case = consultation.case
        if case.status != ConsultationStatus.AWAITING_AGENT:
            raise InvalidTransition(
                "Only a consultation waiting for an agent can be answered.",
                reference=case.reference,
                from_status=case.status,
            )
        message = ConsultationMessage.objects.create(
            consultation=consultation,
            kind=MessageKind.ANSWER,
            author=actor,
            author_label=actor.get_full_name() or actor.get_username(),
            body=body,
            created_at=now,
        )
        _add_sources(message, cited, SourceRole.CITED)
        casework.transition(
            case,
            to=ConsultationStatus.ANSWERED,
            actor=actor,
            now=now,
            event="answered",
            data={"automatic": False, "sources": [f.ref for f in cited]},
        )
        _tell_asker(consultation, message, now=now)
    return message


def _tell_asker(consultation, message, *, now) -> None:
    from insuredesk.notifications.services import notify

    reference = consultation.case.reference
    notify(
        recipient=consultation.asker,
        channel="email",
        subject=f"Your question {reference} has been answered",
        body=f"{message.body}\n\n— {message.author_label}",
        dedupe_key=f"consultation-answer:{message.public_id}",
        case=consultation.case,
        now=now,
    )


def resolve_sources(refs: list[str]) -> list[knowledge.Found]:
    """Article ids or clause refs an agent cites, each checked to exist (else 422 `sources`)."""
    refs = [str(r).strip() for r in refs if str(r).strip()]
    as_passages = [
        r
        if r.startswith((knowledge.CLAUSE_PREFIX, knowledge.ARTICLE_PREFIX))
        else knowledge.ARTICLE_PREFIX + r
        for r in dict.fromkeys(refs)
    ]
    found = knowledge.resolve([(r, 1.0) for r in as_passages])
    known = {f.ref for f in found}
    missing = [r for r in as_passages if r not in known]
    if missing:
        raise ValidationFailed(
            f"Unknown source {missing[0].removeprefix(knowledge.ARTICLE_PREFIX)!r}.",
            field="sources",
            unknown=missing,
        )
    for f in found:
        f.score = 0.0
    return found


def rate_answer(*, message: ConsultationMessage, actor, rating: int, now: datetime) -> None:
    """The asker rates an answer from 1 (useless) to 5 (fully answered); a new rating replaces."""
    _must_be_asker(message.consultation, actor)
    if message.kind != MessageKind.ANSWER:
        raise ValidationFailed("Only answers can be rated.", field="message")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationFailed("A rating is a whole number from 1 to 5.", field="rating")
    with transaction.atomic(durable=True):
        ConsultationMessage.objects.filter(pk=message.pk).update(rating=rating, rated_at=now)
        message.rating, message.rated_at = rating, now
        casework.record_event(
            message.consultation.case,
            kind="answer_rated",
            actor=_who(actor),
            now=now,
            data={"rating": rating, "automatic": message.automatic},
            visible_to_customer=False,
        )


def promote_answer(
    *,
    message: ConsultationMessage,
    actor,
    now: datetime,
    question: str | None = None,
) -> KnowledgeArticle:
    """Turn an answer into a draft article (to be reviewed and published by staff)."""
    from insuredesk.consultation.services.knowledge import create_article

    _must_be_agent(actor)
    if message.kind != MessageKind.ANSWER:
        raise ValidationFailed("Only answers can become articles.", field="message")
    if message.promoted_to is not None:  # no query unless promoted_to_id is set
        raise InvalidTransition(
            "This answer is already an article.", article=message.promoted_to.external_id
        )
    if question is None:
        asked = (
            message.consultation.messages.filter(
                kind=MessageKind.QUESTION, created_at__lte=now, id__lt=message.id
            )
            .order_by("-id")
            .first()
        )
        question = asked.body if asked else ""
    reference = message.consultation.case.reference
    with transaction.atomic(durable=True):
        article = create_article(
            actor=actor,
            now=now,
            external_id=f"{reference.lower()}-{message.public_id.hex[:8]}",
            question=question,
            answer=message.body,
            language=message.consultation.language,
            tags=["from-consultation"],
            products=[message.consultation.product] if message.consultation.product else [],
            status=ArticleStatus.DRAFT,
            note=f"Promoted from {reference}",
            atomic=False,
        )
        ConsultationMessage.objects.filter(pk=message.pk).update(promoted_to=article)
        message.promoted_to = article
    return article


def close_consultation(
    *, consultation: Consultation, actor, now: datetime, reason: str = ""
) -> None:
    """The asker (or an agent) ends the thread."""
    if not is_staff_member(actor):
        _must_be_asker(consultation, actor)
    with transaction.atomic(durable=True):
        casework.transition(
            consultation.case,
            to=ConsultationStatus.CLOSED,
            actor=_who(actor),
            now=now,
            reason=reason,
        )


def open_follow_up_task(
    *,
    customer: CustomerProfile,
    subject: str,
    body: str,
    now: datetime,
    language: str = Language.EN,
    policy=None,
    origin: str = Origin.LECTURE,
) -> Consultation:
    """A consultation waiting for an agent, opened by the system: a lecture attendee's request
    to be contacted, or a question a customer asked at a visit (`policy`: the one it is about).

    Runs inside the caller's transaction.
    """
    case = casework.open_case(
        kind=KIND,
        title=subject,
        actor=None,
        now=now,
        customer=customer,
        jurisdiction=customer.jurisdiction,
        event="asked",
        data={"policy": policy.number} if policy is not None else None,
    )
    consultation = Consultation.objects.create(
        case=case,
        asker=customer,
        policy=policy,
        product=policy.product_version.product if policy is not None else None,
        language=language,
        origin=origin,
        wants_person=True,
        created_at=now,
    )
    ConsultationMessage.objects.create(
        consultation=consultation,
        kind=MessageKind.QUESTION,
        author_label=customer.full_name,
        body=body,
        created_at=now,
    )
    casework.transition(
        case,
        to=ConsultationStatus.AWAITING_AGENT,
        actor=None,
        now=now,
        reason=subject,
        event=_queue_event(case),
    )
    return consultation


# --- guards ----------------------------------------------------------------------------------


def _who(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _must_be_asker(consultation: Consultation, actor) -> None:
    customer = customer_of(actor)
    if customer is None or customer.pk != consultation.asker_id:
        raise NotFound("No such consultation.")


def _must_be_agent(actor) -> None:
    if not has_role(actor, Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise NotPermitted("Only agents answer consultations.")


# Views run the same check before showing the agent's form.
must_be_agent = _must_be_agent
