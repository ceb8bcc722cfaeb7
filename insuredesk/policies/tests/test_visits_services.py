"""Arranging, making and rating a visit, and what it leads to: each operation's rules, its
event on the visit's case, and who is told."""

import datetime as dt

import pytest

from insuredesk.casework.models import CaseEvent
from insuredesk.complaints.models import Complaint
from insuredesk.consultation.models import Consultation
from insuredesk.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.policies import visiting
from insuredesk.policies.choices import FollowUpAction, VisitNeed, VisitPurpose, VisitStatus
from insuredesk.policies.models import Visit
from insuredesk.policies.tests.visit_factories import (
    NOW,
    TODAY,
    fresh,
    requested_visit,
    sold_policy,
    welcome_visit,
)
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db
TOMORROW_10 = NOW + dt.timedelta(days=1)
ALL_EXPLAINED = dict.fromkeys(visiting.WELCOME_CHECKLIST, True)


def events(visit) -> list[str]:
    return list(visit.case.events.order_by("sequence").values_list("kind", flat=True))


def completed(visit, agent, **extra):
    arguments = {"outcome": "completed", "checklist": ALL_EXPLAINED, "now": NOW, **extra}
    return visiting.record_visit_outcome(actor=agent, visit=visit, **arguments)


# -- asking for a visit --------------------------------------------------------------------------


def test_a_customer_asks_for_a_visit_and_the_policys_agent_is_told(alice, dave):
    policy = sold_policy(alice, dave, issued_at=NOW - dt.timedelta(days=200))

    visit = visiting.request_visit(
        actor=alice.user, policy=policy, note="Our second child is born.", now=NOW
    )

    assert (visit.purpose, visit.case.status) == (VisitPurpose.REQUESTED, VisitStatus.PLANNED)
    assert visit.due_on == dt.date(2026, 3, 16)  # SVC-03.requested: 5 business days
    assert visit.case.assignee == dave
    assert visit.customer_note == "Our second child is born."
    assert Message.objects.filter(recipient_user=dave, case=visit.case).exists()
    assert Message.objects.filter(recipient_customer=alice, case=visit.case).exists()


def test_a_customer_who_proposes_a_time_when_asking_waits_for_the_agent_to_confirm(alice, dave):
    visit = visiting.request_visit(
        actor=alice.user, channel="video", scheduled_at=TOMORROW_10, now=NOW
    )

    assert visit.case.status == VisitStatus.PROPOSED
    assert (visit.channel, visit.scheduled_at) == ("video", TOMORROW_10)
    assert visit.case.assignee is None  # no policy named: the agents' queue
    assert events(visit) == ["planned", "proposed"]


def test_a_second_open_request_is_a_conflict_naming_the_first(alice):
    first = requested_visit(alice)

    with pytest.raises(Conflict) as refused:
        requested_visit(alice)

    assert refused.value.details["reference"] == first.reference
    assert Visit.objects.count() == 1


def test_mallory_cannot_ask_for_a_visit_about_alices_policy(alice, mallory):
    policy = sold_policy(alice)

    with pytest.raises(NotFound) as refused:
        visiting.request_visit(actor=mallory.user, policy=policy, now=NOW)

    assert refused.value.details["field"] == "policy"


def test_an_agent_records_a_request_naming_the_customer_and_an_agreed_time(alice, dave):
    visit = visiting.request_visit(
        actor=dave, customer=alice, channel="phone", scheduled_at=TOMORROW_10, now=NOW
    )

    assert visit.case.status == VisitStatus.SCHEDULED
    assert visit.case.assignee == dave
    assert visit.place == alice.phone  # a call goes to the number on file


def test_an_agent_must_name_the_customer(dave):
    with pytest.raises(ValidationFailed) as refused:
        visiting.request_visit(actor=dave, now=NOW)

    assert refused.value.details["field"] == "customer"


