"""Issuing letters: render a template to PDF, store it with its checksum, never change it.

Both services run inside the caller's transaction (they open no durable block of their own):
the transition that needs a letter and the letter itself commit or roll back together, and a
template that fails to render raises `DomainError(code="letter_template_failed")` naming the
template, so the caller's transition rolls back with it.

A rolled-back transaction can leave the rendered PDF on disk (storage is not transactional);
such a file has no row and nobody can reach it through the application, and the worker deletes
it a day later (`orphans.sweep_orphan_files`).
"""

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from insuredesk.customers.roles import is_staff_member
from insuredesk.documents.channels import insurer_channels, outside_bodies
from insuredesk.documents.models import Letter
from insuredesk.errors import Conflict, DomainError
from insuredesk.rules.registry import get_profile

BASE_LAYOUT = "letters/base_letter.html"

logger = logging.getLogger(__name__)


class LetterTemplateFailed(DomainError):
    """The letter's template is missing or failed to render; `details["template"]` names it."""

    code = "letter_template_failed"
    status = 500


def issue_letter(
    *,
    kind: str,
    case=None,
    customer,
    context: dict[str, Any],
    actor,
    now: datetime,
    jurisdiction: str | None = None,
    language: str | None = None,
    title: str,
) -> Letter:
    """Render the `kind` letter for `customer` (and `case`) to PDF and store it.

    1. Pick the template: `letters/<kind>/<jurisdiction>.<language>.html`, then
       `letters/<kind>/<jurisdiction>.html`, `letters/<kind>/default.<language>.html`,
       `letters/<kind>/default.html` (jurisdiction lower-case: cn, gb, us-ca).
    2. Render it inside the shared layout (letterhead, date, recipient, reference, footer with
       the complaint channels) with `context` under `context` and the letter facts under `letter`.
    3. Render the PDF (WeasyPrint), hash it (SHA-256), store it under letters/YYYY/.
    4. Insert the row with the template name and version and a JSON snapshot of `context`.
    """
    rendered = render_letter_html(
        kind=kind,
        case=case,
        customer=customer,
        context=context,
        now=now,
        jurisdiction=jurisdiction,
        language=language,
        title=title,
    )
    pdf = render_pdf(rendered.html, template_name=rendered.template_name)
    public_id = rendered.public_id

    letter = Letter(
        public_id=public_id,
        case=case,
        customer=customer,
        kind=kind,
        jurisdiction=rendered.jurisdiction,
        language=rendered.language,
        title=title,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        template_name=rendered.template_name,
        template_version=rendered.template_version,
        issued_at=now,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        context=_snapshot(context),
    )
    letter.file.save(letter.filename, ContentFile(pdf), save=False)
    letter.save()
    return letter


@dataclass(frozen=True)
class RenderedLetter:
    """A letter rendered to HTML, before the PDF: what issuing and previews share."""

    public_id: uuid.UUID
    jurisdiction: str
    language: str
    template_name: str
    template_version: str
    html: str


def render_letter_html(
    *,
    kind: str,
    case=None,
    customer,
    context: dict[str, Any],
    now: datetime,
    jurisdiction: str | None = None,
    language: str | None = None,
    title: str,
) -> RenderedLetter:
    """Steps 1 and 2 of `issue_letter`: pick the template and render the HTML (no side effects)."""
    jurisdiction = (
        jurisdiction
        or getattr(case, "jurisdiction", None)
        or customer.jurisdiction
        or settings.INSUREDESK["DEFAULT_JURISDICTION"]
    ).upper()
    language = language or customer.language or "en"
    public_id = uuid.uuid4()
    template = _select(kind, jurisdiction, language)
    template_name = template.origin.template_name
    facts = _letter_facts(
        public_id=public_id,
        kind=kind,
        case=case,
        customer=customer,
        jurisdiction=jurisdiction,
        language=language,
        title=title,
        now=now,
        corrects=context.get("corrects"),
    )
    try:
        html = template.render({"letter": facts, "context": context, **context})
    except Exception as exc:  # any error in a template (tag, filter, include) is the template's
        raise _failed(template_name, exc) from exc
    return RenderedLetter(
        public_id=public_id,
        jurisdiction=jurisdiction,
        language=language,
        template_name=template_name,
        template_version=hashlib.sha256(template.template.source.encode()).hexdigest()[:16],
        html=html,
    )


