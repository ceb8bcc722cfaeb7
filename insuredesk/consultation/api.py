"""The consultation endpoints of the JSON API: consultations, knowledge base, lectures and
clause explanation evidence."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from insuredesk.consultation import knowledge, selectors, services
from insuredesk.consultation.choices import Origin
from insuredesk.customers.roles import is_staff_member
from insuredesk.customers.selectors import customer_of
from insuredesk.errors import NotPermitted, ValidationFailed
from insuredesk.rules.registry import get_profile
from insuredesk.web.auth import optional_auth
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut, InputSchema

router = Router(tags=["consultation"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- schemas ---------------------------------------------------------------------------------


class SourceOut(Schema):
    id: str  # the article's own id as imported, or the clause ref
    kind: str  # "article" or "clause"
    title: str
    url: str
    score: float | None = None


class MessageOut(Schema):
    id: UUID
    kind: str
    author: str
    body: str
    automatic: bool
    confidence: float | None
    rating: int | None
    created_at: datetime
    sources: list[SourceOut] = []
    suggestions: list[SourceOut] = []


class ConsultationOut(Schema):
    reference: str
    status: str
    question: str
    language: str
    product: str | None
    policy: str | None
    wants_person: bool
    created_at: datetime
    messages: list[MessageOut] = []
    guest_key: str | None = None


class ConsultationListOut(Schema):
    reference: str
    status: str
    title: str
    product: str | None
    policy: str | None
    created_at: datetime


class AskIn(InputSchema):
    question: str = Field(max_length=4000)
    language: str | None = None
    product: str | None = None
    policy: str | None = None
    ask_person: bool = False
    name: str = ""
    email: str = ""


class FollowUpIn(InputSchema):
    question: str = Field(max_length=4000)
    ask_person: bool = False


class AnswerRatingIn(InputSchema):
    rating: int


class AgentAnswerIn(InputSchema):
    body: str = Field(max_length=20000)
    sources: list[str] = []


class SearchIn(InputSchema):
    query: str = Field(max_length=4000)
    language: str | None = "en"
    limit: int = Field(default=10, ge=1, le=50)
    market: str | None = Field(
        default=None,
        description="A jurisdiction (CN, GB, US-CA): only clauses of products sold there, and "
        "articles that are general or about them. Omitted: the whole knowledge base.",
    )


class SearchHitOut(Schema):
    id: str
    kind: str
    title: str
    answer: str
    score: float
    url: str


class SearchOut(Schema):
    confidence: float
    results: list[SearchHitOut]


class ArticleOut(Schema):
    id: str
    question: str
    answer: str
    language: str
    tags: list[str]
    products: list[str]
    status: str
    version: int
    updated_at: datetime


class ArticleIn(InputSchema):
    id: str = Field(max_length=100)
    question: str = ""
    answer: str
    language: str = "en"
    tags: list[str] = []
    products: list[str] = []


class ArticleChangeIn(InputSchema):
    question: str = ""
    answer: str
    language: str = "en"
    tags: list[str] = []
    products: list[str] | None = None


class LectureOut(Schema):
    id: UUID
    title: str
    topic: str
    description: str
    speaker: str
    starts_at: datetime
    duration_minutes: int
    venue: str
    online_link: str
    capacity: int
    seats_left: int
    waiting: int


class RegisterIn(InputSchema):
    wants_follow_up: bool = False
    name: str = ""
    email: str = ""


class RegistrationOut(Schema):
    id: UUID
    lecture: UUID
    status: str
    wants_follow_up: bool
    registered_at: datetime


class ExplainedClauseOut(Schema):
    number: str
    title: str
    is_exemption: bool
    words: str
    acknowledged_at: datetime | None


class ExplanationOut(Schema):
    id: UUID
    customer: str
    product: str
    version: int
    policy: str | None
    channel: str
    explained_by: str | None
    acknowledgement_method: str
    evidence_sha256: str
    explained_at: datetime
    clauses: list[ExplainedClauseOut]


class AcknowledgeIn(InputSchema):
    product: str
    version: int | None = None
    policy: str | None = None
    acknowledged: list[str]


# --- shaping ---------------------------------------------------------------------------------


def _source_out(source) -> dict:
    if source.article is not None:
        return {
            "id": source.article.external_id,
            "kind": "article",
            "title": source.title,
            "url": "",
            "score": source.score,
        }
    url = ""
    if source.clause is not None:
        from django.urls import reverse

        code = source.clause.product_version.product.code
        url = reverse("portal:product", args=[code]) + f"#clause-{source.clause.number}"
    kind = "clause" if source.ref.startswith(knowledge.CLAUSE_PREFIX) else "article"
    ident = source.ref if kind == "clause" else source.ref.removeprefix(knowledge.ARTICLE_PREFIX)
    return {"id": ident, "kind": kind, "title": source.title, "url": url, "score": source.score}


def _consultation_out(consultation, *, staff: bool, guest_key: str = "") -> dict:
    messages = selectors.thread(consultation)
    out = []
    for m in messages:
        cited = [s for s in m.sources.all() if s.role == "cited"]
        suggested = [s for s in m.sources.all() if s.role == "suggested"] if staff else []
        out.append(
            {
                "id": m.public_id,
                "kind": m.kind,
                "author": m.author_label,
                "body": m.body,
                "automatic": m.automatic,
                "confidence": m.confidence,
                "rating": m.rating,
                "created_at": m.created_at,
                "sources": [_source_out(s) for s in cited],
                "suggestions": [_source_out(s) for s in suggested],
            }
        )
    first = next((m.body for m in messages if m.kind == "question"), consultation.case.title)
    return {
        "reference": consultation.case.reference,
        "status": consultation.case.status,
        "question": first,
        "language": consultation.language,
        "product": consultation.product.code if consultation.product else None,
        "policy": consultation.policy.number if consultation.policy else None,
        "wants_person": consultation.wants_person,
        "created_at": consultation.created_at,
        "messages": out,
        "guest_key": guest_key or None,
    }


def _article_out(article) -> dict:
    return {
        "id": article.external_id,
        "question": article.question,
        "answer": article.answer,
        "language": article.language,
        "tags": article.tags,
        "products": [p.code for p in article.products.all()],
        "status": article.status,
        "version": article.version,
        "updated_at": article.updated_at,
    }


def _explanation_out(e) -> dict:
    return {
        "id": e.public_id,
        "customer": e.customer.number,
        "product": e.product_version.product.code,
        "version": e.product_version.version,
        "policy": e.policy.number if e.policy else None,
        "channel": e.channel,
        "explained_by": e.explained_by.get_username() if e.explained_by else None,
        "acknowledgement_method": e.acknowledgement_method,
        "evidence_sha256": e.evidence_sha256,
        "explained_at": e.explained_at,
        "clauses": [
            {
                "number": c.clause_number,
                "title": c.clause_title,
                "is_exemption": c.is_exemption,
                "words": c.words,
                "acknowledged_at": c.acknowledged_at,
            }
            for c in e.clauses.all()
        ],
    }


# --- consultations ---------------------------------------------------------------------------


@router.post("/consultations", auth=optional_auth, response={201: ConsultationOut, **ERRORS})
def ask(request: HttpRequest, payload: AskIn):
    """Ask a question. No account needed for a general question (give `name` and `email`; keep
    the `guest_key` returned to read the thread); a question about a policy needs sign-in."""
    asked = services.ask_question(
        actor=request.user, now=timezone.now(), origin=Origin.API, **payload.dict()
    )
    return Status(
        201, _consultation_out(asked.consultation, staff=False, guest_key=asked.guest_key)
    )


@router.get("/consultations", response=list[ConsultationListOut])
@paginate(Paginated)
def list_mine(request: HttpRequest):
    """The signed-in customer's consultations, newest first."""
    return [
        {
            "reference": c.case.reference,
            "status": c.case.status,
            "title": c.case.title,
            "product": c.product.code if c.product else None,
            "policy": c.policy.number if c.policy else None,
            "created_at": c.created_at,
        }
        for c in selectors.my_consultations(request.user)
    ]


