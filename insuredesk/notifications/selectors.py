"""Reads of the outbox: a person's inbox, and what staff see of deliveries."""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from insuredesk.customers.selectors import customer_of
from insuredesk.notifications.models import Channel, Message, MessageStatus


def inbox_of(user) -> QuerySet[Message]:
    """What reached the user: portal messages and the e-mails and SMS sent to them, newest first.

    Only delivered messages: a pending e-mail is not in anyone's inbox yet. Staff alerts
    addressed to the user (recipient_user) appear here too.
    """
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    mine = Q(recipient_user=user)
    customer = customer_of(user)
    if customer is not None:
        mine |= Q(recipient_customer=customer)
    return (
        Message.objects.filter(mine, status=MessageStatus.SENT)
        .select_related("letter", "case")
        .order_by("-sent_at", "-id")
    )


def unread_count(user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


def get_message_for(user, public_id: UUID | str) -> Message:
    """One message of the user's inbox; anyone else's (or a malformed id) is a 404."""
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise Http404("No such message.") from None
    message = inbox_of(user).filter(public_id=public_id).first()
    if message is None:
        raise Http404("No such message.")
    return message


def deliveries_of_letter(letter) -> QuerySet[Message]:
    """How and when a letter went out (every channel, every status), oldest first."""
    return Message.objects.filter(letter=letter).order_by("created_at", "id")


def channel_label(channel: str) -> str:
    return Channel(channel).label