def test_a_claims_handler_does_not_arrange_visits(alice, bob):
    with pytest.raises(NotPermitted):
        visiting.request_visit(actor=bob, customer=alice, now=NOW)


# -- proposing, scheduling, moving ---------------------------------------------------------------


def test_the_customer_proposes_a_time_and_the_agent_is_told(alice, dave):
    visit = welcome_visit(alice, dave)

    visiting.propose_visit_time(
        actor=alice.user,
        visit=visit,
        scheduled_at=TOMORROW_10,
        channel="in_person",
        place="88 Century Avenue",
        now=NOW,
    )

    visit = fresh(visit)
    assert visit.case.status == VisitStatus.PROPOSED
    assert visit.place == "88 Century Avenue"
    assert Message.objects.filter(recipient_user=dave, subject__contains="proposes").exists()


@pytest.mark.parametrize(
    ("when", "channel", "place", "field"),
    [
        (NOW - dt.timedelta(hours=1), "phone", "", "scheduled_at"),
        (NOW + dt.timedelta(days=200), "phone", "", "scheduled_at"),
        (None, "phone", "", "scheduled_at"),
        (TOMORROW_10, "carrier pigeon", "", "channel"),
        (TOMORROW_10, "phone", "x" * 301, "place"),
    ],
)
def test_a_proposal_in_the_past_too_far_ahead_or_unreadable_names_the_field(
    alice, dave, when, channel, place, field
):
    visit = welcome_visit(alice, dave)

    with pytest.raises(ValidationFailed) as refused:
        visiting.propose_visit_time(
            actor=alice.user, visit=visit, scheduled_at=when, channel=channel, place=place, now=NOW
        )

    assert refused.value.details["field"] == field
    assert fresh(visit).case.status == VisitStatus.PLANNED  # nothing written


def test_in_person_without_any_address_asks_where(dave):
    carl = factories.make_customer("carl")
    carl.address = ""
    carl.save()
    visit = welcome_visit(carl, dave)

    with pytest.raises(ValidationFailed) as refused:
        visiting.schedule_visit(
            actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="in_person", now=NOW
        )

    assert refused.value.details["field"] == "place"


def test_mallory_cannot_propose_a_time_for_alices_visit(alice, mallory, dave):
    visit = welcome_visit(alice, dave)

    with pytest.raises(NotFound):
        visiting.propose_visit_time(
            actor=mallory.user, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
        )


def test_the_agent_confirms_and_the_customer_gets_the_appointment(alice, dave):
    visit = welcome_visit(alice, dave)

    visiting.schedule_visit(
        actor=dave,
        visit=visit,
        scheduled_at=TOMORROW_10,
        channel="video",
        place="https://meet.example/alice",
        now=NOW,
    )

    visit = fresh(visit)
    assert visit.case.status == VisitStatus.SCHEDULED
    assert events(visit)[-1] == "scheduled"
    told = Message.objects.get(
        recipient_customer=alice, channel="portal", subject__contains="arranged"
    )
    assert "2026-03-10 10:00" in told.body and "Video call" in told.body


def test_an_agent_scheduling_an_unassigned_visit_takes_it(alice, dave):
    visit = welcome_visit(alice, None)

    visiting.schedule_visit(
        actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )

    assert fresh(visit).case.assignee == dave
    assert "assigned" in events(visit)


def test_another_agents_visit_is_theirs_until_a_supervisor_reassigns_it(alice, dave, carol):
    other = factories.make_user("olga", factories.Role.AGENT)
    visit = welcome_visit(alice, other)

    with pytest.raises(NotPermitted):
        visiting.schedule_visit(
            actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
        )
    visiting.assign_visit(actor=carol, visit=fresh(visit), assignee=dave, now=NOW)
    visiting.schedule_visit(
        actor=dave, visit=fresh(visit), scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )

    assert fresh(visit).case.assignee == dave


