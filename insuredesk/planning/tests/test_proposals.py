"""Written insurance proposals (SVC-21, SVC-22): requested by the customer or an agent, drafted
with priced options, approved by a supervisor who did not draft it, issued as a letter through
the outbox, then accepted, declined, withdrawn or expired — every step a compare-and-set
transition with its event, and the delivery clock from request to issue."""

import datetime as dt
from decimal import Decimal

import pytest

from insuredesk.casework.models import CaseEvent
from insuredesk.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.planning import services
from insuredesk.planning.choices import ProposalStatus
from insuredesk.planning.models import Proposal
from insuredesk.planning.selectors import proposal_queue
from insuredesk.planning.tests.builders import (
    NOW,
    OPTIONS,
    VILLA,
    agent,
    assess,
    drafted,
    issued,
    requested,
    supervisor,
)
from insuredesk.tests import factories

pytestmark = pytest.mark.usefixtures("catalogue")
TEXTS = {
    "findings": "Under-insured by half.",
    "prevention_scheme": "Leak sensors.",
    "resolution_scheme": "Report the same day.",
    "market_factors": "Rates reviewed yearly.",
}


def events(proposal):
    return list(CaseEvent.objects.filter(case=proposal.case).values_list("kind", flat=True))


# -- request ------------------------------------------------------------------------------------


def test_svc_22_a_requested_proposal_is_due_in_ten_business_days_and_the_customer_told(alice):
    proposal = requested(alice)

    assert proposal.status == ProposalStatus.REQUESTED
    assert proposal.reference.startswith("PRP-2026-")
    assert proposal.case.title == "Proposal: Alice Chen — Fire destroys your home"
    assert proposal.required_because[0]["code"] == "large_sum"
    clock = proposal.case.clocks.get()
    assert clock.rule == "SVC-22"
    assert clock.due_date == dt.date(2026, 3, 16)  # 10 working days after Monday 2 March
    assert proposal.case.next_deadline == clock.deadline
    told = Message.objects.get(recipient_customer=alice, channel="portal")
    assert "16 March 2026" in told.body


def test_svc_21_a_customer_may_not_ask_when_the_plan_needs_no_proposal(alice):
    assessment = assess(alice)

    with pytest.raises(ValidationFailed) as refused:
        services.request_proposal(actor=alice.user, assessment=assessment, now=NOW)

    assert refused.value.details == {"field": "assessment", "rule": "SVC-21"}
    assert not Proposal.objects.exists()


def test_an_agent_may_ask_for_any_check_saying_why_and_takes_the_case(alice):
    dave = agent()
    assessment = assess(alice)

    with pytest.raises(ValidationFailed) as refused:
        services.request_proposal(actor=dave, assessment=assessment, now=NOW)
    assert refused.value.details["field"] == "note"
    proposal = services.request_proposal(
        actor=dave, assessment=assessment, note="Wants a second opinion on cover.", now=NOW
    )

    assert proposal.case.assignee == dave
    assert proposal.required_because[0]["text"] == "Wants a second opinion on cover."


def test_one_proposal_per_risk_check_and_none_on_anothers(alice, mallory):
    proposal = requested(alice)

    with pytest.raises(Conflict) as twice:
        services.request_proposal(actor=alice.user, assessment=proposal.assessment, now=NOW)
    assert twice.value.details["reference"] == proposal.reference
    with pytest.raises(NotFound):
        services.request_proposal(actor=mallory.user, assessment=proposal.assessment, now=NOW)


# -- drafting -----------------------------------------------------------------------------------


def test_dave_drafts_options_priced_by_the_rating_against_the_budget(alice):
    dave = agent()

    proposal = drafted(alice, dave)

    assert proposal.status == ProposalStatus.DRAFTED
    full, building = proposal.options.all()
    assert full.annual_premium == Decimal("6525.00")  # 10.5M x 0.45‰ + 1.5M contents x 1.2‰
    assert building.annual_premium == Decimal("4725.00")  # the building alone
    assert building.rating_inputs["contents_value"] == "0.00"
    assert full.within_budget and building.within_budget  # budget 20,000
    assert proposal.case.assignee == dave
    assert events(proposal)[-2:] == ["drafted", "assigned"]


def test_a_rewrite_replaces_the_options_and_is_recorded(alice):
    dave = agent()
    proposal = drafted(alice, dave)

    services.draft_proposal(actor=dave, proposal=proposal, options=OPTIONS[:1], now=NOW, **TEXTS)

    assert proposal.options.count() == 1
    assert proposal.status == ProposalStatus.DRAFTED
    assert events(proposal)[-1] == "redrafted"


