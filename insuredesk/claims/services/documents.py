"""Claim documents: uploads with type/size limits and checksum, and the one consolidated
missing-documents notice (CN-18) that pauses the decision clock until the supplement (CN-20)."""

import hashlib
from datetime import datetime

from django.db import IntegrityError, transaction

from insuredesk.casework import services as casework
from insuredesk.claims.choices import ClaimStatus, DocumentKind
from insuredesk.claims.models import Claim, ClaimDocument, DocumentRequest
from insuredesk.claims.services.people import (
    claim_letter,
    lock_claim,
    require_claimant_or_handler,
    require_handler,
    setting,
    tell_customer,
)
from insuredesk.claims.wording import documents_zh, message_zh
from insuredesk.errors import Conflict, InvalidTransition, ValidationFailed

# File signatures we accept: the declared content type is not trusted.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
FREE_CODES = {DocumentKind.OTHER, DocumentKind.EVIDENCE, DocumentKind.SURVEY_PHOTO}


def max_upload_bytes() -> int:
    return int(setting("CLAIMS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def required_documents(claim: Claim) -> list[dict[str, str]]:
    """The catalogue's required documents for the claim's coverage, plus any a notice asked for."""
    items = {d["code"]: d["name"] for d in claim.coverage.required_documents or []}
    for request in claim.document_requests.all():
        for item in request.items:
            items.setdefault(item["code"], item["name"])
    return [{"code": code, "name": name} for code, name in items.items()]


def held_codes(claim: Claim) -> set[str]:
    return set(claim.documents.filter(kind=DocumentKind.REQUIRED).values_list("code", flat=True))


def outstanding_documents(claim: Claim) -> list[dict[str, str]]:
    held = held_codes(claim)
    return [d for d in required_documents(claim) if d["code"] not in held]


def sniff(head: bytes) -> str | None:
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(s) for s in signatures):
            return content_type
    return None


def store_document(
    claim: Claim,
    *,
    upload,
    code: str,
    actor,
    now: datetime,
    dispute=None,
    field: str = "file",
) -> tuple[ClaimDocument, bool]:
    """Validate and store one file; (document, created). The same file twice is kept once."""
    names = {d["code"]: d["name"] for d in required_documents(claim)}
    if code in names:
        kind, name = DocumentKind.REQUIRED, names[code]
    elif code in FREE_CODES:
        kind = DocumentKind(code)
        name = kind.label
    else:
        raise ValidationFailed(
            f"Unknown document code {code!r}; expected one of: "
            f"{', '.join([*names, *sorted(FREE_CODES)])}.",
            field="code",
        )
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationFailed("The file is empty.", field=field, code="empty_file")
    if size > max_upload_bytes():
        raise ValidationFailed(
            f"The file is {size} bytes; the limit is {max_upload_bytes()} bytes.",
            field=field,
            code="file_too_large",
            limit=max_upload_bytes(),
        )
    upload.seek(0)
    content_type = sniff(upload.read(16))
    if content_type is None:
        raise ValidationFailed(
            "Only PDF, JPEG and PNG files are accepted.",
            field=field,
            code="unsupported_file_type",
            accepted=sorted(SIGNATURES),
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    sha = digest.hexdigest()
    existing = claim.documents.filter(sha256=sha).first()
    if existing is not None:
        return existing, False
    upload.seek(0)
    original = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    document = ClaimDocument(
        claim=claim,
        dispute=dispute,
        kind=kind,
        code=code,
        name=name,
        original_name=original,
        content_type=content_type,
        size=size,
        sha256=sha,
        uploaded_by=actor,
        uploaded_at=now,
    )
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    document.file.save(f"{claim.case.reference}-{sha[:12]}.{extension}", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # the same file uploaded twice at once
        return claim.documents.get(sha256=sha), False
    casework.record_event(
        claim.case,
        kind="document_uploaded",
        actor=actor,
        now=now,
        data={"code": code, "name": name, "sha256": sha, "size": size},
        visible_to_customer=kind != DocumentKind.SURVEY_PHOTO,
    )
    return document, True


def upload_claim_document(
    *,
    claim: Claim,
    upload,
    code: str,
    actor,
    now: datetime,
) -> ClaimDocument:
    """Add a file to an open claim; completing the documents resumes the clock and may
    fast-track the claim."""
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        require_claimant_or_handler(actor, claim, "add documents")
        if not claim.case.is_open:
            raise InvalidTransition(
                f"Claim {claim.case.reference} is closed.", reference=claim.case.reference
            )
        document, created = store_document(claim, upload=upload, code=code, actor=actor, now=now)
        if created:
            after_documents_change(claim, actor=actor, now=now)
    return document


def after_documents_change(claim: Claim, *, actor, now: datetime) -> None:
    """When nothing is outstanding any more: close the notice, resume the clock (CN-20),
    mark proof of claim (starts CA-05, CA-08, CN-23) and offer the claim to fast-track."""
    if outstanding_documents(claim):
        return
    request = claim.document_requests.filter(fulfilled_at__isnull=True).first()
    if request is not None:
        request.fulfilled_at = now
        request.save(update_fields=["fulfilled_at"])
    if claim.case.status == ClaimStatus.AWAITING_DOCUMENTS:
        casework.transition(
            claim.case,
            to=ClaimStatus.INVESTIGATING,
            actor=actor,
            now=now,
            event="documents_received",
        )
    if claim.documents_complete_at is None:
        claim.documents_complete_at = now
        Claim.objects.filter(pk=claim.pk).update(documents_complete_at=now)
        casework.record_event(claim.case, kind="documents_completed", actor=actor, now=now)
        _offer_fast_track(claim)


def _offer_fast_track(claim: Claim) -> None:
    from insuredesk.claims.services.people import fast_track_limit

    if claim.amount_claimed is None or claim.amount_claimed > fast_track_limit():
        return
    if claim.case.status not in (ClaimStatus.REPORTED, ClaimStatus.INVESTIGATING):
        return
    claim_id = claim.pk

    def enqueue() -> None:
        from insuredesk.claims.tasks import fast_track

        fast_track.enqueue(claim_id)

    transaction.on_commit(enqueue)


def request_missing_documents(
    *,
    claim: Claim,
    actor,
    now: datetime,
    note: str = "",
    extra: list[dict[str, str]] | None = None,
) -> DocumentRequest:
    """Send the one consolidated missing-documents notice (CN-18, IL Art. 22).

    It lists every document still outstanding, never one already held (`extra` items the
    handler adds must not duplicate what we hold); a letter and a message go out, and the
    CN decision clock pauses from now until the last item arrives (CN-20, JI-II Art. 15).
    """
    with transaction.atomic(durable=True):
        claim = lock_claim(claim)
        require_handler(actor, "request documents")
        earlier = claim.document_requests.first()
        if earlier is not None and claim.case.jurisdiction == "CN":
            raise Conflict(
                "The missing-documents notice was already sent on "
                f"{earlier.requested_at:%Y-%m-%d}; CN-18 (IL Art. 22) allows one consolidated "
                "notice.",
                code="documents_already_requested",
                rule="CN-18",
            )
        held = held_codes(claim)
        items = [d for d in required_documents(claim) if d["code"] not in held]
        known = {d["code"] for d in items} | held
        for index, item in enumerate(extra or []):
            code, name = (item.get("code") or "").strip(), (item.get("name") or "").strip()
            if not code or not name:
                raise ValidationFailed(
                    "Each extra document needs a code and a name.", field=f"extra.{index}"
                )
            if code in held:
                raise ValidationFailed(
                    f"We already hold {name}; never ask for it again.",
                    field=f"extra.{index}.code",
                    code="document_already_held",
                )
            if code not in known:
                items.append({"code": code, "name": name})
                known.add(code)
        if not items:
            raise ValidationFailed(
                "Nothing is missing: every required document is held.",
                field="claim",
                code="nothing_missing",
            )
        letter = claim_letter(
            claim,
            kind="claim_missing_documents",
            title="Documents we still need for your claim",
            context={"items": items, "note": note},
            actor=actor,
            now=now,
        )
        request = DocumentRequest.objects.create(
            claim=claim,
            items=items,
            note=note,
            letter=letter,
            requested_by=actor,
            requested_at=now,
        )
        casework.transition(
            claim.case,
            to=ClaimStatus.AWAITING_DOCUMENTS,
            actor=actor,
            now=now,
            event="documents_requested",
            reason=note,
            data={"items": items, "letter": str(letter.public_id), "rule": "CN-18"},
        )
        tell_customer(
            claim,
            subject=f"Claim {claim.case.reference}: documents we still need",
            body="Please upload: " + ", ".join(i["name"] for i in items) + ".",
            key=f"claim-docs:{claim.case.reference}:{request.pk}",
            now=now,
            letter=letter,
            zh=message_zh(
                "missing_documents",
                reference=claim.case.reference,
                documents=documents_zh(i["name"] for i in items),
            ),
        )
    return request
