"""The rules endpoints of the JSON API: jurisdiction profiles and deadline computation.

Rules are published law and the computation writes nothing, so every endpoint is open to
anonymous callers as well as signed-in ones.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from insuredesk.errors import NotFound
from insuredesk.rules.deadlines import Deadline, Pause, compute_deadline
from insuredesk.rules.errors import UnknownJurisdiction
from insuredesk.rules.registry import Contact, Period, Profile, Rule, get_profile, profiles
from insuredesk.web.auth import optional_auth
from insuredesk.web.schemas import ErrorOut, InputSchema

router = Router(tags=["rules"], auth=optional_auth)


class ContactOut(Schema):
    name: str
    role: str
    phone: str
    website: str
    address: str
    status: str = Field(description="P, S or U: how far these contact facts are confirmed.")
    note: str


class PeriodOut(Schema):
    unit: str = Field(description="days, business_days, weeks, months or years")
    amount: int
    trigger: str = Field(description="The event the period counts from.")
    pausable: bool
    before: bool = Field(description="True if the period counts back from its trigger.")
    description: str


class RuleOut(Schema):
    id: str
    parent: str | None = Field(description="For a sub-rule such as CN-28.complex: CN-28.")
    sub_rules: list[str]
    stage: str
    text: str
    machine: str
    source: str
    status: str = Field(description="P primary text, S secondary sources, U unconfirmed.")
    status_label: str
    unconfirmed: bool = Field(description="True: a configurable default, not a confirmed rule.")
    period: PeriodOut | None
    params: dict[str, Any] = Field(
        description="What the rule sets besides a period, e.g. SVC-21's sum_insured_at_least."
    )


class JurisdictionOut(Schema):
    code: str
    name: str
    default: bool
    time_zone: str
    currency: str
    calendar: str
    roll_to_working_day: bool
    day_counting: str
    regulator: ContactOut
    ombudsman: ContactOut | None


class JurisdictionDetailOut(JurisdictionOut):
    rules: list[RuleOut]


class PauseIn(InputSchema):
    from_: str = Field(alias="from", description="When the clock stopped: ISO date or datetime.")
    to: str = Field(description="When the clock resumed: ISO date or datetime.")


class DeadlineIn(InputSchema):
    jurisdiction: str | None = Field(None, description="Profile code; omitted: the default, CN.")
    rule: str = Field(max_length=40, examples=["CN-22"])
    start: str = Field(
        max_length=40,
        description="The triggering event: ISO date, or datetime (no offset = local time).",
        examples=["2026-03-10"],
    )
    pauses: list[PauseIn] = Field(default_factory=list, max_length=100)


class DeadlineOut(Schema):
    jurisdiction: str
    rule: str
    source: str
    status: str
    unconfirmed: bool
    deadline: datetime = Field(
        description="The instant the period runs out, with the local offset: 00:00 of the day "
        "after due_date, which the law calls 24:00 of due_date."
    )
    due_date: date = Field(description="The last day of the period.")
    start_date: date
    paused_days: int
    rolled_from: date | None = Field(description="The last day before moving off a holiday.")
    estimated: bool = Field(description="True if a year counted has no official holiday notice.")


@router.get("/rules/jurisdictions", response=list[JurisdictionOut])
def list_jurisdictions(request: HttpRequest):
    """Every jurisdiction profile, the default (CN) first."""
    return [_jurisdiction(profile) for profile in profiles()]


@router.get(
    "/rules/jurisdictions/{code}",
    response={200: JurisdictionDetailOut, 404: ErrorOut},
)
def jurisdiction_detail(request: HttpRequest, code: str):
    """The profile with every rule and sub-rule; unconfirmed ones say so."""
    try:
        profile = get_profile(code)
    except UnknownJurisdiction as exc:
        raise NotFound(exc.message, code=exc.code, field="code") from None
    return {
        **_jurisdiction(profile),
        "rules": [_rule(rule) for rule in profile.rules.values()],
    }


@router.post("/rules/deadline", response={200: DeadlineOut, 422: ErrorOut})
def deadline(request: HttpRequest, payload: DeadlineIn):
    """When a rule's period runs out for an event at `start`, less any pauses."""
    due = compute_deadline(
        jurisdiction=payload.jurisdiction,
        rule=payload.rule,
        start=payload.start,
        pauses=[Pause(pause.from_, pause.to) for pause in payload.pauses],
    )
    return _deadline(due)


def _contact(contact: Contact | None) -> dict | None:
    return None if contact is None else vars(contact).copy()


def _period(period: Period | None) -> dict | None:
    if period is None:
        return None
    return {**vars(period), "description": str(period)}


def _rule(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "parent": rule.parent,
        "sub_rules": list(rule.sub_rules),
        "stage": rule.stage,
        "text": rule.text,
        "machine": rule.machine,
        "source": rule.source,
        "status": rule.status,
        "status_label": rule.status_label,
        "unconfirmed": rule.unconfirmed,
        "period": _period(rule.period),
        "params": dict(rule.params),
    }


def _jurisdiction(profile: Profile) -> dict:
    return {
        "code": profile.code,
        "name": profile.name,
        "default": profile.default,
        "time_zone": profile.time_zone,
        "currency": profile.currency,
        "calendar": profile.calendar_kind,
        "roll_to_working_day": profile.roll_to_working_day,
        "day_counting": profile.day_counting,
        "regulator": _contact(profile.regulator),
        "ombudsman": _contact(profile.ombudsman),
    }


def _deadline(due: Deadline) -> dict:
    return {**vars(due), "unconfirmed": due.unconfirmed}