def correct_letter(
    *,
    letter: Letter,
    context: dict[str, Any],
    actor,
    now: datetime,
    reason: str,
    title: str | None = None,
) -> Letter:
    """Issue a corrected letter that supersedes `letter` (which stays as it was).

    The correction has the same kind, case, customer, jurisdiction and language, says which
    letter it replaces and why, and `letter.superseded_by` points to it. Correcting a letter
    that was already corrected is a conflict: correct the newest one instead.
    """
    with transaction.atomic():
        correction = issue_letter(
            kind=letter.kind,
            case=letter.case,
            customer=letter.customer,
            context={
                **context,
                "corrects": {
                    "public_id": str(letter.public_id),
                    "issued_at": letter.issued_at.isoformat(),
                    "title": letter.title,
                    "reason": reason,
                },
            },
            actor=actor,
            now=now,
            jurisdiction=letter.jurisdiction,
            language=letter.language,
            title=title or letter.title,
        )
        # Compare-and-set: two people correcting the same letter at once cannot both win.
        moved = Letter.objects.filter(pk=letter.pk, superseded_by__isnull=True).update(
            superseded_by=correction
        )
        if not moved:
            raise Conflict(
                "This letter has already been corrected; correct the newest letter instead.",
                letter=str(letter.public_id),
            )
    letter.superseded_by = correction
    return correction


def render_pdf(html: str, *, template_name: str) -> bytes:
    """The PDF of a rendered letter; a layout error names the template it came from."""
    import weasyprint  # imported here: it loads Pango, which pages that never print don't need

    try:
        return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    except Exception as exc:
        raise _failed(template_name, exc) from exc


def template_candidates(kind: str, jurisdiction: str, language: str) -> list[str]:
    code = jurisdiction.lower()
    return [
        f"letters/{kind}/{code}.{language}.html",
        f"letters/{kind}/{code}.html",
        f"letters/{kind}/default.{language}.html",
        f"letters/{kind}/default.html",
    ]


def _select(kind: str, jurisdiction: str, language: str):
    """The first template that exists; one that exists but does not compile is named."""
    candidates = template_candidates(kind, jurisdiction, language)
    for name in candidates:
        try:
            return get_template(name)
        except TemplateDoesNotExist:
            continue
        except Exception as exc:  # TemplateSyntaxError, a missing {% extends %} parent, …
            raise _failed(name, exc) from exc
    raise LetterTemplateFailed(
        f"No letter template for {kind!r}: add {candidates[-1]}.",
        template=candidates[-1],
        tried=candidates,
    )


def _failed(template_name: str, exc: Exception) -> LetterTemplateFailed:
    return LetterTemplateFailed(
        f"Letter template {template_name} failed to render: {exc}",
        template=template_name,
        reason=f"{type(exc).__name__}: {exc}",
    )


def _letter_facts(
    *,
    public_id: uuid.UUID,
    kind: str,
    case,
    customer,
    jurisdiction: str,
    language: str,
    title: str,
    now: datetime,
    corrects: dict | None,
) -> dict[str, Any]:
    """What the shared layout prints around every letter's body."""
    profile = get_profile(jurisdiction)
    local = now.astimezone(profile.tz)
    if language == "zh":
        date_text = f"{local.year}年{local.month}月{local.day}日"
    else:
        date_text = f"{local.day} {local:%B %Y}"
    return {
        "id": str(public_id),
        "kind": kind,
        "title": title,
        "insurer_name": settings.INSUREDESK["INSURER_NAME"],
        "date": local.date(),
        "date_text": date_text,
        "jurisdiction": jurisdiction,
        "language": language,
        "reference": getattr(case, "reference", "") or customer.number,
        "case_reference": getattr(case, "reference", ""),
        "customer_number": customer.number,
        "recipient_name": customer.full_name,
        "recipient_address": customer.address,
        "channels": insurer_channels(),
        "outside_bodies": outside_bodies(jurisdiction),
        "corrects": corrects,
    }


class _SnapshotEncoder(DjangoJSONEncoder):
    """Dates, decimals and UUIDs as DjangoJSONEncoder writes them; anything else as its text."""

    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _snapshot(context: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(context, cls=_SnapshotEncoder))


class LetterFileDamaged(DomainError):
    """The stored PDF no longer matches the checksum recorded when the letter was issued."""

    code = "letter_file_damaged"
    status = 500


def open_letter(*, letter: Letter, user, now: datetime) -> bytes:
    """The letter's PDF for download, checked against its SHA-256; staff reads are logged.

    A customer reading their own letter is not logged; a member of staff opening a letter on a
    case is (DESIGN: every staff access to a case is logged). A PDF that fails its checksum, or
    is gone, is never served: the error names the letter so the damage can be investigated.
    """
    try:
        with letter.file.open("rb") as f:
            data = f.read()
    except FileNotFoundError:
        logger.error("Letter %s: stored PDF is missing", letter.public_id)
        raise LetterFileDamaged(
            "The stored letter is missing and cannot be shown.", letter=str(letter.public_id)
        ) from None
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        logger.error("Letter %s: stored PDF fails its checksum", letter.public_id)
        raise LetterFileDamaged(
            "The stored letter is damaged and cannot be shown.", letter=str(letter.public_id)
        )
    if is_staff_member(user):
        _log_staff_access(letter, user=user, now=now)
    return data


def _log_staff_access(letter: Letter, *, user, now: datetime) -> None:
    case = letter.case
    if case is None:
        logger.info("Staff %s opened letter %s (no case)", user.get_username(), letter.public_id)
        return
    from insuredesk.casework.services import log_access

    log_access(case, user=user, now=now, what=f"letter {letter.public_id}")
