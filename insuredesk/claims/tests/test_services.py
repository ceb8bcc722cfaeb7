"""Claim services against the database; each regulatory rule names its article."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from insuredesk.casework.models import Clock
from insuredesk.claims import services
from insuredesk.claims.models import Claim, Payment, PaymentOrder
from insuredesk.claims.tests.factories import NOW, fresh, pdf, png, report, upload_all
from insuredesk.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.policies.choices import PolicyStatus
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db
LATER = NOW + timedelta(days=1)


def _clock(claim, name):
    return Clock.objects.filter(case=claim.case, name=name).exclude(state="cancelled").first()


def _assessed(claim, bob, amount="60000"):
    return services.assess_loss(
        claim=claim,
        items=[{"description": "Cabinets", "coverage": "building", "amount": amount}],
        actor=bob,
        now=LATER,
    )


# --- report ----------------------------------------------------------------------------------


def test_report_gives_a_reference_and_starts_the_30_day_decision_clock_cn_19(policy):
    claim = report(policy)
    assert claim.case.reference.startswith("CLM-2026-")
    clock = _clock(claim, "decision")
    assert clock.rule == "CN-19" and clock.state == "running"


def test_report_outside_the_policy_term_is_refused_naming_the_date(policy):
    with pytest.raises(ValidationFailed) as error:
        report(policy, event_date=policy.start_date - timedelta(days=1))
    assert error.value.details["field"] == "event_date"
    assert not Claim.objects.exists()


def test_an_event_today_is_judged_by_the_policys_local_calendar_not_utc(policy, ca_policy):
    # timezone.now() is in UTC: at 17:30 UTC on 10 March it is already 11 March in Shanghai
    # but still 10 March (09:30) in California.
    now = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    shanghai_today, california_today = date(2026, 3, 11), date(2026, 3, 10)
    claim = report(policy, now=now, event_date=shanghai_today)
    assert claim.event_date == shanghai_today
    for insured, tomorrow in (
        (policy, shanghai_today + timedelta(days=1)),
        (ca_policy, shanghai_today),
    ):
        with pytest.raises(ValidationFailed) as error:
            report(insured, now=now, event_date=tomorrow)
        assert error.value.details["field"] == "event_date"
        assert "future" in str(error.value)
    assert report(ca_policy, now=now, event_date=california_today).event_date == california_today


def test_report_on_a_suspended_policy_is_refused(alice):
    policy = factories.make_policy(
        alice, start=NOW.date() - timedelta(days=100), status=PolicyStatus.SUSPENDED
    )
    with pytest.raises(ValidationFailed) as error:
        report(policy)
    assert error.value.code == "policy_not_in_force"


def test_report_of_an_uncovered_loss_type_lists_the_covered_ones(policy):
    with pytest.raises(ValidationFailed) as error:
        report(policy, loss_type="theft")
    assert error.value.details["covered"] == ["fire", "water_damage"]


def test_report_in_the_waiting_period_is_refused(alice):
    version = factories.make_product("waiting")
    version.coverages.update(waiting_period_days=30)
    policy = factories.make_policy(alice, version, start=NOW.date() - timedelta(days=10))
    with pytest.raises(ValidationFailed) as error:
        report(policy)
    assert error.value.code == "in_waiting_period"


def test_a_duplicate_open_claim_is_refused_with_the_existing_reference(policy):
    first = report(policy)
    with pytest.raises(Conflict) as error:
        report(policy)
    assert error.value.details["reference"] == first.case.reference


def test_us_ca_report_sends_the_acknowledgement_with_the_fair_claims_notice_ca_01_ca_02(
    ca_policy,
):
    claim = report(ca_policy)
    clock = Clock.objects.get(case=claim.case, name="acknowledgement")
    assert clock.rule == "CA-01" and clock.state == "met"
    letter = claim.case.letters.get(kind="claim_acknowledgement")
    assert letter.template_name.endswith("us-ca.html")


# --- documents -------------------------------------------------------------------------------


def test_upload_keeps_the_checksum_and_the_same_file_twice_once(policy):
    claim = report(policy)
    upload = pdf()
    first = services.upload_claim_document(
        claim=claim, upload=upload, code="photos", actor=policy.policyholder.user, now=NOW
    )
    again = services.upload_claim_document(
        claim=claim, upload=upload, code="photos", actor=policy.policyholder.user, now=NOW
    )
    assert first.pk == again.pk and len(first.sha256) == 64


@pytest.mark.parametrize("size", [11 * 1024 * 1024])
def test_oversize_upload_is_refused(policy, size):
    claim = report(policy)
    with pytest.raises(ValidationFailed) as error:
        services.upload_claim_document(
            claim=claim,
            upload=pdf(size=size),
            code="photos",
            actor=policy.policyholder.user,
            now=NOW,
        )
    assert error.value.code == "file_too_large"


def test_missing_documents_notice_lists_everything_missing_once_and_pauses_cn_18_cn_20(policy, bob):
    claim = report(policy)
    services.upload_claim_document(
        claim=claim, upload=png(), code="photos", actor=policy.policyholder.user, now=NOW
    )
    request = services.request_missing_documents(claim=claim, actor=bob, now=NOW)
    assert [i["code"] for i in request.items] == ["repair_quote"]  # never ask for photos again
    assert request.letter is not None
    assert _clock(claim, "decision").state == "paused"
    with pytest.raises(Conflict) as error:
        services.request_missing_documents(claim=fresh(claim), actor=bob, now=LATER)
    assert error.value.details["rule"] == "CN-18"


def test_the_supplement_resumes_the_clock_adding_the_paused_days_cn_20(policy, bob):
    claim = report(policy)
    before = _clock(claim, "decision").due_date
    services.request_missing_documents(claim=claim, actor=bob, now=NOW)
    upload_all(fresh(claim), now=NOW + timedelta(days=5))
    clock = _clock(claim, "decision")
    assert clock.state == "running" and clock.due_date >= before + timedelta(days=5)
    assert fresh(claim).case.status == "investigating"


def test_asking_for_an_extra_document_already_held_is_refused(policy, bob):
    claim = report(policy)
    services.upload_claim_document(
        claim=claim, upload=pdf(), code="photos", actor=policy.policyholder.user, now=NOW
    )
    with pytest.raises(ValidationFailed) as error:
        services.request_missing_documents(
            claim=claim, actor=bob, now=NOW, extra=[{"code": "photos", "name": "Photos"}]
        )
    assert error.value.code == "document_already_held"


# --- survey and assessment -------------------------------------------------------------------


def test_automatic_dispatch_picks_the_least_busy_surveyor_covering_the_region(policy, bob, sam):
    from insuredesk.claims.models import SurveyorProfile

    other = factories.make_user("sue", factories.Role.SURVEYOR)
    SurveyorProfile.objects.create(user=other, regions=["Beijing"])
    survey = services.dispatch_surveyor(
        claim=report(policy), appointment_at=NOW + timedelta(1), actor=bob, now=NOW
    )
    assert survey.surveyor == sam and survey.auto_assigned


def test_survey_costs_are_never_deducted_from_the_customer_cn_26(policy, bob, sam):
    claim = report(policy, amount=Decimal("80000"))
    survey = services.dispatch_surveyor(
        claim=claim, appointment_at=NOW + timedelta(1), actor=bob, now=NOW
    )
    services.file_survey_report(
        survey=survey,
        findings="Fire",
        estimated_loss=Decimal("60000"),
        cost=Decimal("1500"),
        actor=sam,
        now=LATER,
    )
    assessment = _assessed(fresh(claim), bob)
    assert assessment.payable == Decimal("59500.00")  # only the 500 deductible
    assert any(line["kind"] == "info" for line in assessment.lines)


def test_assessment_cites_the_clause_for_each_deduction(policy, bob):
    claim = report(policy, amount=Decimal("80000"))
    assessment = services.assess_loss(
        claim=claim,
        actor=bob,
        now=LATER,
        items=[
            {"description": "Cabinets", "coverage": "building", "amount": "1000"},
            {
                "description": "Old roof",
                "coverage": "building",
                "amount": "400",
                "excluded_by": "4.1",
            },
        ],
    )
    kinds = {line["kind"]: line for line in assessment.lines}
    assert kinds["exclusion"]["clause"]["number"] == "4.1"
    assert kinds["deductible"]["clause"]["number"] == "2.1"
    assert assessment.payable == Decimal("500.00")


def test_the_limit_caps_the_payable_amount(alice, bob):
    policy = factories.make_policy(
        alice, start=NOW.date() - timedelta(days=100), sum_insured=Decimal("100000")
    )
    assessment = _assessed(report(policy), bob, amount="200000")
    assert assessment.payable == Decimal("100000.00")


# --- negotiation and payment -----------------------------------------------------------------


def test_accepting_an_offer_makes_the_agreement_and_starts_the_10_day_payment_clock_cn_21(
    policy, bob
):
    claim = report(policy)
    _assessed(claim, bob)
    offer = services.make_offer(claim=fresh(claim), actor=bob, now=LATER)
    agreement = services.accept_offer(offer=offer, actor=policy.policyholder.user, now=LATER)
    clock = _clock(claim, "payment")
    assert clock.rule == "CN-21"
    assert clock.due_date >= LATER.date() + timedelta(days=10)  # CN rolls off holidays
    assert agreement.letter is not None and "customer" in agreement.accepted_by_label


def test_us_ca_payment_clock_is_30_days_ca_11(ca_policy, bob):
    claim = report(ca_policy)
    _assessed(claim, bob)
    offer = services.make_offer(claim=fresh(claim), actor=bob, now=LATER)
    services.accept_offer(offer=offer, actor=ca_policy.policyholder.user, now=LATER)
    clock = _clock(claim, "payment")
    local = LATER.astimezone(ZoneInfo("America/Los_Angeles")).date()  # US-CA counts in LA time
    assert clock.rule == "CA-11" and clock.due_date == local + timedelta(days=30)


def test_a_counter_offer_keeps_the_claim_offered_and_a_revision_supersedes(policy, bob):
    claim = report(policy)
    _assessed(claim, bob)
    offer = services.make_offer(claim=fresh(claim), actor=bob, now=LATER)
    services.counter_offer(
        offer=offer,
        amount=Decimal("65000"),
        reasons="Quote attached",
        evidence=[pdf()],
        actor=policy.policyholder.user,
        now=LATER,
    )
    revised = services.make_offer(claim=fresh(claim), actor=bob, amount=Decimal("62000"), now=LATER)
    assert revised.number == 2 and fresh(claim).case.status == "offered"
    with pytest.raises(InvalidTransition):
        services.accept_offer(offer=offer, actor=policy.policyholder.user, now=LATER)


def _agreed(policy, bob, amount="60000"):
    claim = report(policy, amount=Decimal("90000"))
    _assessed(claim, bob, amount)
    offer = services.make_offer(claim=fresh(claim), actor=bob, now=LATER)
    services.accept_offer(offer=offer, actor=policy.policyholder.user, now=LATER)
    return fresh(claim)


def test_a_payment_never_exceeds_the_agreed_amount(policy, bob):
    claim = _agreed(policy, bob)
    with pytest.raises(ValidationFailed) as error:
        services.order_payment(claim=claim, amount=Decimal("59500.01"), actor=bob, now=LATER)
    assert error.value.code == "above_agreed_amount"
    services.order_payment(claim=claim, amount=Decimal("30000"), actor=bob, now=LATER)
    with pytest.raises(ValidationFailed):
        services.order_payment(claim=claim, amount=Decimal("29500.01"), actor=bob, now=LATER)


def test_above_the_handlers_authority_a_supervisor_must_approve(policy, bob, carol):
    claim = _agreed(policy, bob)
    order = services.order_payment(claim=claim, amount=Decimal("59500"), actor=bob, now=LATER)
    with pytest.raises(NotPermitted):
        services.approve_payment(order=order, actor=bob, now=LATER)
    services.approve_payment(order=order, actor=carol, now=LATER)
    assert fresh(claim).case.status == "paid"
    assert _clock(claim, "payment").state == "met"


def test_an_order_is_paid_once_and_the_customer_gets_the_advice(
    policy, bob, carol, django_capture_on_commit_callbacks
):
    claim = _agreed(policy, bob, amount="20000")
    order = services.order_payment(claim=claim, amount=Decimal("19500"), actor=bob, now=LATER)
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.approve_payment(order=order, actor=bob, now=LATER)
    with pytest.raises(Conflict):
        services.approve_payment(order=order, actor=carol, now=LATER)
    payment.refresh_from_db()
    assert payment.letter is not None and payment.letter.kind == "claim_payment_advice"
    assert Payment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_pay_once(alice, bob, carol):
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL")
    policy = factories.make_policy(alice, start=NOW.date() - timedelta(days=100))
    claim = _agreed(policy, bob, amount="20000")
    order = services.order_payment(claim=claim, amount=Decimal("19500"), actor=bob, now=LATER)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(actor):
        try:
            mine = PaymentOrder.objects.get(pk=order.pk)
            barrier.wait()
            services.approve_payment(order=mine, actor=actor, now=LATER)
            outcomes.append("paid")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (bob, carol)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "paid"]
    assert Payment.objects.filter(order=order).count() == 1


def test_advance_payment_is_flagged_60_days_after_the_documents_cn_23(policy, bob, sam):
    claim = report(policy, amount=Decimal("80000"))
    upload_all(claim)
    assert _clock(claim, "advance_payment").rule == "CN-23"
    with pytest.raises(InvalidTransition):
        services.order_payment(
            claim=fresh(claim), amount=Decimal("1"), actor=bob, now=LATER, kind="advance"
        )
    assert services.flag_advance_payments(now=NOW + timedelta(days=62)) == 1
    survey = services.dispatch_surveyor(
        claim=fresh(claim),
        actor=bob,
        now=NOW + timedelta(62),
        appointment_at=NOW + timedelta(days=63),
    )
    services.file_survey_report(
        survey=survey,
        findings="x",
        estimated_loss=Decimal("40000"),
        actor=sam,
        now=NOW + timedelta(days=63),
    )
    with pytest.raises(ValidationFailed):
        services.order_payment(
            claim=fresh(claim),
            amount=Decimal("40000"),
            actor=bob,
            now=NOW + timedelta(days=63),
            kind="advance",
        )
    order = services.order_payment(
        claim=fresh(claim),
        amount=Decimal("39500"),
        actor=bob,
        now=NOW + timedelta(days=63),
        kind="advance",
    )
    services.approve_payment(order=order, actor=bob, now=NOW + timedelta(days=63))
    assert _clock(claim, "advance_payment") is None or (
        _clock(claim, "advance_payment").stopped_at is not None
    )


# --- refusal ---------------------------------------------------------------------------------


def _refuse(claim, bob, **kwargs):
    defaults = dict(
        ground="exclusion",
        reasons="The damage built up over years.",
        clauses=[{"number": "4.1", "how_it_applies": "Rot from a slow leak."}],
        actor=bob,
        now=LATER,
    )
    return services.refuse_claim(claim=claim, **{**defaults, **kwargs})


def test_only_a_person_refuses(policy):
    with pytest.raises(NotPermitted):
        _refuse(report(policy), None)


def test_citing_an_unexplained_exemption_clause_warns_the_handler_cn_02(policy, bob):
    claim = report(policy)
    with pytest.raises(ValidationFailed) as error:
        _refuse(claim, bob)
    assert error.value.code == "refusal_warnings"
    assert error.value.details["warnings"][0]["rule"] == "CN-02"
    refusal = _refuse(fresh(claim), bob, confirm_warnings=True)
    assert refusal.warnings


def test_a_clause_from_another_product_version_is_refused(policy, bob):
    with pytest.raises(ValidationFailed) as error:
        _refuse(report(policy), bob, clauses=[{"number": "9.9", "how_it_applies": "x"}])
    assert error.value.code == "clause_not_in_policy_version"


def test_non_disclosure_needs_the_policy_rescinded_first_cn_06(policy, bob):
    claim = report(policy)
    with pytest.raises(ValidationFailed) as error:
        _refuse(
            claim, bob, ground="non_disclosure", clauses=[{"number": "2.1", "how_it_applies": "x"}]
        )
    assert error.value.details["rule"] == "CN-06"


def test_gb_refusal_for_a_non_qualifying_misrepresentation_is_blocked_gb_05(db, bob):
    holder = factories.make_customer("gwen", jurisdiction="GB")
    policy = factories.make_policy(
        holder, start=NOW.date() - timedelta(days=100), jurisdiction="GB"
    )
    with pytest.raises(ValidationFailed) as error:
        _refuse(
            report(policy),
            bob,
            ground="non_disclosure",
            clauses=[{"number": "2.1", "how_it_applies": "x"}],
        )
    assert error.value.details["rule"] == "GB-05"


def test_refusal_notice_goes_out_within_3_days_with_clauses_and_routes_cn_22_cn_24(policy, bob):
    claim = report(policy)
    refusal = _refuse(claim, bob, confirm_warnings=True)
    clock = Clock.objects.get(case=claim.case, name="refusal_notice")
    assert clock.rule == "CN-22" and clock.state == "met"
    context = refusal.letter.context
    assert context["clauses"][0]["text"].startswith("We do not pay")
    assert context["limitation"]["years"] == 2 and context["limitation"]["rule"] == "CN-24"
    assert fresh(claim).case.status == "refused"


def test_us_ca_refusal_letter_tells_of_the_department_of_insurance_ca_06_ca_07(ca_policy, bob):
    refusal = _refuse(report(ca_policy), bob, confirm_warnings=True)
    assert refusal.letter.template_name.endswith("claim_refusal/us-ca.html")


# --- disputes, fast-track, close -------------------------------------------------------------


def test_a_dispute_upheld_sends_the_claim_back_for_reassessment(policy, bob):
    claim = report(policy)
    _refuse(claim, bob, confirm_warnings=True)
    dispute = services.open_dispute(
        claim=fresh(claim),
        channel="internal_review",
        grounds="It was sudden.",
        evidence=[pdf()],
        actor=policy.policyholder.user,
        now=LATER,
    )
    assert dispute.case.reference.startswith("DSP-")
    services.record_hearing(dispute=dispute, held_at=LATER, place="Office", actor=bob, now=LATER)
    services.decide_dispute(
        dispute=dispute, upheld=True, reasons="Sudden pipe burst.", actor=bob, now=LATER
    )
    assert fresh(claim).case.status == "investigating"
    assert _assessed(fresh(claim), bob).payable > 0


def test_a_dismissed_dispute_returns_the_claim_and_sends_reasons(policy, bob):
    claim = report(policy)
    _refuse(claim, bob, confirm_warnings=True)
    dispute = services.open_dispute(
        claim=fresh(claim),
        channel="mediation",
        grounds="No",
        actor=policy.policyholder.user,
        now=LATER,
    )
    dispute = services.decide_dispute(
        dispute=dispute, upheld=False, reasons="Wear and tear.", actor=bob, now=LATER
    )
    assert fresh(claim).case.status == "refused" and dispute.letter is not None


def test_fast_track_pays_a_small_clean_claim(policy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = report(policy, amount=Decimal("3000"))
        upload_all(claim)
    claim = fresh(claim)
    assert claim.case.status == "paid" and claim.fast_track_eligible
    assert claim.payment_orders.get().amount == Decimal("2500.00")


def test_fast_track_never_refuses_it_hands_over_with_the_reason(alice, bob):
    policy = factories.make_policy(alice, start=NOW.date() - timedelta(days=10))  # early claim
    claim = report(policy, amount=Decimal("3000"))
    upload_all(claim)
    assert services.fast_track_claim(claim=claim, now=NOW) == "declined"
    claim = fresh(claim)
    assert claim.case.status in {"reported", "investigating"}
    assert "30 days" in claim.fast_track_note and claim.case.assignee == bob


def test_closing_a_refused_claim_lifts_the_duplicate_guard(policy, bob):
    claim = report(policy)
    _refuse(claim, bob, confirm_warnings=True)
    services.close_claim(claim=fresh(claim), actor=bob, now=LATER)
    assert report(policy).pk != claim.pk


def test_offers_on_a_closed_claim_are_409(policy, bob):
    claim = report(policy)
    services.withdraw_claim(claim=claim, actor=policy.policyholder.user, reason="", now=NOW)
    with pytest.raises(InvalidTransition):
        services.make_offer(claim=fresh(claim), actor=bob, now=LATER)


def test_a_failed_letter_leaves_nothing_half_written(policy, bob, settings, monkeypatch):
    from insuredesk.documents.services import LetterTemplateFailed

    claim = report(policy)

    def broken(*args, **kwargs):
        raise LetterTemplateFailed("broken", template="x")

    monkeypatch.setattr("insuredesk.claims.services.people.claim_letter", broken)
    monkeypatch.setattr("insuredesk.claims.services.documents.claim_letter", broken)
    with pytest.raises(LetterTemplateFailed):
        services.request_missing_documents(claim=claim, actor=bob, now=NOW)
    assert fresh(claim).case.status == "reported" and not claim.document_requests.exists()
