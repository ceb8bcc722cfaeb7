"""The documents endpoints of the JSON API: letters, their PDFs and how they were delivered."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from insuredesk.documents.selectors import get_letter_for, letters_visible_to
from insuredesk.documents.services import open_letter
from insuredesk.documents.views import pdf_response
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut

router = Router(tags=["letters"])


class LetterOut(Schema):
    id: UUID
    kind: str
    title: str
    jurisdiction: str
    language: str
    case: str | None
    customer_number: str
    issued_at: datetime
    sha256: str
    size: int
    superseded_by: UUID | None
    pdf_url: str

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_case(obj) -> str | None:
        return obj.case.reference if obj.case_id else None

    @staticmethod
    def resolve_customer_number(obj) -> str:
        return obj.customer.number

    @staticmethod
    def resolve_superseded_by(obj) -> UUID | None:
        return obj.superseded_by.public_id if obj.superseded_by_id else None

    @staticmethod
    def resolve_pdf_url(obj) -> str:
        return reverse("api:letter_pdf", args=[obj.public_id])


class DeliveryOut(Schema):
    channel: str
    status: str
    address: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    read_at: datetime | None


class LetterDetailOut(LetterOut):
    template_name: str
    template_version: str
    supersedes: list[UUID]
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_supersedes(obj) -> list[UUID]:
        return [older.public_id for older in obj.supersedes.all()]


@router.get("/letters", response=list[LetterOut])
@paginate(Paginated)
def list_letters(request: HttpRequest, case: str | None = None, kind: str | None = None):
    """The caller's letters, newest first (staff: all); filter by case reference or kind."""
    letters = letters_visible_to(request.user)
    if case:
        letters = letters.filter(case__reference=case)
    if kind:
        letters = letters.filter(kind=kind)
    return letters


@router.get("/letters/{letter_id}", response={200: LetterDetailOut, 404: ErrorOut})
def letter_detail(request: HttpRequest, letter_id: UUID):
    """One letter: its checksum, the template it came from, and every delivery of it."""
    return get_letter_for(request.user, letter_id)


@router.get(
    "/letters/{letter_id}/pdf",
    response={200: None, 404: ErrorOut},
    url_name="letter_pdf",
    openapi_extra={
        "responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}
    },
)
def letter_pdf(request: HttpRequest, letter_id: UUID):
    """The letter's PDF exactly as issued (its SHA-256 is in the Repr-Digest header)."""
    letter = get_letter_for(request.user, letter_id)
    return pdf_response(letter, open_letter(letter=letter, user=request.user, now=timezone.now()))
