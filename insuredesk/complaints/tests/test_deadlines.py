"""CN-28 decision periods and GB-07/08/09 response periods, counted as the rules say."""

from datetime import date, timedelta

import pytest

from insuredesk.casework.choices import ClockState
from insuredesk.complaints import clocks, services
from insuredesk.complaints.choices import ComplaintStatus
from insuredesk.complaints.tests.factories import LONDON, at, make_gb_customer, reload, submit
from insuredesk.documents.models import Letter
from insuredesk.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def decide_clock(complaint):
    return clocks.main_clock(complaint.case)


def test_cn_complaint_decision_due_in_15_days_cm(alice):
    # 2025-03-03 is a Monday; day 15 is Tuesday 18 March, a working day.
    complaint = submit(alice, now=at(2025, 3, 3))
    clock = decide_clock(complaint)
    assert clock.rule == "CN-28"
    assert clock.due_date == date(2025, 3, 18)
    assert reload(complaint).case.status == ComplaintStatus.ACKNOWLEDGED


def test_cn_acknowledgement_letter_goes_out_at_once(alice):
    complaint = submit(alice, now=at(2025, 3, 3))
    letter = Letter.objects.get(case=complaint.case)
    assert letter.kind == "complaint_acknowledgement"
    assert reload(complaint).acknowledged_at == at(2025, 3, 3)