def test_an_agent_takes_only_unassigned_visits_and_only_for_themselves(alice, dave):
    visit = welcome_visit(alice, None)
    olga = factories.make_user("olga", factories.Role.AGENT)

    with pytest.raises(NotPermitted):
        visiting.assign_visit(actor=dave, visit=visit, assignee=olga, now=NOW)
    visiting.assign_visit(actor=dave, visit=visit, assignee=dave, now=NOW)
    with pytest.raises(NotPermitted):
        visiting.assign_visit(actor=olga, visit=fresh(visit), assignee=olga, now=NOW)


def test_moving_an_appointment_the_customer_proposes_and_the_agent_moves_at_once(alice, dave):
    visit = welcome_visit(alice, dave)
    visiting.schedule_visit(
        actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )

    visiting.reschedule_visit(
        actor=alice.user,
        visit=fresh(visit),
        scheduled_at=TOMORROW_10 + dt.timedelta(days=1),
        channel="phone",
        reason="A doctor's appointment.",
        now=NOW,
    )
    assert fresh(visit).case.status == VisitStatus.PROPOSED
    visiting.reschedule_visit(
        actor=dave,
        visit=fresh(visit),
        scheduled_at=TOMORROW_10 + dt.timedelta(days=1, hours=4),
        channel="phone",
        now=NOW,
    )

    visit = fresh(visit)
    assert visit.case.status == VisitStatus.SCHEDULED
    assert visit.scheduled_at == TOMORROW_10 + dt.timedelta(days=1, hours=4)
    assert events(visit)[-2:] == ["reschedule_asked", "scheduled"]  # the agent sets the new time


def test_nothing_to_move_before_a_time_is_arranged(alice, dave):
    visit = welcome_visit(alice, dave)

    with pytest.raises(InvalidTransition):
        visiting.reschedule_visit(
            actor=alice.user, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
        )


def test_a_stale_copy_of_the_visit_loses_to_the_change_made_first(alice, dave):
    visit = welcome_visit(alice, dave)
    stale = fresh(visit)
    visiting.propose_visit_time(
        actor=alice.user, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )
    stale.case.status = VisitStatus.PROPOSED  # as if read between the two writes

    with pytest.raises(Conflict):
        visiting.propose_visit_time(
            actor=alice.user, visit=stale, scheduled_at=TOMORROW_10, channel="video", now=NOW
        )

    assert fresh(visit).channel == "phone"


# -- declining ------------------------------------------------------------------------------------


def test_the_customer_declines_and_may_ask_for_another_visit_later(alice, dave):
    visit = requested_visit(alice)

    visiting.decline_visit(actor=alice.user, visit=visit, reason="Not needed after all.", now=NOW)

    visit = fresh(visit)
    assert visit.case.status == VisitStatus.DECLINED
    assert visit.open_key is None
    assert visit.case.closed_at == NOW
    assert requested_visit(alice).pk != visit.pk


def test_an_ended_visit_takes_no_new_time(alice, dave):
    visit = requested_visit(alice)
    visiting.decline_visit(actor=alice.user, visit=visit, now=NOW)

    with pytest.raises(InvalidTransition):
        visiting.propose_visit_time(
            actor=alice.user, visit=fresh(visit), scheduled_at=TOMORROW_10, channel="phone", now=NOW
        )


# -- the outcome ----------------------------------------------------------------------------------


def test_a_completed_welcome_visit_keeps_the_checklist_needs_and_thanks_the_customer(alice, dave):
    visit = welcome_visit(alice, dave)

    completed(
        visit,
        dave,
        notes="Explained clause 4.1 with the example of a leaking pipe.",
        needs=["beneficiary_change", "beneficiary_change"],
    )

    visit = fresh(visit)
    assert visit.case.status == VisitStatus.COMPLETED
    assert (visit.outcome, visit.visited_at) == ("completed", NOW)
    assert visit.needs == ["beneficiary_change"]
    assert visit.checklist == ALL_EXPLAINED
    assert visit.case.clocks.get().state == "met"
    assert Message.objects.filter(recipient_customer=alice, subject__contains="Thank you").exists()


