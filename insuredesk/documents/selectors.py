"""Reads of letters; who may see which letter is decided here and nowhere else."""

from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from insuredesk.customers.roles import is_staff_member
from insuredesk.customers.selectors import customer_of
from insuredesk.documents.models import Letter


def letters_visible_to(user) -> QuerySet[Letter]:
    """Staff see every letter; a customer sees the letters addressed to them."""
    letters = Letter.objects.select_related("case", "customer", "superseded_by")
    if is_staff_member(user):
        return letters
    customer = customer_of(user)
    if customer is None:
        return letters.none()
    return letters.filter(customer=customer)


def get_letter_for(user, public_id: UUID | str) -> Letter:
    """One letter the user may see; anything else (including a malformed id) is a 404."""
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise Http404("No such letter.") from None
    letter = with_deliveries(letters_visible_to(user)).filter(public_id=public_id).first()
    if letter is None:
        raise Http404("No such letter.")
    return letter


def letters_for_case(case) -> QuerySet[Letter]:
    """A case's letters, newest first, with their deliveries (for the case page)."""
    return with_deliveries(
        Letter.objects.select_related("customer", "superseded_by").filter(case=case)
    )


def with_deliveries(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    """Prefetch each letter's deliveries (outbox messages) as `letter.deliveries`, oldest first.

    The messages live in `notifications`, which depends on this app; the reverse relation keeps
    this module free of an import in the wrong direction.
    """
    related = Letter._meta.get_field("messages").related_model
    return letters.prefetch_related(
        Prefetch(
            "messages",
            queryset=related._default_manager.order_by("created_at"),
            to_attr="deliveries",
        )
    )
