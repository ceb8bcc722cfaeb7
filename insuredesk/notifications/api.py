"""The notifications endpoints of the JSON API: the caller's inbox."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from insuredesk.notifications import services
from insuredesk.notifications.selectors import inbox_of
from insuredesk.web.pagination import Paginated
from insuredesk.web.schemas import ErrorOut

router = Router(tags=["inbox"])


class InboxMessageOut(Schema):
    id: UUID
    channel: str
    subject: str
    body: str
    case: str | None
    letter: UUID | None
    sent_at: datetime | None
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_case(obj) -> str | None:
        return obj.case.reference if obj.case_id else None

    @staticmethod
    def resolve_letter(obj) -> UUID | None:
        return obj.letter.public_id if obj.letter_id else None

    @staticmethod
    def resolve_unread(obj) -> bool:
        return obj.read_at is None


@router.get("/inbox", response=list[InboxMessageOut])
@paginate(Paginated)
def inbox(request: HttpRequest, unread: bool | None = None):
    """What reached the caller (portal messages, e-mails, SMS), newest first."""
    messages = inbox_of(request.user)
    if unread is not None:
        messages = messages.filter(read_at__isnull=unread)
    return messages


@router.post("/inbox/{message_id}/read", response={200: InboxMessageOut, 404: ErrorOut})
def mark_read(request: HttpRequest, message_id: UUID):
    """Mark one of the caller's messages read; marking it again keeps the first time."""
    return services.mark_message_read(actor=request.user, message_id=message_id, now=timezone.now())