def test_a_welcome_visit_answers_every_point_of_its_checklist(alice, dave):
    visit = welcome_visit(alice, dave)

    with pytest.raises(ValidationFailed) as refused:
        completed(visit, dave, checklist={"policy_explained": True})

    assert refused.value.details["field"] == "checklist.exemptions_understood"


def test_an_exemption_clause_not_understood_becomes_a_need_to_explain_again(alice, dave):
    visit = welcome_visit(alice, dave)

    completed(visit, dave, checklist={**ALL_EXPLAINED, "exemptions_understood": False})

    assert fresh(visit).needs == [VisitNeed.EXPLAIN_AGAIN]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"visited_at": NOW + dt.timedelta(hours=1)}, "visited_at"),
        ({"visited_at": NOW - dt.timedelta(days=1)}, "visited_at"),
        ({"needs": ["a_pony"]}, "needs.0"),
        ({"outcome": "vanished"}, "outcome"),
        ({"notes": "x" * 4001}, "notes"),
    ],
)
def test_an_unreadable_outcome_names_the_field_and_writes_nothing(alice, dave, extra, field):
    visit = welcome_visit(alice, dave)

    with pytest.raises(ValidationFailed) as refused:
        completed(visit, dave, **extra)

    assert refused.value.details["field"] == field
    assert fresh(visit).case.status == VisitStatus.PLANNED


def test_three_times_unreachable_ends_the_visit_as_not_reached(alice, dave):
    visit = welcome_visit(alice, dave)
    visiting.schedule_visit(
        actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )

    for attempt in range(3):
        visiting.record_visit_outcome(
            actor=dave, visit=fresh(visit), outcome="unreachable", notes=f"call {attempt}", now=NOW
        )
        if attempt < 2:
            assert fresh(visit).case.status == VisitStatus.PLANNED

    visit = fresh(visit)
    assert (visit.case.status, visit.attempts) == (VisitStatus.NOT_REACHED, 3)
    assert events(visit)[-3:] == ["unreachable", "unreachable", "not_reached"]
    assert (
        Message.objects.filter(
            recipient_customer=alice, subject__contains="could not reach"
        ).count()
        == 4
    )  # portal + e-mail, twice


def test_rescheduled_at_the_door_moves_the_appointment(alice, dave):
    visit = welcome_visit(alice, dave)
    visiting.schedule_visit(
        actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )

    visiting.record_visit_outcome(
        actor=dave,
        visit=fresh(visit),
        outcome="rescheduled",
        scheduled_at=TOMORROW_10 + dt.timedelta(days=3),
        now=NOW,
    )

    visit = fresh(visit)
    assert visit.case.status == VisitStatus.SCHEDULED
    assert visit.scheduled_at == TOMORROW_10 + dt.timedelta(days=3)


# -- rating ---------------------------------------------------------------------------------------


def test_the_customer_rates_a_completed_visit_once(alice, dave):
    visit = welcome_visit(alice, dave)
    completed(visit, dave)

    visiting.rate_visit(actor=alice.user, visit=fresh(visit), rating=5, comment="Clear.", now=NOW)

    visit = fresh(visit)
    assert (visit.rating, visit.rating_comment, visit.rated_at) == (5, "Clear.", NOW)
    assert events(visit)[-1] == "rated"
    with pytest.raises(Conflict):
        visiting.rate_visit(actor=alice.user, visit=visit, rating=1, now=NOW)


@pytest.mark.parametrize("rating", [0, 6, True, "5"])
def test_a_rating_is_a_whole_number_from_one_to_five(alice, dave, rating):
    visit = welcome_visit(alice, dave)
    completed(visit, dave)

    with pytest.raises(ValidationFailed) as refused:
        visiting.rate_visit(actor=alice.user, visit=fresh(visit), rating=rating, now=NOW)

    assert refused.value.details["field"] == "rating"