@router.get(
    "/consultations/{reference}", auth=optional_auth, response={200: ConsultationOut, **ERRORS}
)
def detail(request: HttpRequest, reference: str, key: str = ""):
    """One consultation with its thread; a guest passes `?key=<guest_key>`."""
    consultation = selectors.get_consultation_for(request.user, reference, guest_key=key)
    return _consultation_out(consultation, staff=is_staff_member(request.user))


@router.post("/consultations/{reference}/follow-up", response={201: ConsultationOut, **ERRORS})
def follow_up(request: HttpRequest, reference: str, payload: FollowUpIn):
    consultation = selectors.get_consultation_for(request.user, reference)
    services.follow_up(
        consultation=consultation,
        actor=request.user,
        now=timezone.now(),
        question=payload.question,
        ask_person=payload.ask_person,
    )
    consultation = selectors.get_consultation_for(request.user, reference)
    return Status(201, _consultation_out(consultation, staff=False))


@router.post("/consultations/{reference}/ask-person", response={200: ConsultationOut, **ERRORS})
def ask_person(request: HttpRequest, reference: str):
    consultation = selectors.get_consultation_for(request.user, reference)
    services.ask_for_person(consultation=consultation, actor=request.user, now=timezone.now())
    return _consultation_out(consultation, staff=False)


