"""Portal and console pages: wiring, ownership, query counts on lists."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from insuredesk.consultation import services
from insuredesk.consultation.models import ClauseExplanation, KnowledgeArticle
from insuredesk.consultation.tests.factories import make_knowledge_base, make_lecture
from insuredesk.tests.factories import PASSWORD, make_product

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_alice_asks_in_the_portal_and_sees_the_cited_answer(client, alice):
    make_knowledge_base()
    _login(client, alice.user)
    response = client.post(
        reverse("portal:consultation-ask"),
        {"question": "Can I cancel my policy after buying it?", "language": "en"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"automatic answer" in page.content and b"cooling-off period" in page.content


def test_a_guest_asks_in_the_portal_with_name_and_email(client):
    response = client.post(
        reverse("portal:consultation-ask"),
        {
            "question": "Do you sponsor football?",
            "language": "en",
            "name": "Pat",
            "email": "pat@example.com",
        },
    )
    assert response.status_code == 200 and b"An agent will answer you" in response.content


def test_mallory_gets_404_on_alices_thread(client, alice, mallory):
    asked = services.ask_question(
        actor=alice.user, question="Anything?", ask_person=True, now=timezone.now()
    )
    _login(client, mallory.user)
    url = reverse("portal:consultation-detail", args=[asked.consultation.case.reference])
    assert client.get(url).status_code == 404


def test_my_questions_list_has_bounded_queries(client, alice, django_assert_max_num_queries):
    for n in range(3):
        services.ask_question(
            actor=alice.user, question=f"Q {n}?", ask_person=True, now=timezone.now()
        )
    _login(client, alice.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:consultation-list"))
    assert response.status_code == 200 and response.content.count(b"CON-") >= 3


def test_the_agent_answers_from_the_workspace_citing_a_suggestion(client, alice, dave):
    make_knowledge_base()
    asked = services.ask_question(
        actor=alice.user,
        question="How do I report a claim quickly?",
        ask_person=True,
        now=timezone.now(),
    )
    reference = asked.consultation.case.reference
    _login(client, dave)
    queue = client.get(reverse("console:consultation-queue"))
    assert reference.encode() in queue.content
    url = reverse("console:consultation-detail", args=[reference])
    assert b"Engine suggestions" in client.get(url).content
    response = client.post(
        url, {"body": "Report it in the portal.", "cite": ["claim-how"], "sources": ""}
    )
    assert response.status_code == 302
    asked.consultation.case.refresh_from_db()
    assert asked.consultation.case.status == "answered"


def test_a_customer_cannot_open_the_console_workspace(client, alice):
    asked = services.ask_question(
        actor=alice.user, question="Anything?", ask_person=True, now=timezone.now()
    )
    _login(client, alice.user)
    url = reverse("console:consultation-detail", args=[asked.consultation.case.reference])
    assert client.get(url).status_code == 403


def test_the_guided_explanation_page_records_the_acknowledgement_cn_02(client, alice):
    make_product("home-shield")
    _login(client, alice.user)
    url = reverse("portal:consultation-explain", args=["home-shield"])
    page = client.get(url)
    assert b"Exemption clause" in page.content and b"I have read and understood" in page.content
    refused = client.post(url, {})
    assert refused.status_code == 200 and not ClauseExplanation.objects.exists()
    done = client.post(url, {"acknowledged": ["4.1"]})
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200


def test_the_agent_records_a_signed_explanation_on_the_customer_page(client, alice, dave):
    version = make_product("home-shield")
    _login(client, dave)
    url = reverse("console:consultation-customer-explanations", args=[alice.number])
    response = client.post(
        url,
        {
            "product_version": version.pk,
            "channel": "in_person",
            "explained_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "acknowledgement_method": "signed_form",
            "clauses": "4.1",
            "evidence_file": SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed"),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    page = client.get(url)
    assert b"In person" in page.content


def test_the_admin_style_import_form_reports_bad_lines_and_imports_nothing(client, dave):
    _login(client, dave)
    bad = SimpleUploadedFile("kb.csv", b"id,question,answer,language,tags\n,Q,A,en,\n")
    response = client.post(
        reverse("console:consultation-import"), {"file": bad, "status": "published"}, follow=True
    )
    assert b"line 2" in response.content and not KnowledgeArticle.objects.exists()


def test_kb_console_list_has_bounded_queries(client, dave, django_assert_max_num_queries):
    make_knowledge_base()
    _login(client, dave)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("console:consultation-articles"))
    assert response.status_code == 200 and b"cooling-off" in response.content


def test_lectures_book_in_the_portal_and_attend_in_the_console(
    client, alice, dave, django_assert_max_num_queries
):
    lecture = make_lecture(capacity=3)
    _login(client, alice.user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("portal:consultation-lectures"))
    assert b"Book a seat" in page.content
    client.post(
        reverse("portal:consultation-lecture-register", args=[lecture.public_id]),
        {"wants_follow_up": "1"},
    )
    assert lecture.registrations.get().status == "registered"
    _login(client, dave)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("console:consultation-lectures")).status_code == 200
    assert (
        client.get(reverse("console:consultation-lecture", args=[lecture.public_id])).status_code
        == 200
    )


def test_the_admin_import_lists_bad_lines_and_a_clean_file_imports(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client.login(username="root", password=PASSWORD)
    url = reverse("admin:consultation_knowledgearticle_import")
    bad = SimpleUploadedFile("kb.jsonl", b'{"id": "a", "answer": "A", "language": "xx"}\n')
    response = client.post(url, {"file": bad, "status": "published"})
    assert b"line 1" in response.content and not KnowledgeArticle.objects.exists()
    good = SimpleUploadedFile(
        "kb.jsonl", b'{"id": "a", "question": "Q?", "answer": "A", "language": "en"}\n'
    )
    assert client.post(url, {"file": good, "status": "published"}).status_code == 302
    assert KnowledgeArticle.objects.get().external_id == "a"