def test_cn_complex_complaint_due_in_30_days_cm_28_complex(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.mark_complex(
        complaint=complaint, reason="Needs the surveyor's file.", actor=erin, now=at(2025, 3, 10)
    )
    clock = decide_clock(complaint)
    assert clock.rule == "CN-28.complex"
    assert clock.due_date == date(2025, 4, 2)  # 3 March + 30 days, a Wednesday


def test_cn_extension_needs_a_supervisors_approval_cm_28_extended(alice, erin, carol):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.mark_complex(complaint=complaint, reason="Surveyor", actor=erin, now=at(2025, 3, 5))
    extension = services.request_extension(
        complaint=complaint,
        days=30,
        reason="Waiting on the hospital.",
        actor=erin,
        now=at(2025, 3, 25),
    )
    assert decide_clock(complaint).rule == "CN-28.complex"  # nothing moves before approval
    with pytest.raises(NotPermitted) as refused:
        services.approve_extension(extension=extension, actor=erin, now=at(2025, 3, 26))
    assert refused.value.details["rule"] == "CN-28.extended"
    services.approve_extension(extension=extension, actor=carol, now=at(2025, 3, 26))
    clock = decide_clock(complaint)
    assert clock.rule == "CN-28.extended"
    # 2 April + 30 = Fri 2 May 2025, inside the Labour Day holiday (1-5 May): the period ends
    # on the next working day, Tue 6 May (Civil Code Art. 203), which is also the CN-28.max day.
    assert clock.due_date == date(2025, 5, 6)
    assert clock.due_date == clocks.maximum_due(complaint.case).due_date
    notice = Letter.objects.get(case=complaint.case, kind="complaint_extension_notice")
    assert notice.context["new_due_date"] == "2025-05-06"


def test_cn_extension_beyond_60_days_is_refused_citing_cm_28_max(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.mark_complex(complaint=complaint, reason="Surveyor", actor=erin, now=at(2025, 3, 5))
    with pytest.raises(ValidationFailed) as refused:
        services.request_extension(
            complaint=complaint, days=31, reason="More", actor=erin, now=at(2025, 3, 20)
        )
    assert refused.value.details == {"field": "days", "rule": "CN-28.max", "max_days": 30}


def test_cn_extension_only_after_the_complaint_is_marked_complex_cm_28_extended(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    with pytest.raises(services.RuleRefused) as refused:
        services.request_extension(
            complaint=complaint, days=10, reason="More", actor=erin, now=at(2025, 3, 5)
        )
    assert refused.value.details["rule"] == "CN-28.extended"


def test_cn_second_extension_is_refused_cm_28_max(alice, erin, carol):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.mark_complex(complaint=complaint, reason="Surveyor", actor=erin, now=at(2025, 3, 5))
    extension = services.request_extension(
        complaint=complaint, days=10, reason="Hospital", actor=erin, now=at(2025, 3, 20)
    )
    services.approve_extension(extension=extension, actor=carol, now=at(2025, 3, 21))
    with pytest.raises(services.RuleRefused) as refused:
        services.request_extension(
            complaint=complaint, days=10, reason="Again", actor=erin, now=at(2025, 3, 22)
        )
    assert refused.value.details["rule"] == "CN-28.max"


def test_cn_appraisal_time_is_not_counted_cm_28(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.classify_complaint(
        complaint=complaint, actor=erin, now=at(2025, 3, 4), category="claims_amount"
    )
    services.start_appraisal(
        complaint=reload(complaint),
        appraiser="Shanghai Loss Adjusters",
        reason="Value of roof",
        actor=erin,
        now=at(2025, 3, 5),
    )
    assert decide_clock(complaint).state == ClockState.PAUSED
    assert Letter.objects.filter(case=complaint.case, kind="complaint_appraisal_notice").exists()
    services.finish_appraisal(
        complaint=reload(complaint), summary="Roof valued.", actor=erin, now=at(2025, 3, 12)
    )
    clock = decide_clock(complaint)
    assert clock.state == ClockState.RUNNING
    assert clock.due_date == date(2025, 3, 25)  # 18 March + 7 paused days


def test_cn_appraisal_pause_carries_over_into_the_complex_period_cm_28_complex(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.classify_complaint(
        complaint=complaint, actor=erin, now=at(2025, 3, 4), category="claims_amount"
    )
    services.start_appraisal(
        complaint=reload(complaint),
        appraiser="Lab",
        reason="Samples",
        actor=erin,
        now=at(2025, 3, 5),
    )
    services.finish_appraisal(
        complaint=reload(complaint), summary="Done", actor=erin, now=at(2025, 3, 12)
    )
    services.mark_complex(
        complaint=reload(complaint), reason="Two experts", actor=erin, now=at(2025, 3, 13)
    )
    assert decide_clock(complaint).due_date == date(2025, 4, 9)  # 2 April + 7


def test_cn_complex_after_the_15_days_ran_out_is_refused_cm_28(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    with pytest.raises(services.RuleRefused):
        services.mark_complex(complaint=complaint, reason="Late", actor=erin, now=at(2025, 3, 20))


def test_gb_acknowledgement_at_once_disp_1_6(erin):
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    assert Letter.objects.get(case=complaint.case).template_name.endswith(
        "complaint_acknowledgement/gb.html"
    )
    assert reload(complaint).case.status == ComplaintStatus.ACKNOWLEDGED


def test_gb_summary_resolution_by_third_business_day_disp_1_5(erin):
    gwen = make_gb_customer()
    # Thursday 17 April 2025: Good Friday and Easter Monday are bank holidays in England.
    complaint = submit(gwen, now=at(2025, 4, 17, tz=LONDON))
    assert reload(complaint).summary_resolution_by == date(2025, 4, 24)


def test_gb_final_response_due_in_8_weeks_disp_1_6_2(erin):
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    clock = clocks.main_clock(complaint.case)
    assert (clock.rule, clock.due_date) == ("GB-09", date(2025, 4, 28))


def test_gb_summary_resolution_after_third_business_day_is_refused_disp_1_5(erin):
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    services.classify_complaint(
        complaint=complaint, actor=erin, now=at(2025, 3, 3, tz=LONDON), category="service_attitude"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.respond_to_complaint(
            complaint=reload(complaint),
            actor=erin,
            now=at(2025, 3, 7, tz=LONDON),
            outcome="upheld",
            redress="Apology",
            summary=True,
        )
    assert refused.value.details["rule"] == "GB-08"
    assert refused.value.details["field"] == "summary"


def test_gb_holding_letter_at_8_weeks_meets_the_clock_disp_1_6_2(erin):
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    with pytest.raises(services.RuleRefused):
        services.send_holding_letter(
            complaint=complaint, reason="Early", actor=erin, now=at(2025, 3, 10, tz=LONDON)
        )
    services.send_holding_letter(
        complaint=reload(complaint),
        reason="Waiting for the loss adjuster's report.",
        actor=erin,
        now=at(2025, 4, 25, tz=LONDON),
    )
    clock = clocks.main_clock(complaint.case)
    assert clock.state == ClockState.MET
    assert clock.stopped_at == at(2025, 4, 25, tz=LONDON)


def test_withdrawal_closes_the_complaint_the_day_it_arrives_cm_34(alice):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.withdraw_complaint(
        complaint=complaint, actor=alice.user, now=at(2025, 3, 6), reason="Sorted out by phone."
    )
    fresh = reload(complaint)
    assert fresh.case.status == ComplaintStatus.WITHDRAWN
    assert fresh.case.closed_at == at(2025, 3, 6)
    assert clocks.main_clock(fresh.case).stopped_at == at(2025, 3, 6)


def test_withdrawal_during_appraisal_resumes_then_closes_cm_34(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    services.classify_complaint(
        complaint=complaint, actor=erin, now=at(2025, 3, 4), category="claims_amount"
    )
    services.start_appraisal(
        complaint=reload(complaint), appraiser="Lab", reason="x", actor=erin, now=at(2025, 3, 5)
    )
    services.withdraw_complaint(complaint=reload(complaint), actor=alice.user, now=at(2025, 3, 8))
    clock = clocks.main_clock(complaint.case)
    assert clock.state == ClockState.MET
    assert clock.due_date == date(2025, 3, 18) + timedelta(days=3)