@router.post(
    "/consultations/{reference}/messages/{message_id}/rate", response={200: MessageOut, **ERRORS}
)
def rate(request: HttpRequest, reference: str, message_id: UUID, payload: AnswerRatingIn):
    consultation = selectors.get_consultation_for(request.user, reference)
    message = selectors.get_message_for(request.user, consultation, message_id)
    services.rate_answer(
        message=message, actor=request.user, rating=payload.rating, now=timezone.now()
    )
    return {
        "id": message.public_id,
        "kind": message.kind,
        "author": message.author_label,
        "body": message.body,
        "automatic": message.automatic,
        "confidence": message.confidence,
        "rating": message.rating,
        "created_at": message.created_at,
    }


@router.post("/consultations/{reference}/answer", response={201: ConsultationOut, **ERRORS})
def agent_answer(request: HttpRequest, reference: str, payload: AgentAnswerIn):
    """An agent answers a consultation waiting in the queue, citing article ids or clause refs."""
    if not is_staff_member(request.user):
        raise Http404("No such consultation.")
    consultation = selectors.get_consultation_for(request.user, reference)
    services.answer_consultation(
        consultation=consultation,
        actor=request.user,
        now=timezone.now(),
        body=payload.body,
        sources=payload.sources,
    )
    consultation = selectors.get_consultation_for(request.user, reference)
    return Status(201, _consultation_out(consultation, staff=True))


@router.post("/consultations/{reference}/close", response={200: ConsultationOut, **ERRORS})
def close(request: HttpRequest, reference: str):
    consultation = selectors.get_consultation_for(request.user, reference)
    services.close_consultation(consultation=consultation, actor=request.user, now=timezone.now())
    return _consultation_out(consultation, staff=is_staff_member(request.user))


# --- knowledge base --------------------------------------------------------------------------


@router.post("/kb/search", auth=optional_auth, response={200: SearchOut, **ERRORS})
def kb_search(request: HttpRequest, payload: SearchIn):
    """Ranked published articles and clauses for a question, each with its own id and score."""
    query = payload.query.strip()
    if not query:
        raise ValidationFailed("The query is empty.", field="query")
    language = payload.language or None
    if language is not None and language not in ("en", "zh"):
        raise ValidationFailed("Language must be en or zh.", field="language")
    market = get_profile(payload.market, field="market").code if payload.market else None
    answered = knowledge.search(query, language=language, limit=payload.limit, market=market)
    return {
        "confidence": round(answered.confidence, 4),
        "results": [
            {
                "id": f.id,
                "kind": f.kind,
                "title": f.title,
                "answer": f.answer,
                "score": round(f.score, 4),
                "url": f.url(),
            }
            for f in answered.found
        ],
    }


@router.get("/kb/articles", auth=optional_auth, response=list[ArticleOut])
@paginate(Paginated)
def list_articles(
    request: HttpRequest,
    q: str = Query("", max_length=500),
    status: str = Query("", max_length=20),
    language: str = Query("", max_length=10),
):
    """Published articles (staff: every article, filter by `status`)."""
    rows = selectors.filter_articles(
        selectors.articles_visible_to(request.user),
        query=q.strip(),
        status=status,
        language=language,
    )
    return [_article_out(a) for a in rows]


@router.get("/kb/articles/{external_id}", auth=optional_auth, response={200: ArticleOut, **ERRORS})
def get_article(request: HttpRequest, external_id: str):
    return _article_out(selectors.get_article_for(request.user, external_id))


@router.post("/kb/articles", response={201: ArticleOut, **ERRORS})
def create_article(request: HttpRequest, payload: ArticleIn):
    """A new draft article (agents, supervisors, administrators)."""
    data = payload.dict()
    article = services.create_article(
        actor=request.user, now=timezone.now(), external_id=data.pop("id"), **data
    )
    return Status(201, _article_out(selectors.get_article_for(request.user, article.external_id)))


@router.put("/kb/articles/{external_id}", response={200: ArticleOut, **ERRORS})
def change_article(request: HttpRequest, external_id: str, payload: ArticleChangeIn):
    if not is_staff_member(request.user):
        raise NotPermitted("Only staff edit the knowledge base.")
    article = selectors.get_article_for(request.user, external_id)
    services.update_article(
        article=article, actor=request.user, now=timezone.now(), **payload.dict()
    )
    return _article_out(selectors.get_article_for(request.user, external_id))


@router.post("/kb/articles/{external_id}/review", response={200: ArticleOut, **ERRORS})
def review_article(request: HttpRequest, external_id: str):
    article = _staff_article(request, external_id)
    services.review_article(article=article, actor=request.user, now=timezone.now())
    return _article_out(selectors.get_article_for(request.user, external_id))


@router.post("/kb/articles/{external_id}/publish", response={200: ArticleOut, **ERRORS})
def publish_article(request: HttpRequest, external_id: str):
    article = _staff_article(request, external_id)
    services.publish_article(article=article, actor=request.user, now=timezone.now())
    return _article_out(selectors.get_article_for(request.user, external_id))


