"""Receiving a complaint: from the portal or API, or recorded by staff; attachments; withdrawal.

Intake rules: the channel is recorded; a proxy or heir shows their authority; a group complaint
names at most five representatives (CN-34); the acknowledgement goes out at once (GB-07); we
never ask for documents we already hold (CN-34); a withdrawal closes the complaint the day it
arrives (CN-34).
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from insuredesk.casework import services as casework
from insuredesk.casework.models import Case
from insuredesk.complaints import clocks
from insuredesk.complaints.choices import (
    KIND,
    STAFF_CHANNELS,
    AttachmentKind,
    Channel,
    ComplainantRole,
    ComplaintStatus,
    HeldDocument,
    Priority,
)
from insuredesk.complaints.models import (
    DESCRIPTION_MAX,
    DESIRED_OUTCOME_MAX,
    MAX_REPRESENTATIVES,
    NOTE_MAX,
    Attachment,
    Complaint,
    DocumentRequest,
    Representative,
)
from insuredesk.complaints.services.common import (
    complainant,
    is_complainant,
    require_complainant_or_staff,
    require_handler,
    send_letter,
    tell,
    text,
)
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role, is_staff_member
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.policies.models import Policy
from insuredesk.rules.deadlines import compute_deadline

MB = 1024 * 1024
# What each kind of attachment may be: extensions, the bytes a real file of that type starts
# with, and the size limit. Recordings (CN-33) are larger, so they get their own limits.
ATTACHMENT_RULES: dict[str, dict[str, Any]] = {
    AttachmentKind.DOCUMENT: {"extensions": {".pdf", ".jpg", ".jpeg", ".png"}, "max": 10 * MB},
    AttachmentKind.AUTHORITY: {"extensions": {".pdf", ".jpg", ".jpeg", ".png"}, "max": 10 * MB},
    AttachmentKind.AUDIO: {
        "extensions": {".mp3", ".m4a", ".wav", ".ogg", ".amr"},
        "max": 50 * MB,
    },
    AttachmentKind.VIDEO: {"extensions": {".mp4", ".mov", ".webm"}, "max": 200 * MB},
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".amr": "audio/amr",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
}


def _looks_like(extension: str, head: bytes) -> bool:
    """A cheap check that the file is what its name says (its first bytes)."""
    if extension == ".pdf":
        return head.startswith(b"%PDF")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == ".png":
        return head.startswith(b"\x89PNG")
    if extension == ".mp3":
        return head.startswith(b"ID3") or head[:1] == b"\xff"
    if extension == ".wav":
        return head.startswith(b"RIFF")
    if extension == ".ogg":
        return head.startswith(b"OggS")
    if extension == ".amr":
        return head.startswith(b"#!AMR")
    if extension in (".mp4", ".m4a", ".mov"):
        return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")
    if extension == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    return False


@dataclass(frozen=True)
class NewAttachment:
    """An uploaded file and what it is, as handed to the services."""

    kind: str
    upload: Any  # django UploadedFile (name, size, chunks())
    description: str = ""


def submit_complaint(
    *,
    customer: CustomerProfile,
    actor,
    now: datetime,
    channel: str,
    description: str,
    desired_outcome: str,
    complainant_role: str = ComplainantRole.CUSTOMER,
    complainant_name: str = "",
    complainant_contact: str = "",
    authority_evidence: str = "",
    policy: Policy | None = None,
    related_case: Case | None = None,
    is_group: bool = False,
    group_size: int | None = None,
    representatives: Sequence[dict[str, str]] = (),
    attachments: Iterable[NewAttachment] = (),
    priority: str = Priority.NORMAL,
    acknowledge: bool = True,
) -> Complaint:
    """Receive a complaint from the customer (portal, API) or record one as staff.

    1. Check who may use which channel and every field, naming the one at fault.
    2. Open the case (event "received" starts the CN-28 / GB-09 clocks) and the complaint.
    3. GB: note the last business day for a summary resolution (GB-08, DISP 1.5).
    4. Keep the attachments.
    5. Acknowledge at once: letter and message (GB-07, DISP 1.6).
    """
    # 1.
    staff = is_staff_member(actor)
    if channel not in Channel.values:
        raise ValidationFailed(f"Unknown channel {channel!r}.", field="channel")
    if staff:
        # An agent records a complaint a customer makes at a visit (channel "visit"); handling
        # it stays with the complaint handlers, in whose queue it lands unassigned.
        if not (channel == Channel.VISIT and has_role(actor, Role.AGENT)):
            require_handler(actor)
        if channel not in STAFF_CHANNELS:
            raise ValidationFailed(
                "Staff record complaints that came by phone, letter, visit or the regulator.",
                field="channel",
            )
    else:
        if customer.user_id is None or customer.user_id != getattr(actor, "pk", None):
            raise NotPermitted("You can complain only in your own name or as a recorded proxy.")
        if channel in STAFF_CHANNELS:
            raise ValidationFailed(
                "Customers complain through the portal or the API.", field="channel"
            )
    description = text(description, field="description", max_length=DESCRIPTION_MAX)
    desired_outcome = text(desired_outcome, field="desired_outcome", max_length=DESIRED_OUTCOME_MAX)
    if complainant_role not in ComplainantRole.values:
        raise ValidationFailed("Unknown complainant role.", field="complainant_role")
    complainant_name = text(
        complainant_name,
        field="complainant_name",
        max_length=200,
        required=complainant_role != ComplainantRole.CUSTOMER,
    )
    complainant_contact = text(
        complainant_contact, field="complainant_contact", max_length=200, required=False
    )
    attachments = list(attachments)
    authority_evidence = text(
        authority_evidence, field="authority_evidence", max_length=NOTE_MAX, required=False
    )
    if complainant_role != ComplainantRole.CUSTOMER and not authority_evidence:
        if any(a.kind == AttachmentKind.AUTHORITY for a in attachments):
            authority_evidence = "See the proof of authority attached."
        else:
            raise ValidationFailed(
                "A proxy or heir must show their authority: describe it or attach it.",
                field="authority_evidence",
            )
    if priority not in Priority.values:
        raise ValidationFailed("Unknown priority.", field="priority")
    if policy is not None and policy.policyholder_id != customer.pk:
        raise ValidationFailed("That policy is not the complainant's.", field="policy")
    if related_case is not None and related_case.customer_id != customer.pk:
        raise ValidationFailed("That case is not the complainant's.", field="related_case")
    representatives = [
        {
            "full_name": text(
                r.get("full_name"), field=f"representatives.{i}.full_name", max_length=200
            ),
            "contact": text(
                r.get("contact"),
                field=f"representatives.{i}.contact",
                max_length=200,
                required=False,
            ),
        }
        for i, r in enumerate(representatives)
    ]
    if representatives and not is_group:
        raise ValidationFailed(
            "Only a group complaint names representatives.", field="representatives"
        )
    if len(representatives) > MAX_REPRESENTATIVES:
        raise ValidationFailed(
            f"A group complaint names at most {MAX_REPRESENTATIVES} representatives (CN-34).",
            field="representatives",
            rule="CN-34",
        )
    if is_group and group_size is not None and group_size < 2:
        raise ValidationFailed("A group has at least two members.", field="group_size")
    jurisdiction = (policy.jurisdiction if policy is not None else customer.jurisdiction) or "CN"

    with transaction.atomic(durable=True):
        # 2.
        title = description.splitlines()[0][:80]
        case = casework.open_case(
            kind=KIND,
            title=title,
            actor=actor,
            now=now,
            customer=customer,
            jurisdiction=jurisdiction,
            event="received",
            data={"channel": channel},
        )
        complaint = Complaint.objects.create(
            case=case,
            channel=channel,
            received_at=now,
            recorded_by=actor if staff else None,
            complainant_role=complainant_role,
            complainant_name=complainant_name,
            complainant_contact=complainant_contact,
            authority_evidence=authority_evidence,
            description=description,
            desired_outcome=desired_outcome,
            policy=policy,
            related_case=related_case,
            product_version=policy.product_version if policy is not None else None,
            product=policy.product_version.product if policy is not None else None,
            is_group=is_group,
            group_size=group_size if is_group else None,
            priority=priority,
        )
        Representative.objects.bulk_create(
            [Representative(complaint=complaint, **r) for r in representatives]
        )
        # 3.
        if case.jurisdiction == "GB":
            complaint.summary_resolution_by = compute_deadline(
                jurisdiction="GB", rule="GB-08", start=now
            ).due_date
            complaint.save(update_fields=["summary_resolution_by"])
        # 4.
        for index, attachment in enumerate(attachments):
            _attach(complaint, attachment, actor=actor, now=now, field=f"attachments.{index}")
        # 5.
        if acknowledge:
            _acknowledge(complaint, actor=actor, now=now)
    return complaint


def acknowledge_complaint(*, complaint: Complaint, actor, now: datetime) -> Complaint:
    """Send the written acknowledgement of a complaint recorded without one (GB-07)."""
    require_handler(actor)
    with transaction.atomic(durable=True):
        _acknowledge(complaint, actor=actor, now=now)
    return complaint


def _acknowledge(complaint: Complaint, *, actor, now: datetime) -> None:
    case = complaint.case
    if case.status != ComplaintStatus.RECEIVED:
        raise InvalidTransition(
            f"{case.reference} has already been acknowledged.", reference=case.reference
        )
    clock = clocks.main_clock(case)
    letter = send_letter(
        complaint,
        kind="complaint_acknowledgement",
        title="We have received your complaint",
        context={
            "due_date": clock.due_date.isoformat() if clock else "",
            "rule": clock.rule if clock else "",
            "summary_resolution_by": (
                complaint.summary_resolution_by.isoformat()
                if complaint.summary_resolution_by
                else ""
            ),
            "handler": getattr(case.assignee, "get_full_name", lambda: "")() or "",
        },
        actor=actor,
        now=now,
        message="We have received your complaint and sent you an acknowledgement letter.",
    )
    casework.transition(
        case,
        to=ComplaintStatus.ACKNOWLEDGED,
        actor=actor,
        now=now,
        data={
            "letter": str(letter.public_id),
            "rule": "GB-07" if case.jurisdiction == "GB" else "",
        },
    )
    complaint.acknowledged_at = now
    complaint.save(update_fields=["acknowledged_at"])


def add_attachment(
    *,
    complaint: Complaint,
    attachment: NewAttachment,
    actor,
    now: datetime,
) -> Attachment:
    """Keep a file with an open complaint: evidence, authority, or a recording (CN-33)."""
    require_complainant_or_staff(actor, complaint)
    if not complaint.case.is_open:
        raise InvalidTransition(f"{complaint.reference} is closed.", reference=complaint.reference)
    with transaction.atomic(durable=True):
        kept = _attach(complaint, attachment, actor=actor, now=now, field="file")
        casework.record_event(
            complaint.case,
            kind="attachment_added",
            actor=actor,
            now=now,
            data={"kind": kept.kind, "name": kept.original_name, "sha256": kept.sha256},
        )
    return kept


def _attach(
    complaint: Complaint,
    new: NewAttachment,
    *,
    actor,
    now: datetime,
    field: str,
) -> Attachment:
    rules = ATTACHMENT_RULES.get(new.kind)
    if rules is None:
        raise ValidationFailed(
            f"Unknown attachment kind {new.kind!r}.",
            field=f"{field}.kind" if field != "file" else "kind",
        )
    upload = new.upload
    name = Path(getattr(upload, "name", "") or "").name[:200]
    extension = Path(name).suffix.lower()
    if extension not in rules["extensions"]:
        raise ValidationFailed(
            f"A {AttachmentKind(new.kind).label.lower()} must be one of "
            f"{', '.join(sorted(rules['extensions']))}.",
            field=field,
            allowed=sorted(rules["extensions"]),
        )
    if not upload.size:
        raise ValidationFailed("The file is empty.", field=field)
    if upload.size > rules["max"]:
        raise ValidationFailed(
            f"The file is larger than {rules['max'] // MB} MB.",
            field=field,
            max_bytes=rules["max"],
        )
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        digest.update(chunk)
    if not _looks_like(extension, head):
        raise ValidationFailed(f"The file does not look like a {extension} file.", field=field)
    upload.seek(0)
    attachment = Attachment(
        complaint=complaint,
        kind=new.kind,
        original_name=name,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=upload.size,
        sha256=digest.hexdigest(),
        description=(new.description or "")[:300],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        uploaded_at=now,
    )
    attachment.file.save(f"upload{extension}", upload, save=False)
    attachment.save()
    return attachment


def held_documents(complaint: Complaint) -> set[str]:
    """Documents the insurer already holds for this complainant (CN-34: never ask for them)."""
    held: set[str] = set()
    if complaint.policy_id:
        held.add(HeldDocument.POLICY_CONTRACT)
    kinds = set(
        Attachment.objects.filter(complaint__case__customer=complaint.case.customer_id).values_list(
            "kind", flat=True
        )
    )
    if AttachmentKind.AUTHORITY in kinds or complaint.authority_evidence:
        held.add(HeldDocument.AUTHORITY)
    if AttachmentKind.AUDIO in kinds or AttachmentKind.VIDEO in kinds:
        held.add(HeldDocument.RECORDING)
    from insuredesk.documents.models import Letter

    if Letter.objects.filter(customer=complaint.case.customer_id).exists():
        held.add(HeldDocument.CORRESPONDENCE)
    customer = complainant(complaint)
    if customer.date_of_birth and customer.user_id:
        held.add(HeldDocument.IDENTITY)  # verified when the account was opened
    return held


def request_documents(
    *,
    complaint: Complaint,
    documents: Sequence[str],
    note: str = "",
    actor,
    now: datetime,
) -> DocumentRequest:
    """Ask the complainant for documents, all at once; refuse to ask for ones we hold (CN-34)."""
    require_handler(actor)
    if not complaint.case.is_open:
        raise InvalidTransition(f"{complaint.reference} is closed.", reference=complaint.reference)
    wanted = list(dict.fromkeys(documents))
    if not wanted:
        raise ValidationFailed("Name at least one document.", field="documents")
    for index, code in enumerate(wanted):
        if code not in HeldDocument.values:
            raise ValidationFailed(f"Unknown document {code!r}.", field=f"documents.{index}")
    already = sorted(set(wanted) & held_documents(complaint))
    if already:
        raise ValidationFailed(
            "We already hold "
            + ", ".join(HeldDocument(c).label.lower() for c in already)
            + "; CN-34 (CM Art. 13) forbids asking the complainant for them again.",
            field="documents",
            rule="CN-34",
            held=already,
        )
    note = text(note, field="note", max_length=NOTE_MAX, required=False)
    with transaction.atomic(durable=True):
        request = DocumentRequest.objects.create(
            complaint=complaint,
            documents=wanted,
            note=note,
            requested_by=actor,
            requested_at=now,
        )
        labels = ", ".join(HeldDocument(c).label for c in wanted)
        casework.record_event(
            complaint.case,
            kind="documents_requested",
            actor=actor,
            now=now,
            reason=note,
            data={"documents": wanted},
        )
        tell(
            complaint,
            subject="Documents we need",
            body=f"To look into your complaint we need: {labels}. {note}".strip(),
            key=f"complaint-documents:{request.pk}",
            now=now,
        )
    return request


def withdraw_complaint(
    *,
    complaint: Complaint,
    actor,
    now: datetime,
    reason: str = "",
) -> Complaint:
    """The complainant withdraws: the complaint closes the same day (CN-34, CM Art. 15).

    Staff may record a withdrawal the complainant made by phone or letter.
    """
    if not is_complainant(actor, complaint):
        if not is_staff_member(actor):
            raise NotPermitted("Only the complainant may withdraw a complaint.")
        require_handler(actor)
    reason = text(reason, field="reason", max_length=NOTE_MAX, required=False)
    case = complaint.case
    with transaction.atomic(durable=True):
        if case.status == ComplaintStatus.APPRAISAL:
            clocks.resume(case, at=now)
        casework.transition(
            case,
            to=ComplaintStatus.WITHDRAWN,
            actor=actor,
            now=now,
            reason=reason,
            data={"rule": "CN-34"},
        )
        complaint.withdrawn_at = now
        complaint.withdrawal_reason = reason
        complaint.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        tell(
            complaint,
            subject="Your complaint is withdrawn",
            body="We have closed your complaint as you asked. You can complain again at any time.",
            key=f"complaint-withdrawn:{case.reference}",
            now=now,
        )
    return complaint