@pytest.mark.parametrize(
    ("option", "field"),
    [
        ({"product": "no-such-thing"}, "options[0].product"),
        ({"term_years": 5}, "options[0].term_years"),
        ({"sum_insured": Decimal("13000000")}, "options[0].sum_insured"),  # over the value
        ({"sum_insured": Decimal("0")}, "options[0].sum_insured"),
        ({"label": " "}, "options[0].label"),
    ],
)
def test_a_bad_option_names_its_field_and_nothing_is_written(alice, option, field):
    proposal = requested(alice)

    with pytest.raises(ValidationFailed) as refused:
        services.draft_proposal(
            actor=agent(), proposal=proposal, options=[{**OPTIONS[0], **option}], now=NOW, **TEXTS
        )

    assert refused.value.details["field"] == field
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REQUESTED
    assert not proposal.options.exists()


def test_a_draft_needs_its_texts_and_an_option_and_a_drafting_role(alice, bob):
    proposal = requested(alice)
    dave = agent()

    with pytest.raises(ValidationFailed) as no_findings:
        services.draft_proposal(
            actor=dave, proposal=proposal, options=OPTIONS, now=NOW, **{**TEXTS, "findings": ""}
        )
    assert no_findings.value.details["field"] == "findings"
    with pytest.raises(ValidationFailed) as no_options:
        services.draft_proposal(actor=dave, proposal=proposal, options=[], now=NOW, **TEXTS)
    assert no_options.value.details["field"] == "options"
    with pytest.raises(NotPermitted):
        services.draft_proposal(actor=bob, proposal=proposal, options=OPTIONS, now=NOW, **TEXTS)


def test_carol_returns_a_draft_with_reasons_and_the_clock_keeps_running(alice):
    dave, carol = agent(), supervisor()
    proposal = drafted(alice, dave)

    with pytest.raises(NotPermitted):
        services.return_proposal(actor=dave, proposal=proposal, reason="Mine", now=NOW)
    with pytest.raises(ValidationFailed):
        services.return_proposal(actor=carol, proposal=proposal, reason="", now=NOW)
    services.return_proposal(actor=carol, proposal=proposal, reason="Add flood barriers.", now=NOW)

    assert proposal.status == ProposalStatus.REQUESTED
    assert proposal.case.clocks.get().stopped_at is None
    assert Message.objects.filter(recipient_user=dave, subject__contains="returned").exists()
    returned = CaseEvent.objects.get(case=proposal.case, kind="returned")
    assert not returned.visible_to_customer


# -- approval and the letter ----------------------------------------------------------------------


def test_carol_approves_and_the_letter_goes_out_in_the_portal_and_by_email(alice):
    dave, carol = agent(), supervisor()

    proposal = issued(alice, dave, carol)

    assert proposal.status == ProposalStatus.ISSUED
    assert proposal.approved_by == carol
    assert proposal.valid_until == dt.date(2026, 4, 2)  # SVC-22.valid: 30 days from 3 March
    letter = proposal.letter
    assert letter.kind == "insurance_proposal"
    assert letter.template_name == "letters/insurance_proposal/default.html"
    assert letter.context["options"][0]["annual_premium"] == "6525.00"
    assert letter.context["matrix"].startswith("<svg")
    clock = proposal.case.clocks.get()
    assert clock.state == "met"  # SVC-22: delivered within 10 business days
    sent = Message.objects.filter(recipient_customer=alice, letter=letter)
    assert {m.channel for m in sent} == {"portal", "email"}
    assert events(proposal)[-2:] == ["approved", "issued"]


def test_four_eyes_the_drafter_may_not_approve_even_as_a_supervisor(alice):
    carol = supervisor()
    proposal = drafted(alice, carol)

    with pytest.raises(NotPermitted) as refused:
        services.approve_proposal(actor=carol, proposal=proposal, now=NOW)

    assert refused.value.details["rule"] == "four_eyes"
    assert proposal.status == ProposalStatus.DRAFTED


def test_an_agent_may_not_approve_and_an_issued_proposal_is_not_approved_twice(alice):
    dave, carol = agent(), supervisor()
    proposal = drafted(alice, dave)

    with pytest.raises(NotPermitted):
        services.approve_proposal(actor=dave, proposal=proposal, now=NOW)
    services.approve_proposal(actor=carol, proposal=proposal, now=NOW)
    with pytest.raises(InvalidTransition):
        services.approve_proposal(actor=supervisor("sue"), proposal=proposal, now=NOW)


