"""Consultation services against the database: ask, route, answer, follow up, rate, promote."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from insuredesk.casework.models import CaseEvent
from insuredesk.consultation import services
from insuredesk.consultation.choices import ArticleStatus, ConsultationStatus, SourceRole
from insuredesk.consultation.models import Consultation, ConsultationMessage, MessageSource
from insuredesk.consultation.tests.factories import make_knowledge_base
from insuredesk.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from insuredesk.notifications.models import Message
from insuredesk.tests.factories import make_policy, make_product

pytestmark = pytest.mark.django_db


def test_a_confident_answer_is_shown_at_once_marked_automatic_with_its_source(alice):
    make_knowledge_base()
    asked = services.ask_question(
        actor=alice.user,
        question="I bought a policy last week, can I still cancel it?",
        now=timezone.now(),
    )
    consultation = asked.consultation
    assert consultation.case.status == ConsultationStatus.ANSWERED
    answer = consultation.messages.get(kind="answer")
    assert answer.automatic and answer.confidence >= 0.6
    cited = answer.sources.get(role=SourceRole.CITED)
    assert cited.article.external_id == "cooling-off"
    assert asked.guest_key == ""


def test_a_question_the_engine_cannot_answer_waits_for_an_agent_with_suggestions(alice):
    make_knowledge_base()
    asked = services.ask_question(
        actor=alice.user, question="Do you sponsor the local football club?", now=timezone.now()
    )
    consultation = asked.consultation
    assert consultation.case.status == ConsultationStatus.AWAITING_AGENT
    assert not consultation.messages.filter(kind="answer").exists()
    question = consultation.messages.get(kind="question")
    assert question.sources.filter(role=SourceRole.SUGGESTED).count() >= 1


def test_asking_for_a_person_skips_the_automatic_answer(alice):
    make_knowledge_base()
    asked = services.ask_question(
        actor=alice.user,
        question="Can I cancel my policy after buying it?",
        ask_person=True,
        now=timezone.now(),
    )
    assert asked.consultation.case.status == ConsultationStatus.AWAITING_AGENT
    assert asked.consultation.wants_person


def test_an_anonymous_prospect_asks_a_general_question_with_name_and_email(db):
    make_knowledge_base()
    asked = services.ask_question(
        actor=AnonymousUser(),
        question="How do I report a claim?",
        name="Pat Prospect",
        email="Pat@Example.com",
        now=timezone.now(),
    )
    consultation = asked.consultation
    assert consultation.asker.user is None
    assert consultation.asker.email == "pat@example.com"
    assert asked.guest_key
    again = services.ask_question(
        actor=AnonymousUser(),
        question="What if I pay late?",
        name="Pat Prospect",
        email="pat@example.com",
        now=timezone.now(),
    )
    assert again.consultation.asker_id == consultation.asker_id


def test_an_anonymous_question_needs_a_valid_email(db):
    with pytest.raises(ValidationFailed) as raised:
        services.ask_question(
            actor=AnonymousUser(),
            question="Hello?",
            name="Pat",
            email="not-an-address",
            now=timezone.now(),
        )
    assert raised.value.details["field"] == "email"
    assert not Consultation.objects.exists()


def test_an_anonymous_prospect_never_joins_a_customer_account_by_email(alice):
    asked = services.ask_question(
        actor=AnonymousUser(),
        question="Anything?",
        name="Someone",
        email=alice.email,
        now=timezone.now(),
    )
    assert asked.consultation.asker_id != alice.pk


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001])
def test_empty_or_oversized_questions_are_refused(alice, question):
    with pytest.raises(ValidationFailed) as raised:
        services.ask_question(actor=alice.user, question=question, now=timezone.now())
    assert raised.value.details["field"] == "question"
    assert not Consultation.objects.exists()


def test_an_unknown_product_is_refused_by_name(alice):
    with pytest.raises(ValidationFailed) as raised:
        services.ask_question(
            actor=alice.user, question="Is it good?", product="no-such", now=timezone.now()
        )
    assert raised.value.details["field"] == "product"


def test_mallory_asking_about_alices_policy_gets_not_found(alice, mallory, alice_policy):
    with pytest.raises(NotFound):
        services.ask_question(
            actor=mallory.user,
            question="What does it cover?",
            policy=alice_policy.number,
            now=timezone.now(),
        )
    assert not Consultation.objects.exists()


def test_a_guest_cannot_ask_about_any_policy(alice_policy):
    with pytest.raises(NotFound):
        services.ask_question(
            actor=AnonymousUser(),
            question="What does it cover?",
            policy=alice_policy.number,
            name="X",
            email="x@example.com",
            now=timezone.now(),
        )


def test_a_question_about_her_policy_cites_the_clauses_of_its_product(alice):
    version = make_product("home-shield")
    policy = make_policy(alice, version)
    other = make_product("other-home")
    asked = services.ask_question(
        actor=alice.user,
        question="Is wear and tear or gradual deterioration covered?",
        policy=policy.number,
        now=timezone.now(),
    )
    consultation = asked.consultation
    assert consultation.product == version.product
    refs = set(
        MessageSource.objects.filter(message__consultation=consultation).values_list(
            "ref", flat=True
        )
    )
    assert "clause:home-shield:1:4.1" in refs
    assert not any(r.startswith(f"clause:{other.product.code}:") for r in refs)


def test_an_agent_answers_citing_sources_and_the_customer_is_told(alice, dave):
    make_knowledge_base()
    consultation = services.ask_question(
        actor=alice.user, question="Do you sponsor the local football club?", now=timezone.now()
    ).consultation
    answer = services.answer_consultation(
        consultation=consultation,
        actor=dave,
        body="No, but see how to claim.",
        sources=["claim-how"],
        now=timezone.now(),
    )
    consultation.case.refresh_from_db()
    assert consultation.case.status == ConsultationStatus.ANSWERED
    assert not answer.automatic
    assert [s.article.external_id for s in answer.sources.all()] == ["claim-how"]
    assert Message.objects.filter(recipient_customer=alice, case=consultation.case).exists()
    assert CaseEvent.objects.filter(case=consultation.case, kind="answered").exists()


def test_an_agent_cannot_cite_an_unknown_source(alice, dave):
    consultation = services.ask_question(
        actor=alice.user, question="Something odd?", ask_person=True, now=timezone.now()
    ).consultation
    with pytest.raises(ValidationFailed) as raised:
        services.answer_consultation(
            consultation=consultation, actor=dave, body="Hi", sources=["nope"], now=timezone.now()
        )
    assert raised.value.details["field"] == "sources"
    assert not ConsultationMessage.objects.filter(kind="answer").exists()


def test_a_customer_cannot_answer_as_an_agent(alice):
    consultation = services.ask_question(
        actor=alice.user, question="Something odd?", ask_person=True, now=timezone.now()
    ).consultation
    with pytest.raises(NotPermitted):
        services.answer_consultation(
            consultation=consultation, actor=alice.user, body="Hi", now=timezone.now()
        )


def test_a_follow_up_the_engine_cannot_answer_reopens_the_queue(alice):
    make_knowledge_base()
    consultation = services.ask_question(
        actor=alice.user, question="Can I cancel my policy after buying it?", now=timezone.now()
    ).consultation
    services.follow_up(
        consultation=consultation,
        actor=alice.user,
        question="And do you sponsor football clubs?",
        now=timezone.now(),
    )
    consultation.case.refresh_from_db()
    assert consultation.case.status == ConsultationStatus.AWAITING_AGENT
    assert consultation.messages.filter(kind="question").count() == 2


def test_mallory_cannot_follow_up_or_rate_alices_consultation(alice, mallory):
    make_knowledge_base()
    consultation = services.ask_question(
        actor=alice.user, question="Can I cancel my policy after buying it?", now=timezone.now()
    ).consultation
    with pytest.raises(NotFound):
        services.follow_up(
            consultation=consultation, actor=mallory.user, question="Hi", now=timezone.now()
        )
    answer = consultation.messages.get(kind="answer")
    with pytest.raises(NotFound):
        services.rate_answer(message=answer, actor=mallory.user, rating=1, now=timezone.now())


def test_the_customer_rates_an_answer_from_one_to_five(alice):
    make_knowledge_base()
    consultation = services.ask_question(
        actor=alice.user, question="Can I cancel my policy after buying it?", now=timezone.now()
    ).consultation
    answer = consultation.messages.get(kind="answer")
    with pytest.raises(ValidationFailed):
        services.rate_answer(message=answer, actor=alice.user, rating=6, now=timezone.now())
    services.rate_answer(message=answer, actor=alice.user, rating=5, now=timezone.now())
    answer.refresh_from_db()
    assert answer.rating == 5


def test_an_agents_answer_is_promoted_to_a_draft_article_for_review(alice, dave, carol):
    consultation = services.ask_question(
        actor=alice.user, question="Do you insure bicycles?", ask_person=True, now=timezone.now()
    ).consultation
    answer = services.answer_consultation(
        consultation=consultation, actor=dave, body="Under home contents, yes.", now=timezone.now()
    )
    article = services.promote_answer(message=answer, actor=dave, now=timezone.now())
    assert article.status == ArticleStatus.DRAFT
    assert article.question == "Do you insure bicycles?"
    assert article.history.count() == 1
    with pytest.raises(NotPermitted):
        services.review_article(article=article, actor=dave, now=timezone.now())
    services.review_article(article=article, actor=carol, now=timezone.now())
    services.publish_article(article=article, actor=carol, now=timezone.now())
    assert article.status == ArticleStatus.PUBLISHED
    with pytest.raises(InvalidTransition):
        services.promote_answer(message=answer, actor=dave, now=timezone.now())


def test_a_closed_consultation_takes_no_follow_up(alice):
    consultation = services.ask_question(
        actor=alice.user, question="Anything?", ask_person=True, now=timezone.now()
    ).consultation
    services.close_consultation(consultation=consultation, actor=alice.user, now=timezone.now())
    with pytest.raises(InvalidTransition):
        services.follow_up(
            consultation=consultation, actor=alice.user, question="Hello?", now=timezone.now()
        )