def test_only_a_completed_visit_is_rated_and_only_by_its_customer(alice, mallory, dave):
    visit = welcome_visit(alice, dave)

    with pytest.raises(InvalidTransition):
        visiting.rate_visit(actor=alice.user, visit=visit, rating=4, now=NOW)
    completed(visit, dave)
    with pytest.raises(NotFound):
        visiting.rate_visit(actor=mallory.user, visit=fresh(visit), rating=4, now=NOW)


def test_a_low_rating_is_sent_to_the_agent_at_once(alice, dave):
    visit = welcome_visit(alice, dave)
    completed(visit, dave)

    visiting.rate_visit(actor=alice.user, visit=fresh(visit), rating=2, comment="Rushed.", now=NOW)

    assert Message.objects.get(recipient_user=dave, subject__contains="2/5").body == "Rushed."


# -- follow-ups -----------------------------------------------------------------------------------


def test_a_question_at_the_visit_becomes_a_consultation_on_the_policy_for_that_agent(alice, dave):
    visit = welcome_visit(alice, dave)
    completed(visit, dave, needs=["beneficiary_change"])

    follow_up = visiting.raise_follow_up(
        actor=dave,
        visit=fresh(visit),
        need="beneficiary_change",
        action="consultation",
        note="How do I change the shares between my spouse and my daughter?",
        now=NOW,
    )

    consultation = Consultation.objects.select_related("case").get(pk=follow_up.consultation_id)
    assert consultation.policy == visit.policy
    assert consultation.origin == "visit"
    assert consultation.case.status == "awaiting_agent"
    assert consultation.case.assignee == dave
    assert consultation.asker == alice  # she follows it in her portal
    raised = CaseEvent.objects.get(case=visit.case, kind="follow_up_raised")
    assert raised.visible_to_customer and raised.data["reference"] == consultation.case.reference


def test_a_wish_to_complain_is_recorded_for_the_complaint_handlers(alice, dave):
    visit = welcome_visit(alice, dave)
    completed(visit, dave, needs=["complaint"])

    follow_up = visiting.raise_follow_up(
        actor=dave,
        visit=fresh(visit),
        need="complaint",
        action="complaint",
        note="The premium notice came after the due date.",
        desired_outcome="An apology.",
        now=NOW,
    )

    complaint = Complaint.objects.select_related("case").get(pk=follow_up.complaint_id)
    assert (complaint.channel, complaint.related_case) == ("visit", visit.case)
    assert complaint.case.status == "acknowledged"  # its statutory process has begun
    assert complaint.case.assignee is None  # the complaint handlers' queue
    with pytest.raises(Conflict):
        visiting.raise_follow_up(
            actor=dave,
            visit=fresh(visit),
            need="complaint",
            action="complaint",
            note="Again.",
            desired_outcome="An apology.",
            now=NOW,
        )
    assert Complaint.objects.count() == 1


def test_a_task_is_due_in_a_week_and_done_once(alice, dave):
    visit = welcome_visit(alice, dave)
    completed(visit, dave, needs=["address_change"])

    task = visiting.raise_follow_up(
        actor=dave,
        visit=fresh(visit),
        need="address_change",
        action="task",
        note="New address: 5 Harbour Lane.",
        now=NOW,
    )
    visiting.complete_follow_up_task(actor=dave, follow_up=task, now=NOW)

    assert (task.due_on, task.assignee, task.done_at) == (TODAY + dt.timedelta(days=7), dave, NOW)
    assert not CaseEvent.objects.get(case=visit.case, kind="follow_up_raised").visible_to_customer
    with pytest.raises(Conflict):
        visiting.complete_follow_up_task(actor=dave, follow_up=task, now=NOW)


