"""Applying for insurance: what is asked and kept (CN-04, IL Art. 16), underwriting straight
through or by a person with the free medical examination, the written decline, and issue only
once every exemption clause is acknowledged (CN-02, IL Art. 17) and the sale recorded where it
must be (CN-12, TS Arts. 4-6)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.consultation.services import acknowledge_online
from insuredesk.customers.roles import Role
from insuredesk.documents.models import Letter
from insuredesk.errors import InvalidTransition, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.policies.choices import PolicyStatus
from insuredesk.policies.models import Policy
from insuredesk.rules.registry import get_rule
from insuredesk.sales import services
from insuredesk.sales.choices import ApplicationStatus, Decision
from insuredesk.sales.models import Application, DeclarationAnswer
from insuredesk.sales.questions import QUESTIONS_VERSION, questions_for
from insuredesk.tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
TERM_LIFE = "harbour-term-life"


@pytest.fixture
def versions(db):
    load_demo_catalogue()
    return {v.product.code: v for v in ProductVersion.objects.select_related("product")}


@pytest.fixture
def uma(db):
    return factories.make_user("uma", Role.UNDERWRITER)


def clean(line="term_life", **yes):
    answers = {q.code: {"answer": False} for q in questions_for(line)}
    for code, details in yes.items():
        answers[code] = {"answer": True, "details": details}
    return answers


def apply(actor, *, now=NOW, **overrides):
    arguments = {
        "actor": actor,
        "product": TERM_LIFE,
        "insured_name": "Alice Chen",
        "insured_date_of_birth": dt.date(1990, 6, 15),
        "sum_insured": "500000",
        "term_years": 20,
        "start_date": TODAY,
        "declarations": clean(),
        "now": now,
    }
    arguments.update(overrides)
    return services.submit_application(**arguments)


def acknowledge(customer, version, now=NOW):
    numbers = [c.number for c in version.clauses.all()]
    acknowledge_online(actor=customer.user, product_version=version, acknowledged=numbers, now=now)


def test_a_clean_declaration_within_the_limit_is_offered_standard_terms_at_once(alice, versions):
    application = apply(alice.user)

    assert application.status == ApplicationStatus.OFFERED
    assert application.decision == Decision.STANDARD
    assert application.decided_by is None  # the rules decided, not a person
    assert application.offered_premium == application.quoted_premium > 0
    assert application.offer_expires_on == TODAY + dt.timedelta(days=services.OFFER_VALID_DAYS)
    assert application.channel == "online"
    assert Message.objects.filter(recipient_customer=alice, subject__contains="our offer").exists()


def test_cn_04_the_questions_are_kept_word_for_word_beside_the_answers(alice, versions):
    application = apply(alice.user, declarations=clean(smoker="10 a day until 2025"))

    rows = list(DeclarationAnswer.objects.filter(application=application))
    assert [r.code for r in rows] == [q.code for q in questions_for("term_life")]
    smoker = next(r for r in rows if r.code == "smoker")
    assert smoker.question == questions_for("term_life")[-1].en
    assert smoker.answer is True and smoker.details == "10 a day until 2025"
    assert {r.questions_version for r in rows} == {QUESTIONS_VERSION}


def test_a_chinese_reader_is_asked_in_chinese_and_that_wording_is_kept(db, versions):
    customer = factories.make_customer("li", full_name="李雷")
    customer.language = "zh"
    customer.save()

    application = apply(customer.user, insured_name="李雷")

    first = application.declarations.first()
    assert first.question == questions_for("term_life")[0].zh


@pytest.mark.parametrize(
    ("declarations", "field"),
    [
        ({"hospital_5y": {"answer": False}}, "declarations.serious_condition"),
        (clean(hospital_5y=""), "declarations.hospital_5y.details"),
        ({**clean(), "tattoos": {"answer": False}}, "declarations.tattoos"),
        ({**clean(), "smoker": {"answer": "maybe"}}, "declarations.smoker"),
    ],
)
def test_an_incomplete_declaration_names_the_question_and_writes_nothing(
    alice, versions, declarations, field
):
    with pytest.raises(ValidationFailed) as error:
        apply(alice.user, declarations=declarations)

    assert error.value.details["field"] == field
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"product": "no-such-thing"}, "product"),
        ({"sum_insured": "6000000"}, "sum_insured"),  # above the death cover's 5,000,000
        ({"sum_insured": "-5"}, "sum_insured"),
        ({"term_years": 7}, "term_years"),
        ({"start_date": TODAY - dt.timedelta(days=1)}, "start_date"),
        ({"insured_date_of_birth": None}, "insured_date_of_birth"),
        ({"channel": "phone"}, "channel"),  # a customer applies online
    ],
)
def test_bad_terms_are_refused_with_the_field(alice, versions, overrides, field):
    with pytest.raises(ValidationFailed) as error:
        apply(alice.user, **overrides)

    assert error.value.details["field"] == field
    assert not Application.objects.exists()


def test_a_sum_above_the_non_medical_limit_goes_to_an_underwriter(alice, versions):
    application = apply(alice.user, sum_insured="1500000")  # age 35: limit 1,000,000

    assert application.status == ApplicationStatus.REFERRED
    event = application.case.events.get(kind="referred")
    assert "non-medical limit of 1,000,000 at age 35" in event.data["reasons"][0]


def test_a_yes_goes_to_an_underwriter_who_asks_for_the_free_exam_then_loads(
    alice, versions, uma, dave
):
    application = apply(alice.user, declarations=clean(hospital_5y="Appendix removed, 2023"))
    assert application.status == ApplicationStatus.REFERRED

    with pytest.raises(NotPermitted):
        services.request_exam(
            actor=dave, application=application, reason="r", tests="t", clinic="c", now=NOW
        )
    exam = services.request_exam(
        actor=uma,
        application=application,
        reason="Recent surgery",
        tests="Blood panel, ECG",
        clinic="Ruijin Health Check Centre",
        appointment_at=NOW + dt.timedelta(days=3),
        now=NOW,
    )
    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.EXAM_REQUIRED
    invitation = Message.objects.filter(
        recipient_customer=alice, subject__contains="free medical examination"
    ).first()
    assert "It is free: we pay the clinic" in invitation.body

    later = NOW + dt.timedelta(days=4)
    services.record_exam_result(
        actor=uma, exam=exam, summary="Normal results; mild hypertension", cost="380", now=later
    )
    with pytest.raises(InvalidTransition):
        services.record_exam_result(actor=uma, exam=exam, summary="again", now=later)
    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.REFERRED
    exam.refresh_from_db()
    assert exam.cost_borne_by_insurer == Decimal("380.00")

    services.decide(
        actor=uma,
        application=application,
        decision=Decision.LOADED,
        loading_percent=50,
        reasons="Mild hypertension at the examination.",
        now=later,
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFERED
    assert application.decided_by == uma
    expected = (application.quoted_premium * Decimal("1.5")).quantize(Decimal("0.01"))
    assert application.offered_premium == expected

    acknowledge(alice, application.product_version, now=later)
    policy = services.accept_offer(actor=alice.user, application=application, now=later)
    assert policy.premium == expected
    assert policy.risk_details["rating"]["loading_percent"] == 50


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"decision": "declined", "reasons": ""}, "reasons"),
        ({"decision": "loaded", "reasons": "bmi", "loading_percent": 0}, "loading_percent"),
        ({"decision": "standard", "reasons": "", "loading_percent": 25}, "loading_percent"),
        ({"decision": "postponed", "reasons": "await biopsy"}, "postponed_until"),
        ({"decision": "maybe", "reasons": "x"}, "decision"),
    ],
)
def test_a_decision_must_be_complete(alice, versions, uma, arguments, field):
    application = apply(alice.user, sum_insured="1500000")

    with pytest.raises(ValidationFailed) as error:
        services.decide(actor=uma, application=application, now=NOW, **arguments)

    assert error.value.details["field"] == field
    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.REFERRED


def test_a_decline_sends_a_written_notice_with_the_reasons_and_the_answers(alice, versions, uma):
    application = apply(alice.user, declarations=clean(serious_condition="Type 1 diabetes, 2010"))

    services.decide(
        actor=uma,
        application=application,
        decision=Decision.DECLINED,
        reasons="Insulin-dependent diabetes is outside our term-life guidelines.",
        now=NOW,
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    letter = Letter.objects.get(pk=application.letter_id)
    assert letter.kind == "application_decision"
    assert letter.context["reasons"].startswith("Insulin-dependent diabetes")
    assert any(row["details"] == "Type 1 diabetes, 2010" for row in letter.context["declared"])
    assert letter.sha256
    assert Message.objects.filter(recipient_customer=alice, letter=letter).exists()
    with pytest.raises(InvalidTransition):
        services.accept_offer(actor=alice.user, application=application, now=NOW)


def test_cn_02_no_policy_is_issued_before_every_exemption_clause_is_acknowledged(alice, versions):
    application = apply(alice.user)
    exemptions = [c.number for c in services.unacknowledged_exemptions(application)]
    assert exemptions  # the demo term life has exemption clauses

    with pytest.raises(InvalidTransition) as error:
        services.accept_offer(actor=alice.user, application=application, now=NOW)

    assert error.value.details["clauses"] == exemptions
    assert not Policy.objects.exists()
    acknowledge(alice, application.product_version)
    policy = services.accept_offer(actor=alice.user, application=application, now=NOW)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ISSUED
    assert application.policy == policy
    assert policy.status == PolicyStatus.IN_FORCE
    assert policy.policyholder == alice
    assert policy.premium == application.offered_premium
    assert policy.risk_details["application"] == application.reference
    assert Message.objects.filter(
        recipient_customer=alice, subject__contains="your policy is issued"
    )
    with pytest.raises(InvalidTransition):  # a second click issues nothing more
        services.accept_offer(actor=alice.user, application=application, now=NOW)
    assert Policy.objects.count() == 1


def test_an_offer_accepted_after_its_start_date_starts_the_day_it_is_issued(alice, versions):
    application = apply(alice.user)
    acknowledge(alice, application.product_version)
    later = NOW + dt.timedelta(days=5)

    policy = services.accept_offer(actor=alice.user, application=application, now=later)

    assert policy.start_date == later.date()


def test_cn_12_a_phone_sale_is_issued_only_once_recorded_with_consent(alice, versions, dave):
    application = apply(dave, applicant=alice, channel="phone")
    assert application.agent == dave
    assert "phone sale" in services.recording_required(application)
    acknowledge(alice, application.product_version)

    with pytest.raises(InvalidTransition) as error:
        services.accept_offer(actor=dave, application=application, now=NOW)
    assert error.value.details["rule"] == "CN-12"
    with pytest.raises(ValidationFailed) as refused:
        services.attach_recording(
            actor=dave, application=application, name="call.mp3", content=b"ID3", consent=False,
            now=NOW,
        )  # fmt: skip
    assert refused.value.details["field"] == "consent"

    services.attach_recording(
        actor=dave, application=application, name="call.mp3", content=b"ID3...", consent=True,
        now=NOW,
    )  # fmt: skip
    policy = services.accept_offer(actor=dave, application=application, now=NOW)

    assert policy.agent == dave
    assert application.case.events.filter(kind="recording_attached").exists()


def test_cn_12_an_applicant_aged_60_is_recorded_for_long_personal_cover(db, versions, dave):
    senior = factories.make_customer("wang", full_name="Wang Fang")
    senior.date_of_birth = dt.date(1960, 1, 1)
    senior.save()

    application = apply(dave, applicant=senior, channel="in_person", insured_name="Wang Fang")

    assert "60 or older" in services.recording_required(application)


def test_outside_cn_neither_cn_02_nor_cn_12_holds_up_the_sale(db, versions, dave):
    holder = factories.make_customer("oliver", full_name="Oliver Grey", jurisdiction="GB")
    uk_life = factories.demo_product_in(TERM_LIFE, "GB")  # life cover sold in the UK
    application = apply(
        dave, applicant=holder, channel="phone", insured_name="Oliver Grey",
        product=uk_life.product.code,
        now=dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/London")),
    )  # fmt: skip

    assert services.unacknowledged_exemptions(application) == []
    assert services.recording_required(application) == ""
    policy = services.accept_offer(actor=dave, application=application, now=NOW)
    assert policy.jurisdiction == "GB"


def test_an_offer_not_accepted_in_time_expires(alice, versions):
    application = apply(alice.user)
    acknowledge(alice, application.product_version)
    last_day = NOW + dt.timedelta(days=services.OFFER_VALID_DAYS)

    assert services.expire_offers(now=last_day) == {"expired": 0}
    assert services.expire_offers(now=last_day + dt.timedelta(days=1)) == {"expired": 1}

    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.EXPIRED
    with pytest.raises(InvalidTransition):
        services.accept_offer(actor=alice.user, application=application, now=last_day)


def test_the_applicant_withdraws_and_a_requested_exam_is_cancelled(alice, versions, uma):
    application = apply(alice.user, declarations=clean(pending_tests="Thyroid scan"))
    exam = services.request_exam(
        actor=uma, application=application, reason="Pending tests", tests="Thyroid panel",
        clinic="Clinic", now=NOW,
    )  # fmt: skip

    services.withdraw(actor=alice.user, application=application, now=NOW, reason="Not now")

    application.case.refresh_from_db()
    exam.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert exam.status == "cancelled"


def test_the_worker_runs_the_offer_expiry(alice, versions):
    from insuredesk.sales.tasks import PERIODIC_JOBS

    apply(alice.user)
    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        names = dict(PERIODIC_JOBS)
        assert names["offers"](now=NOW + dt.timedelta(days=40)) == {"expired": 1}


def test_svc_02_an_underwriter_decides_within_five_business_days_of_referral_or_exam(
    alice, versions, uma
):
    rule = get_rule("CN", "SVC-02")
    assert rule.unconfirmed and "not a legal requirement" in rule.source
    application = apply(alice.user, declarations=clean(pending_tests="Thyroid scan"))  # a Monday

    referred = application.case.clocks.get()
    assert (referred.name, referred.rule, referred.state) == ("decide", "SVC-02", "running")
    assert referred.due_date == TODAY + dt.timedelta(days=7)  # Monday to the next Monday
    exam = services.request_exam(
        actor=uma, application=application, reason="Pending tests", tests="Thyroid panel",
        clinic="Clinic", now=NOW,
    )  # fmt: skip
    referred.refresh_from_db()
    assert referred.stopped_at == NOW  # the applicant's appointment is not our time

    result_at = NOW + dt.timedelta(days=3)  # Thursday
    services.record_exam_result(actor=uma, exam=exam, summary="Normal", now=result_at)
    application.case.refresh_from_db()
    afresh = application.case.clocks.filter(stopped_at__isnull=True).get()
    assert afresh.due_date == dt.date(2026, 3, 12)  # five business days from Thursday
    services.decide(
        actor=uma, application=application, decision=Decision.STANDARD, reasons="", now=result_at
    )
    afresh.refresh_from_db()
    assert afresh.stopped_at == result_at
