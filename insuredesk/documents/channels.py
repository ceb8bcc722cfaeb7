"""Where a customer can complain, as printed in the footer of every letter (CN-32).

The insurer's own channels come from settings.INSUREDESK["COMPLAINT_CHANNELS"] (a dict with any of
phone, email, post, web); the outside bodies (regulator, ombudsman) come from the jurisdiction
profile in `rules`. Contact details the rules profile marks unconfirmed (status U) are not printed:
only the body's name is, so a letter never carries a phone number nobody has checked.
"""

from dataclasses import dataclass

from django.conf import settings

from insuredesk.rules.registry import Contact, get_profile

DEFAULT_CHANNELS = {
    "phone": "",
    "email": "complaints@insuredesk.example",
    "post": "Customer Relations",
    "web": "/portal/",
}


@dataclass(frozen=True)
class Body:
    """An outside body a customer may turn to, with the details we may print."""

    name: str
    role: str
    phone: str
    website: str
    address: str


def insurer_channels() -> dict[str, str]:
    configured = settings.INSUREDESK.get("COMPLAINT_CHANNELS") or {}
    channels = {**DEFAULT_CHANNELS, **configured}
    return {key: value for key, value in channels.items() if value}


def outside_bodies(jurisdiction: str) -> list[Body]:
    profile = get_profile(jurisdiction)
    return [_body(c) for c in (profile.regulator, profile.ombudsman) if c is not None and c.name]


def _body(contact: Contact) -> Body:
    confirmed = contact.status != "U"
    return Body(
        name=contact.name,
        role=contact.role,
        phone=contact.phone if confirmed else "",
        website=contact.website if confirmed else "",
        address=contact.address if confirmed else "",
    )