def test_a_follow_up_needs_a_completed_visit_and_a_need_found_there(alice, dave):
    visit = welcome_visit(alice, dave)
    with pytest.raises(InvalidTransition):
        visiting.raise_follow_up(
            actor=dave, visit=visit, need="quote", action="task", note="Quote.", now=NOW
        )
    completed(visit, dave, needs=["quote"])

    with pytest.raises(ValidationFailed) as refused:
        visiting.raise_follow_up(
            actor=dave, visit=fresh(visit), need="cover_gap", action="task", note="x", now=NOW
        )

    assert refused.value.details["field"] == "need"
    assert FollowUpAction.TASK == "task"


# -- the day-before reminder ----------------------------------------------------------------------


def test_the_customer_is_reminded_the_day_before_once_per_appointment(alice, dave):
    visit = welcome_visit(alice, dave)
    visiting.schedule_visit(
        actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )

    early = visiting.send_visit_reminders(now=NOW.replace(hour=8))
    assert early == {"reminded": 0}  # the day before, but not before 09:00
    assert visiting.send_visit_reminders(now=NOW) == {"reminded": 1}
    assert visiting.send_visit_reminders(now=NOW + dt.timedelta(hours=2)) == {"reminded": 0}

    reminders = Message.objects.filter(case=visit.case, subject__contains="tomorrow")
    assert {m.channel for m in reminders} == {"portal", "email", "sms"}
    assert fresh(visit).reminded_for == TOMORROW_10


def test_a_moved_appointment_is_reminded_of_again_and_not_before_nine(alice, dave):
    visit = welcome_visit(alice, dave)
    visiting.schedule_visit(
        actor=dave, visit=visit, scheduled_at=TOMORROW_10, channel="phone", now=NOW
    )
    visiting.send_visit_reminders(now=NOW)
    later = TOMORROW_10 + dt.timedelta(days=2)
    visiting.schedule_visit(
        actor=dave, visit=fresh(visit), scheduled_at=later, channel="phone", now=NOW
    )

    day_before = later - dt.timedelta(days=1)
    assert visiting.send_visit_reminders(now=day_before.replace(hour=8, minute=59)) == {
        "reminded": 0
    }
    assert visiting.send_visit_reminders(now=day_before.replace(hour=9)) == {"reminded": 1}


# -- the customer's language ----------------------------------------------------------------------


def test_a_cn_customer_who_reads_chinese_is_written_to_in_chinese(alice, mallory, dave):
    alice.language = "zh"
    alice.save(update_fields=["language"])
    hers = welcome_visit(alice, dave)
    policy = sold_policy(mallory, dave)  # Mallory reads English
    visiting.plan_visits(now=NOW)
    his = Visit.objects.get(policy=policy, purpose=VisitPurpose.WELCOME)
    for visit in (hers, his):
        visiting.schedule_visit(
            actor=dave, visit=fresh(visit), scheduled_at=TOMORROW_10, channel="phone", now=NOW
        )
    visiting.send_visit_reminders(now=NOW)

    def inbox(visit):
        return list(
            Message.objects.filter(case=visit.case, channel="portal")
            .order_by("id")
            .values_list("subject", "body")
        )

    planned, arranged, reminder = inbox(hers)
    assert planned[0] == f"{hers.reference}: 欢迎：我们希望上门拜访您"  # noqa: RUF001
    assert f"保单{hers.policy.number}" in planned[1] and "2026年3月" in planned[1]
    assert arranged[0].endswith("回访时间已确定") and "电话" in arranged[1]
    assert "2026-03-10 10:00" in arranged[1]  # the local time, written the same in both
    assert reminder[0].endswith("提醒：明天的回访")  # noqa: RUF001
    english = inbox(his)
    assert english[0][0].endswith("Welcome: we would like to visit you")
    assert english[1][1].startswith("Phone call with ")
    assert english[2][0].endswith("Reminder: your visit tomorrow")
