"""What every complaint service shares: who may act, text checks, sending letters."""

from datetime import datetime
from typing import Any

from insuredesk.complaints.models import Complaint
from insuredesk.customers.models import CustomerProfile
from insuredesk.customers.roles import Role, has_role, is_staff_member
from insuredesk.documents.models import Letter
from insuredesk.documents.services import issue_letter
from insuredesk.errors import NotPermitted, clean_text
from insuredesk.notifications.services import notify_customer

HANDLER_ROLES = (Role.COMPLAINT_HANDLER, Role.SUPERVISOR, Role.ADMINISTRATOR)
SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)


def require_handler(actor) -> None:
    if not has_role(actor, *HANDLER_ROLES):
        raise NotPermitted("Only complaint handlers and supervisors handle complaints.")


def require_supervisor(actor, *, rule: str = "", what: str = "do this") -> None:
    if not has_role(actor, *SUPERVISOR_ROLES):
        raise NotPermitted(f"Only a supervisor may {what}.", **({"rule": rule} if rule else {}))


def is_complainant(actor, complaint: Complaint) -> bool:
    customer = complaint.case.customer
    return (
        customer is not None
        and customer.user_id is not None
        and getattr(actor, "pk", None) == customer.user_id
    )


def complainant(complaint: Complaint) -> CustomerProfile:
    """The customer the complaint was made by, or for."""
    customer = complaint.case.customer
    assert customer is not None  # submit_complaint opens every complaint's case with its customer
    return customer


def require_complainant_or_staff(actor, complaint: Complaint) -> None:
    if not (is_complainant(actor, complaint) or is_staff_member(actor)):
        raise NotPermitted("Only the complainant or our staff may do this.")


# Every complaint service checks its free text the one shared way.
text = clean_text


# Titles of the letters that have a Chinese version (templates letters/<kind>/cn.zh.html).
ZH_TITLES = {
    "complaint_acknowledgement": "投诉受理通知书",
    "complaint_extension_notice": "投诉处理期限延长告知书",
    "complaint_appraisal_notice": "投诉事项第三方鉴定告知书",
    "complaint_decision": "投诉处理决定书",
}

ZH_MESSAGE = "您的投诉（编号{reference}）有一份新的函件《{title}》，请登录客户服务网站查阅。"  # noqa: RUF001


def send_letter(
    complaint: Complaint,
    *,
    kind: str,
    title: str,
    context: dict[str, Any],
    actor,
    now: datetime,
    message: str,
) -> Letter:
    """Issue a letter on the complaint and deliver it through the outbox (portal + e-mail).

    A CN complainant who reads Chinese gets the `cn.zh.html` version (the documents app picks
    it), under a Chinese title and with a Chinese message.
    """
    case = complaint.case
    customer = complainant(complaint)
    if case.jurisdiction == "CN" and customer.language == "zh" and kind in ZH_TITLES:
        title = ZH_TITLES[kind]
        message = ZH_MESSAGE.format(reference=case.reference, title=title)
    letter = issue_letter(
        kind=kind,
        case=case,
        customer=customer,
        context={"complaint": _facts(complaint), **context},
        actor=actor,
        now=now,
        title=title,
    )
    notify_customer(
        customer,
        subject=f"{case.reference}: {title}",
        body=message,
        dedupe_key=f"complaint-letter:{letter.public_id}",
        case=case,
        letter=letter,
        now=now,
    )
    return letter


def tell(complaint: Complaint, *, subject: str, body: str, key: str, now: datetime) -> None:
    """A short message to the complainant (portal inbox, and e-mail when we have one)."""
    case = complaint.case
    customer = complainant(complaint)
    notify_customer(
        customer,
        subject=f"{case.reference}: {subject}",
        body=body,
        dedupe_key=key,
        case=case,
        now=now,
    )


def _facts(complaint: Complaint) -> dict[str, Any]:
    """Plain facts for letter templates (the letter stores a JSON snapshot of its context)."""
    return {
        "reference": complaint.case.reference,
        "received_on": complaint.received_at.date().isoformat(),
        "channel": complaint.get_channel_display(),
        "channel_code": complaint.channel,
        "description": complaint.description,
        "desired_outcome": complaint.desired_outcome,
        "complainant_name": complaint.complainant_name or complainant(complaint).full_name,
        "policy_number": complaint.policy.number if complaint.policy is not None else "",
        "related_reference": (
            complaint.related_case.reference if complaint.related_case is not None else ""
        ),
        "category": str(complaint.category) if complaint.category_id else "",
    }