def test_a_chinese_reader_in_china_gets_the_chinese_letter(db, catalogue):
    sun = factories.make_customer("sun", full_name="Sun Haoran")
    sun.language = "zh"
    sun.save()

    proposal = issued(sun, agent(), supervisor())

    assert proposal.letter.template_name == "letters/insurance_proposal/cn.zh.html"
    assert proposal.letter.title == "保险建议书"


# -- the customer's answer ------------------------------------------------------------------------


def test_alice_accepts_an_option_and_the_proposal_closes(alice):
    proposal = issued(alice, agent(), supervisor())
    building = proposal.options.get(position=1)

    chosen = services.accept_proposal(
        actor=alice.user, proposal=proposal, option=building.public_id, now=NOW
    )

    assert chosen == building and chosen.chosen
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.case.closed_at is not None
    assert proposal.answered_at == NOW
    with pytest.raises(InvalidTransition):
        services.accept_proposal(
            actor=alice.user, proposal=proposal, option=building.public_id, now=NOW
        )


def test_an_option_of_another_proposal_or_after_the_last_day_is_refused(alice, mallory):
    proposal = issued(alice, agent(), supervisor())
    option = proposal.options.first()

    with pytest.raises(ValidationFailed) as unknown:
        services.accept_proposal(
            actor=alice.user, proposal=proposal, option="not-an-option", now=NOW
        )
    assert unknown.value.details["field"] == "option"
    with pytest.raises(NotFound):
        services.accept_proposal(
            actor=mallory.user, proposal=proposal, option=option.public_id, now=NOW
        )
    late = dt.datetime(2026, 4, 3, 9, 0, tzinfo=NOW.tzinfo)
    with pytest.raises(InvalidTransition) as expired:
        services.accept_proposal(
            actor=alice.user, proposal=proposal, option=option.public_id, now=late
        )
    assert expired.value.details["rule"] == "SVC-22.valid"


def test_alice_declines_with_a_reason(alice):
    proposal = issued(alice, agent(), supervisor())

    services.decline_proposal(
        actor=alice.user, proposal=proposal, reason="Too dear this year.", now=NOW
    )

    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decline_reason == "Too dear this year."
    assert CaseEvent.objects.get(case=proposal.case, kind="declined").reason == (
        "Too dear this year."
    )


def test_a_request_may_be_withdrawn_before_issue_but_not_after(alice):
    proposal = requested(alice)

    services.withdraw_proposal(actor=alice.user, proposal=proposal, now=NOW)

    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.case.clocks.get().stopped_at == NOW
    other = issued(factories.make_customer("zoe"), agent(), supervisor())
    with pytest.raises(InvalidTransition):
        services.withdraw_proposal(actor=other.customer.user, proposal=other, now=NOW)


def test_the_worker_expires_proposals_not_answered_in_time_and_tells_the_customer(alice):
    proposal = issued(alice, agent(), supervisor())
    last_day = dt.datetime(2026, 4, 2, 23, 0, tzinfo=NOW.tzinfo)

    assert services.expire_proposals(now=last_day) == {"expired": 0}
    after = last_day + dt.timedelta(hours=2)
    assert services.expire_proposals(now=after) == {"expired": 1}
    assert services.expire_proposals(now=after) == {"expired": 0}

    proposal.case.refresh_from_db()
    assert proposal.case.status == ProposalStatus.EXPIRED
    assert Message.objects.filter(recipient_customer=alice, subject__contains="expired").exists()


def test_the_worker_runs_the_expiry():
    from insuredesk.planning.tasks import PERIODIC_JOBS

    assert dict(PERIODIC_JOBS)["proposals"] is services.expire_proposals


# -- the queue ----------------------------------------------------------------------------------


def test_the_queue_puts_those_waiting_on_staff_first_by_their_delivery_deadline(alice, mallory):
    carol = supervisor()
    dave = agent()
    waiting_issue = issued(factories.make_customer("zoe"), dave, carol)
    later = requested(alice, now=NOW + dt.timedelta(days=2))
    sooner = requested(mallory, now=NOW)

    order = [p.reference for p in proposal_queue(carol)]

    assert order == [sooner.reference, later.reference, waiting_issue.reference]


def test_a_villa_check_by_an_agent_for_a_customer_records_who_asked(alice):
    dave = agent()
    assessment = assess(alice, actor=dave, **VILLA)

    proposal = services.request_proposal(actor=dave, assessment=assessment, now=NOW)

    assert proposal.requested_by == dave
    assert proposal.customer == alice
