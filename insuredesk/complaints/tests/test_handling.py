"""End to end in CN and GB: response letters, root cause, resolution, rating, plans."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from insuredesk.casework.choices import ClockState
from insuredesk.complaints import clocks, selectors, services
from insuredesk.complaints.choices import ComplaintStatus, PlanStatus
from insuredesk.complaints.models import ResponseWording
from insuredesk.complaints.tests.factories import (
    LONDON,
    at,
    classified,
    make_gb_customer,
    reload,
    submit,
)
from insuredesk.documents.models import Letter
from insuredesk.errors import Conflict, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db


def test_cn_decision_notice_states_findings_basis_reasons_and_remedies_cm_31_cm_29(
    alice, alice_policy, erin
):
    complaint = submit(alice, now=at(2025, 3, 3), policy=alice_policy)
    classified(complaint, handler=erin, now=at(2025, 3, 4))
    services.respond_to_complaint(
        complaint=reload(complaint),
        actor=erin,
        now=at(2025, 3, 10),
        outcome="rejected",
        findings="The pipe failed from corrosion over years.",
        basis="Clause 4.1 wear and tear.",
        reasons="Gradual deterioration is excluded and was explained at sale.",
    )
    fresh = reload(complaint)
    assert fresh.case.status == ComplaintStatus.RESPONDED
    assert fresh.responded_in_time is True
    notice = Letter.objects.get(case=fresh.case, kind="complaint_decision")
    assert notice.context["findings"].startswith("The pipe")
    assert "30 days" in notice.context["wording"]["referral"]  # CN-29 review by the superior
    assert "arbitration" in notice.context["wording"]["other_remedies"]
    assert clocks.main_clock(fresh.case).state == ClockState.MET


def test_cn_decision_notice_needs_basis_cm_31(alice, erin):
    complaint = classified(submit(alice, now=at(2025, 3, 3)), handler=erin, now=at(2025, 3, 4))
    with pytest.raises(ValidationFailed) as refused:
        services.respond_to_complaint(
            complaint=complaint,
            actor=erin,
            now=at(2025, 3, 5),
            outcome="upheld",
            findings="f",
            reasons="r",
            redress="x",
        )
    assert refused.value.details["field"] == "basis"


def test_cn_late_decision_is_counted_as_not_in_time_cm_28(alice, erin):
    complaint = classified(submit(alice, now=at(2025, 3, 3)), handler=erin, now=at(2025, 3, 4))
    services.respond_to_complaint(
        complaint=complaint,
        actor=erin,
        now=at(2025, 3, 25),
        outcome="upheld",
        findings="f",
        basis="b",
        reasons="r",
        redress="Paid",
    )
    assert reload(complaint).responded_in_time is False


def test_gb_summary_resolution_communication_within_three_business_days_disp_1_5(erin):
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    classified(complaint, handler=erin, now=at(2025, 3, 3, tz=LONDON), category="system")
    services.respond_to_complaint(
        complaint=reload(complaint),
        actor=erin,
        now=at(2025, 3, 6, 16, tz=LONDON),
        outcome="upheld",
        redress="Password reset and an apology.",
        summary=True,
    )
    src = Letter.objects.get(case=complaint.case, kind="complaint_summary_resolution")
    assert src.context["wording"]["website"] == "https://www.financial-ombudsman.org.uk"
    assert src.context["wording"]["waiver"]
    assert reload(complaint).outcome == "resolved_summary"


def test_gb_final_response_uses_the_administrators_wording_disp_1_annex_3(erin):
    ResponseWording.objects.filter(jurisdiction="GB").update(
        referral_paragraph="Our own referral words.",
        waiver_position="consent",
        waiver_paragraph="We consent to late referrals.",
    )
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    classified(complaint, handler=erin, now=at(2025, 3, 4, tz=LONDON), category="claims_amount")
    services.respond_to_complaint(
        complaint=reload(complaint),
        actor=erin,
        now=at(2025, 4, 1, tz=LONDON),
        outcome="redress_without_admission",
        redress="GBP 150 goodwill.",
        redress_amount=150,
        reasons="",
    )
    letter = Letter.objects.get(case=complaint.case, kind="complaint_final_response")
    assert letter.context["wording"]["referral"] == "Our own referral words."
    assert letter.context["wording"]["waiver_position"] == "consent"
    assert reload(complaint).responded_in_time is True


def test_gb_rejection_needs_reasons_disp_1_6_2(erin):
    gwen = make_gb_customer()
    complaint = submit(gwen, now=at(2025, 3, 3, tz=LONDON))
    classified(complaint, handler=erin, now=at(2025, 3, 4, tz=LONDON))
    with pytest.raises(ValidationFailed) as refused:
        services.respond_to_complaint(
            complaint=reload(complaint),
            actor=erin,
            now=at(2025, 3, 20, tz=LONDON),
            outcome="rejected",
        )
    assert refused.value.details == {"field": "reasons", "rule": "GB-09"}


def test_root_cause_then_resolve_invites_a_rating_and_the_rating_is_kept(alice, alice_policy, erin):
    complaint = submit(alice, now=at(2025, 3, 3), policy=alice_policy)
    classified(complaint, handler=erin, now=at(2025, 3, 4))
    services.respond_to_complaint(
        complaint=reload(complaint),
        actor=erin,
        now=at(2025, 3, 8),
        outcome="upheld",
        findings="f",
        basis="b",
        reasons="r",
        redress="Paid in full",
    )
    with pytest.raises(ValidationFailed):
        services.resolve_complaint(complaint=reload(complaint), actor=erin, now=at(2025, 3, 9))
    cause = services.record_root_cause(
        complaint=reload(complaint),
        actor=erin,
        now=at(2025, 3, 9),
        category="exemption_not_explained",
        clause="4.1",
        team="Branch sales",
    )
    assert cause.clause.number == "4.1"
    assert cause.product_version == alice_policy.product_version
    services.resolve_complaint(complaint=reload(complaint), actor=erin, now=at(2025, 3, 9))
    assert Message.objects.filter(dedupe_key__startswith="complaint-rating-invite:").exists()
    services.rate_complaint(
        complaint=reload(complaint),
        score=4,
        comment="Quick.",
        actor=alice.user,
        now=at(2025, 3, 10),
    )
    with pytest.raises(Conflict):
        services.rate_complaint(
            complaint=reload(complaint), score=5, actor=alice.user, now=at(2025, 3, 11)
        )


def test_never_ask_for_documents_already_held_cm_34(alice, alice_policy, erin):
    complaint = submit(alice, now=at(2025, 3, 3), policy=alice_policy)
    with pytest.raises(ValidationFailed) as refused:
        services.request_documents(
            complaint=complaint,
            documents=["policy_contract", "receipts"],
            actor=erin,
            now=at(2025, 3, 4),
        )
    assert refused.value.details["rule"] == "CN-34"
    assert refused.value.details["held"] == ["policy_contract"]
    services.request_documents(
        complaint=complaint, documents=["receipts"], actor=erin, now=at(2025, 3, 4)
    )


def test_proxy_needs_evidence_of_authority(alice):
    with pytest.raises(ValidationFailed) as refused:
        submit(alice, now=at(2025, 3, 3), complainant_role="proxy", complainant_name="Li Wei")
    assert refused.value.details["field"] == "authority_evidence"


def test_meeting_recording_is_kept_with_its_checksum_cm_33(alice, erin):
    complaint = submit(alice, now=at(2025, 3, 3))
    audio = SimpleUploadedFile("meeting.mp3", b"ID3" + b"\x00" * 64, content_type="audio/mpeg")
    kept = services.add_attachment(
        complaint=complaint,
        attachment=services.NewAttachment(kind="audio", upload=audio),
        actor=erin,
        now=at(2025, 3, 4),
    )
    assert kept.size == 67 and len(kept.sha256) == 64


def test_attachment_of_the_wrong_type_is_refused(alice):
    complaint = submit(alice, now=at(2025, 3, 3))
    fake = SimpleUploadedFile("meeting.mp4", b"not a video at all", content_type="video/mp4")
    with pytest.raises(ValidationFailed) as refused:
        services.add_attachment(
            complaint=complaint,
            attachment=services.NewAttachment(kind="video", upload=fake),
            actor=alice.user,
            now=at(2025, 3, 4),
        )
    assert refused.value.details["field"] == "file"


def _resolved_with_cause(customer, handler, *, received, category="unclear_term", policy=None):
    complaint = submit(customer, now=received, policy=policy)
    classified(complaint, handler=handler, now=received + timedelta(hours=1))
    services.respond_to_complaint(
        complaint=reload(complaint),
        actor=handler,
        now=received + timedelta(days=5),
        outcome="upheld",
        findings="f",
        basis="b",
        reasons="r",
        redress="Paid",
    )
    services.record_root_cause(
        complaint=reload(complaint),
        actor=handler,
        now=received + timedelta(days=5),
        category=category,
    )
    services.resolve_complaint(
        complaint=reload(complaint), actor=handler, now=received + timedelta(days=6)
    )
    return reload(complaint)


def test_plan_verification_shows_complaints_before_and_after(alice, erin, carol):
    for day in (1, 10, 20):
        first = _resolved_with_cause(alice, erin, received=at(2025, 1, day))
    _resolved_with_cause(alice, erin, received=at(2025, 3, 10))
    plan = services.create_plan(
        actor=carol,
        now=at(2025, 2, 1),
        title="Plain-words flood clause",
        deficiency="Clause 3.2 is read as covering surface water.",
        root_causes=[first.root_cause],
        verification_date=date(2025, 4, 1),
        measures=[
            {"description": "Rewrite clause 3.2", "owner": erin, "due_date": date(2025, 2, 20)}
        ],
    )
    assert list(selectors.overdue_measures(erin, now=at(2025, 3, 1))) == list(plan.measures.all())
    with pytest.raises(services.TooEarly):
        services.verify_plan(
            plan=plan, actor=carol, now=at(2025, 3, 1), effective=True, note="early"
        )
    verified = services.verify_plan(
        plan=plan,
        actor=carol,
        now=at(2025, 4, 2),
        effective=True,
        note="Fewer complaints about the clause.",
    )
    numbers = verified.verification_numbers
    assert (numbers["before"]["complaints"], numbers["after"]["complaints"]) == (3, 1)
    assert verified.status == PlanStatus.VERIFIED_EFFECTIVE


def test_measure_done_needs_evidence(erin, carol):
    plan = services.create_plan(
        actor=carol,
        now=at(2025, 2, 1),
        title="t",
        deficiency="d",
        cause_categories=["service_delay"],
        verification_date=date(2025, 5, 1),
        measures=[{"description": "Train", "owner": erin, "due_date": date(2025, 3, 1)}],
    )
    measure = plan.measures.get()
    with pytest.raises(ValidationFailed) as refused:
        services.update_measure(measure=measure, actor=erin, now=at(2025, 2, 2), status="done")
    assert refused.value.details["field"] == "evidence"
    services.update_measure(
        measure=measure,
        actor=erin,
        now=at(2025, 2, 2),
        status="done",
        evidence="Training log 2025-02-02, 14 staff.",
    )


def test_handlers_cannot_create_plans(erin):
    from insuredesk.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.create_plan(
            actor=erin,
            now=at(2025, 2, 1),
            title="t",
            deficiency="d",
            cause_categories=["service_delay"],
            verification_date=date(2025, 5, 1),
        )


def test_analytics_rates_are_per_10000_policies_in_force_in_the_period(alice, erin):
    from insuredesk.complaints.analytics import complaint_report
    from insuredesk.tests.factories import make_policy

    in_force = make_policy(alice, start=date(2024, 6, 1))  # covers 1 Jun 2024 - 1 Jun 2025
    expired = make_policy(alice, start=date(2023, 1, 1), version=in_force.product_version)
    assert expired.end_date < date(2025, 1, 1)  # ended before the window: no exposure
    _resolved_with_cause(alice, erin, received=at(2025, 3, 3), policy=in_force)

    report = complaint_report(now=at(2025, 3, 31), months=3)
    assert report.policies == 1
    assert report.by_product[0].per_10k == 10000.0
    assert report.by_month[-1].per_10k == 10000.0
    assert report.within_deadline["share"] == 100.0
    assert report.median_days_to_respond == 5.0
    assert [row.complaints for row in report.by_month] == [0, 0, 1]


def test_mallory_sees_none_of_alices_complaints(alice, mallory):
    submit(alice, now=at(2025, 3, 3))
    assert not selectors.complaints_visible_to(mallory.user).exists()
    assert selectors.complaints_visible_to(factories.erin()).count() == 1


def test_overdue_measures_reach_the_owner_once(erin, carol):
    from insuredesk.complaints.services.plans import remind_overdue_measures

    services.create_plan(
        actor=carol,
        now=at(2025, 2, 1),
        title="t",
        deficiency="d",
        cause_categories=["service_delay"],
        verification_date=date(2025, 5, 1),
        measures=[{"description": "Train", "owner": erin, "due_date": date(2025, 3, 1)}],
    )
    assert remind_overdue_measures(now=at(2025, 3, 5)) == 1
    remind_overdue_measures(now=at(2025, 3, 6))
    assert Message.objects.filter(dedupe_key__startswith="measure-overdue:").count() == 1