def _staff_article(request, external_id):
    if not is_staff_member(request.user):
        raise NotPermitted("Only staff review and publish articles.")
    return selectors.get_article_for(request.user, external_id)


# --- lectures --------------------------------------------------------------------------------


def _lecture_out(lecture) -> dict:
    return {
        "id": lecture.public_id,
        "title": lecture.title,
        "topic": lecture.topic,
        "description": lecture.description,
        "speaker": lecture.speaker,
        "starts_at": lecture.starts_at,
        "duration_minutes": lecture.duration_minutes,
        "venue": lecture.venue,
        "online_link": lecture.online_link,
        "capacity": lecture.capacity,
        "seats_left": max(0, lecture.capacity - lecture.seats_taken),
        "waiting": lecture.waiting,
    }


@router.get("/lectures", auth=optional_auth, response=list[LectureOut])
@paginate(Paginated)
def list_lectures(request: HttpRequest):
    """Upcoming free lectures with the seats left."""
    return [_lecture_out(lecture) for lecture in selectors.upcoming_lectures(timezone.now())]


@router.post(
    "/lectures/{lecture_id}/register", auth=optional_auth, response={201: RegistrationOut, **ERRORS}
)
def register(request: HttpRequest, lecture_id: UUID, payload: RegisterIn):
    """A seat, or a place on the waiting list. Without an account give `name` and `email`."""
    from insuredesk.consultation.services.consultations import prospect

    now = timezone.now()
    lecture = selectors.get_lecture(lecture_id)
    attendee = customer_of(request.user)
    if attendee is None:
        if getattr(request.user, "is_authenticated", False):
            raise NotPermitted("Staff do not register for lectures.")
        from django.db import transaction

        with transaction.atomic():
            attendee = prospect(name=payload.name, email=payload.email, language="en", now=now)
    registration = services.register_for_lecture(
        lecture=lecture,
        attendee=attendee,
        actor=request.user,
        now=now,
        wants_follow_up=payload.wants_follow_up,
    )
    return Status(201, _registration_out(registration))


def _registration_out(r) -> dict:
    return {
        "id": r.public_id,
        "lecture": r.lecture.public_id,
        "status": r.status,
        "wants_follow_up": r.wants_follow_up,
        "registered_at": r.registered_at,
    }


@router.post(
    "/lectures/registrations/{registration_id}/cancel", response={200: RegistrationOut, **ERRORS}
)
def cancel(request: HttpRequest, registration_id: UUID):
    registration = selectors.get_registration_for(request.user, registration_id)
    services.cancel_registration(registration=registration, actor=request.user, now=timezone.now())
    return _registration_out(registration)


# --- clause explanation evidence -------------------------------------------------------------


@router.get("/explanations", response=list[ExplanationOut])
@paginate(Paginated)
def list_explanations(request: HttpRequest, customer: str = ""):
    """The caller's clause explanation records (staff: filter by customer number)."""
    rows = selectors.explanations_visible_to(request.user)
    if customer:
        rows = rows.filter(customer__number=customer)
    return [_explanation_out(e) for e in rows.order_by("-explained_at", "-id")]


@router.get("/explanations/{explanation_id}", response={200: ExplanationOut, **ERRORS})
def get_explanation(request: HttpRequest, explanation_id: UUID):
    return _explanation_out(selectors.get_explanation_for(request.user, explanation_id))


@router.post("/explanations", response={201: ExplanationOut, **ERRORS})
def acknowledge(request: HttpRequest, payload: AcknowledgeIn):
    """The signed-in customer acknowledges the guided explanation of a product version: every
    exemption clause number must be in `acknowledged` (CN-02)."""
    version = _product_version(payload.product, payload.version, payload.policy, request.user)
    explanation = services.acknowledge_online(
        actor=request.user,
        product_version=version,
        acknowledged=payload.acknowledged,
        now=timezone.now(),
        policy=payload.policy,
    )
    return Status(
        201, _explanation_out(selectors.get_explanation_for(request.user, explanation.public_id))
    )


def _product_version(code: str, number: int | None, policy: str | None, user):
    from insuredesk.catalog.models import ProductVersion
    from insuredesk.catalog.selectors import current_version
    from insuredesk.policies.selectors import policies_visible_to

    if policy:
        found = policies_visible_to(user).filter(number=policy).first()
        if found is None:
            raise Http404("No such policy.")
        return found.product_version
    versions = ProductVersion.objects.filter(product__code=code, product__is_published=True)
    if number is not None:
        version = versions.filter(version=number).first()
    else:
        first = versions.select_related("product").first()
        version = current_version(first.product) if first else None
    if version is None:
        raise ValidationFailed("No such product version.", field="product")
    return version
