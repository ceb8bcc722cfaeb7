"""Builders for letter tests: a case kind of our own and a letter for a customer."""

from datetime import datetime
from zoneinfo import ZoneInfo

from insuredesk.casework.registry import CaseKind, register
from insuredesk.casework.services import open_case
from insuredesk.documents.services import issue_letter

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)

# A case kind declared only for these tests, the way a domain app declares its own.
NOTICE_CASE = register(
    CaseKind(
        kind="letter_test_case",
        prefix="LTC",
        label="Letter test case",
        initial_status="open",
        transitions={"open": {"decided"}, "decided": {"closed"}},
        closed_statuses={"closed"},
    )
)


def make_case(customer, *, jurisdiction: str = "CN", now: datetime = NOW):
    return open_case(
        kind=NOTICE_CASE.kind,
        title="Burst pipe in the kitchen",
        actor=None,
        now=now,
        customer=customer,
        jurisdiction=jurisdiction,
    )


def make_letter(customer, *, case=None, actor=None, now: datetime = NOW, **context):
    return issue_letter(
        kind="generic_notice",
        case=case,
        customer=customer,
        context={
            "paragraphs": context.pop("paragraphs", ["We have received your claim."]),
            **context,
        },
        actor=actor,
        now=now,
        title="Notice about your claim",
    )
