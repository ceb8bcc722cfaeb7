"""Application pages: Alice applies in the portal (a refusal shows beside its field and writes
nothing), follows her application and accepts the offer once the exemption clauses are
acknowledged (CN-02); Mallory gets 404; Ursula underwrites in the console, Dave may not; Dave
applies with Alice by phone and records the sale (CN-12); list pages stay within a query budget.
"""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from insuredesk.catalog.loading import load_demo_catalogue
from insuredesk.catalog.models import ProductVersion
from insuredesk.consultation.services import acknowledge_online
from insuredesk.customers.roles import Role
from insuredesk.documents.models import Letter
from insuredesk.policies.models import Policy
from insuredesk.rules.registry import get_profile
from insuredesk.sales import services
from insuredesk.sales.choices import ApplicationStatus, SalesChannel
from insuredesk.sales.models import Application
from insuredesk.sales.questions import questions_for
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db

TERM_LIFE = "harbour-term-life"


@pytest.fixture
def versions(db):
    load_demo_catalogue()
    return {v.product.code: v for v in ProductVersion.objects.select_related("product")}


@pytest.fixture
def ursula(db):
    return factories.make_user("ursula", Role.UNDERWRITER)


def today():
    return get_profile("CN").today(timezone.now())


def form_data(**overrides):
    """What Alice types on the term-life form: herself, 500,000 over 20 years, all "no"."""
    data = {
        "insured_name": "Alice Chen",
        "insured_date_of_birth": "1990-06-15",
        "sum_insured": "500000",
        "term_years": "20",
        "start_date": today().isoformat(),
        "premium_frequency": "annual",
    }
    data.update({f"answer_{q.code}": "no" for q in questions_for("term_life")})
    data.update(overrides)
    return data


def apply(actor, **overrides):
    answers = {q.code: {"answer": False} for q in questions_for("term_life")}
    answers.update(overrides.pop("yes", {}))
    arguments = {
        "actor": actor,
        "product": TERM_LIFE,
        "insured_name": "Alice Chen",
        "insured_date_of_birth": dt.date(1990, 6, 15),
        "sum_insured": "500000",
        "term_years": 20,
        "start_date": today(),
        "declarations": answers,
        "now": timezone.now(),
    }
    arguments.update(overrides)
    return services.submit_application(**arguments)


def referred(alice):
    """An application with a "yes" to one question: it waits for an underwriter."""
    return apply(
        alice.user, yes={"hospital_5y": {"answer": True, "details": "Appendix removed, 2023"}}
    )


def question_block(page: str, code: str) -> str:
    """The fieldset of one question on the application form."""
    match = re.search(rf'id="question-{code}">(.*?)</fieldset>', page, re.S)
    assert match, f"no question {code} on the page"
    return match.group(1)


def acknowledge(customer, version):
    numbers = [c.number for c in version.clauses.all()]
    acknowledge_online(
        actor=customer.user, product_version=version, acknowledged=numbers, now=timezone.now()
    )


# --- portal: applying --------------------------------------------------------------------------


def test_the_product_page_invites_a_signed_in_customer_to_apply(client, alice, versions):
    client.force_login(alice.user)

    page = client.get(reverse("portal:product", args=[TERM_LIFE])).content.decode()

    assert reverse("portal:apply", args=[TERM_LIFE]) in page


def test_alice_applies_through_the_form_with_a_clean_declaration_and_gets_an_offer(
    client, alice, versions
):
    client.force_login(alice.user)
    form = client.get(reverse("portal:apply", args=[TERM_LIFE])).content.decode()
    assert questions_for("term_life")[0].en in form
    assert 'value="Alice Chen"' in form  # she insures herself unless she says otherwise

    response = client.post(reverse("portal:apply", args=[TERM_LIFE]), form_data())

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:application", args=[application.reference])
    assert application.status == ApplicationStatus.OFFERED
    assert application.channel == SalesChannel.ONLINE
    assert application.declarations.filter(answer=False).count() == len(questions_for("term_life"))
    page = client.get(response["Location"]).content.decode()
    assert "Our offer" in page and "Accept and issue my policy" in page
    assert f"{application.offered_premium:,.2f}" in page
    assert "Please read these clauses first" in page
    assert reverse("portal:consultation-explain", args=[TERM_LIFE]) in page


def test_a_chinese_reader_is_asked_the_questions_in_chinese(client, db, versions):
    li = factories.make_customer("li", full_name="李雷")
    li.language = "zh"
    li.save()
    client.force_login(li.user)

    page = client.get(reverse("portal:apply", args=[TERM_LIFE])).content.decode()

    assert questions_for("term_life")[0].zh in page
    assert questions_for("term_life")[0].en not in page


def test_a_sum_insured_above_the_cover_is_shown_beside_the_field_and_nothing_is_written(
    client, alice, versions
):
    client.force_login(alice.user)

    response = client.post(
        reverse("portal:apply", args=[TERM_LIFE]), form_data(sum_insured="6000000")
    )

    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(r'id="id_sum_insured-error"[^>]*>([^<]*)<', page)
    assert error and "Death benefit covers 100,000 to 5,000,000 CNY" in error.group(1)
    assert not Application.objects.exists()


def test_alice_names_beneficiaries_and_their_shares_are_checked_beside_the_row(
    client, alice, versions
):
    client.force_login(alice.user)
    url = reverse("portal:apply", args=[TERM_LIFE])
    people = {
        "beneficiary_0_name": "Chen Hao",
        "beneficiary_0_relation": "spouse",
        "beneficiary_0_share": "60",
        "beneficiary_2_name": "Chen Lily",  # the second row left empty
        "beneficiary_2_relation": "child",
        "beneficiary_2_share": "30",
    }

    short = client.post(url, form_data(**people))

    assert short.status_code == 200
    error = re.search(r'id="id_beneficiary_0_share-error"[^>]*>([^<]*)<', short.content.decode())
    assert error and "add up to 100%" in error.group(1)
    assert not Application.objects.exists()
    client.post(url, form_data(**{**people, "beneficiary_2_share": "40"}))

    application = Application.objects.get()
    assert application.beneficiaries == [
        {"full_name": "Chen Hao", "relation": "spouse", "share_percent": "60"},
        {"full_name": "Chen Lily", "relation": "child", "share_percent": "40"},
    ]
    acknowledge(alice, application.product_version)
    client.post(reverse("portal:application-accept", args=[application.reference]))
    application.refresh_from_db()
    named = application.policy.beneficiaries.order_by("share_percent")
    assert [(b.full_name, b.share_percent) for b in named] == [
        ("Chen Lily", Decimal("40.00")),
        ("Chen Hao", Decimal("60.00")),
    ]


def test_home_cover_names_no_beneficiaries(client, mallory, versions):
    client.force_login(mallory.user)

    page = client.get(reverse("portal:apply", args=["harbour-home"])).content.decode()

    assert "beneficiary_0_name" not in page


def test_a_yes_without_details_is_shown_beside_that_question(client, alice, versions):
    client.force_login(alice.user)

    response = client.post(
        reverse("portal:apply", args=[TERM_LIFE]), form_data(answer_smoker="yes")
    )

    page = response.content.decode()
    assert "Tell us more about this" in question_block(page, "smoker")
    assert "Tell us more about this" not in question_block(page, "hospital_5y")
    assert 'value="yes" checked' in question_block(page, "smoker")  # what she typed is kept
    assert not Application.objects.exists()


def test_an_unanswered_question_is_shown_beside_it(client, alice, versions):
    client.force_login(alice.user)
    data = form_data()
    del data["answer_pending_tests"]

    response = client.post(reverse("portal:apply", args=[TERM_LIFE]), data)

    assert "Answer yes or no" in question_block(response.content.decode(), "pending_tests")
    assert not Application.objects.exists()


def test_a_motor_application_asks_for_the_vehicle_and_shows_a_missing_value_beside_it(
    client, alice, versions
):
    client.force_login(alice.user)
    url = reverse("portal:apply", args=["harbour-motor"])
    data = {
        "insured_name": "Alice Chen",
        "sum_insured": "150000",
        "term_years": "1",
        "start_date": today().isoformat(),
        "premium_frequency": "annual",
        "rating_driver_age": "40",
        "rating_claim_free_years": "3",
        **{f"answer_{q.code}": "no" for q in questions_for("motor")},
    }

    missing = client.post(url, data).content.decode()
    client.post(url, {**data, "rating_vehicle_value": "180000"})

    error = re.search(r'id="id_rating_vehicle_value-error"[^>]*>([^<]*)<', missing)
    assert error and "vehicle_value is needed" in error.group(1)
    application = Application.objects.get()
    assert application.status == ApplicationStatus.OFFERED
    assert application.rating_inputs == {
        "vehicle_value": "180000",
        "driver_age": 40,
        "claim_free_years": 3,
    }


def test_a_link_from_a_risk_plan_fills_in_the_cover_but_never_an_answer(client, alice, versions):
    client.force_login(alice.user)
    link = (
        reverse("portal:apply", args=["harbour-home"])
        + "?sum_insured=3200000.00&term_years=1&rating_building_value=3000000"
        + "&rating_construction=reinforced_concrete&answer_flood_3y=yes"
    )

    page = client.get(link).content.decode()

    assert 'name="sum_insured" value="3200000.00"' in page
    assert 'name="rating_building_value" value="3000000"' in page
    assert '<option value="reinforced_concrete" selected>' in page
    assert 'value="yes" checked' not in question_block(page, "flood_3y")  # CN-04: hers to give


def test_staff_do_not_apply_through_the_portal(client, dave, versions):
    client.force_login(dave)

    assert client.get(reverse("portal:apply", args=[TERM_LIFE])).status_code == 403


# --- portal: the application page ------------------------------------------------------------


def test_mallory_gets_404_for_alices_application_and_its_actions(client, alice, mallory, versions):
    application = apply(alice.user)
    client.force_login(mallory.user)

    for name in ("portal:application", "portal:application-accept", "portal:application-withdraw"):
        url = reverse(name, args=[application.reference])
        response = client.post(url) if name != "portal:application" else client.get(url)
        assert response.status_code == 404, name
    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.OFFERED


def test_accepting_before_the_exemption_clauses_are_acknowledged_shows_the_cn_02_message(
    client, alice, versions
):
    application = apply(alice.user)
    missing = [c.number for c in services.unacknowledged_exemptions(application)]
    client.force_login(alice.user)

    response = client.post(
        reverse("portal:application-accept", args=[application.reference]), follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "portal:application", args=[application.reference]
    )
    message = next(str(m) for m in response.context["messages"])
    assert "(CN-02)" in message and ", ".join(missing) in message
    assert not Policy.objects.exists()


def test_accepting_after_acknowledging_online_issues_the_policy_and_lands_on_it(
    client, alice, versions
):
    application = apply(alice.user)
    acknowledge(alice, application.product_version)
    client.force_login(alice.user)
    page = client.get(reverse("portal:application", args=[application.reference]))
    assert "Please read these clauses first" not in page.content.decode()

    response = client.post(reverse("portal:application-accept", args=[application.reference]))

    policy = Policy.objects.get()
    assert response["Location"] == reverse("portal:policy", args=[policy.number])
    assert policy.policyholder == alice and policy.premium == application.offered_premium
    page = client.get(reverse("portal:application", args=[application.reference]))
    assert reverse("portal:policy", args=[policy.number]) in page.content.decode()
    assert "Accept and issue my policy" not in page.content.decode()


def a_newer_version_on_sale(version):
    """The same product re-issued from today: its clauses copied, with new wording."""
    clauses = list(version.clauses.all())
    newer = ProductVersion.objects.get(pk=version.pk)
    newer.pk = None
    newer.version = version.version + 1
    newer.effective_from = timezone.localdate()
    newer.save()
    for clause in clauses:
        clause.pk = None
        clause.product_version = newer
        clause.coverage = None
        clause.text += " (reworded)"
        clause.save()
    return newer


def test_the_clauses_link_explains_the_version_applied_for_even_after_a_newer_one_cn_02(
    client, alice, versions
):
    application = apply(alice.user)
    applied = application.product_version
    newer = a_newer_version_on_sale(applied)
    explain = reverse("portal:consultation-explain", args=[TERM_LIFE])
    link = f"{explain}?application={application.reference}"
    client.force_login(alice.user)
    page = client.get(reverse("portal:application", args=[application.reference]))
    assert link in page.content.decode()

    assert client.get(link).context["version"] == applied
    assert client.get(explain).context["version"] == newer
    exemptions = [c.number for c in applied.clauses.all() if c.is_exemption]
    response = client.post(link, {"acknowledged": exemptions})

    assert response["Location"] == reverse("portal:application", args=[application.reference])
    assert services.unacknowledged_exemptions(application) == []


def test_mallory_cannot_open_the_clauses_of_alices_application(client, alice, mallory, versions):
    application = apply(alice.user)
    client.force_login(mallory.user)
    explain = reverse("portal:consultation-explain", args=[TERM_LIFE])

    response = client.get(f"{explain}?application={application.reference}")

    assert response.status_code == 404


def test_alice_withdraws_her_application(client, alice, versions):
    application = apply(alice.user)
    client.force_login(alice.user)

    response = client.post(
        reverse("portal:application-withdraw", args=[application.reference]),
        {"reason": "Not now"},
        follow=True,
    )

    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "You withdrew this application" in response.content.decode()


def test_alice_is_invited_to_the_free_exam_on_her_application_page(client, alice, ursula, versions):
    application = referred(alice)
    client.force_login(ursula)
    client.post(
        reverse("console:application-exam", args=[application.reference]),
        {"reason": "Recent surgery", "tests": "Blood panel, ECG", "clinic": "Ruijin Clinic"},
    )
    client.force_login(alice.user)

    page = client.get(reverse("portal:application", args=[application.reference])).content

    assert b"Ruijin Clinic" in page and b"Blood panel, ECG" in page
    assert b"It is free: we pay the clinic." in page


# --- console -----------------------------------------------------------------------------------


def test_ursula_sees_why_it_was_referred_and_declines_and_the_letter_is_linked(
    client, alice, ursula, versions
):
    application = referred(alice)
    url = reverse("console:application", args=[application.reference])
    client.force_login(ursula)
    page = client.get(url).content.decode()
    assert "Appendix removed, 2023" in page and "Why the rules referred it" in page
    assert "Decide the application" in page and "SVC-02" in page  # the decision clock
    assert application.case.accesses.filter(user=ursula).exists()

    response = client.post(
        reverse("console:application-decide", args=[application.reference]),
        {"decision": "declined", "reasons": "Outside our guidelines after recent surgery."},
    )

    assert response["Location"] == url
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    letter = Letter.objects.get(pk=application.letter_id)
    assert letter.kind == "application_decision"
    assert (
        reverse("console:letter-pdf", args=[letter.public_id]) in client.get(url).content.decode()
    )
    client.force_login(alice.user)
    portal = client.get(reverse("portal:application", args=[application.reference])).content
    assert reverse("portal:letter-pdf", args=[letter.public_id]).encode() in portal


def test_a_decline_without_reasons_is_shown_beside_the_reasons(client, alice, ursula, versions):
    application = referred(alice)
    client.force_login(ursula)

    response = client.post(
        reverse("console:application-decide", args=[application.reference]),
        {"decision": "declined", "reasons": ""},
    )

    assert response.status_code == 200
    error = re.search(r'id="id_reasons-error"[^>]*>([^<]*)<', response.content.decode())
    assert error and "Give the reasons" in error.group(1)
    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.REFERRED


def test_ursula_loads_the_offer_after_the_exam_result(client, alice, ursula, versions):
    application = referred(alice)
    client.force_login(ursula)
    client.post(
        reverse("console:application-exam", args=[application.reference]),
        {"reason": "Recent surgery", "tests": "Blood panel", "clinic": "Ruijin Clinic"},
    )
    exam = application.exams.get()

    client.post(
        reverse("console:application-exam-result", args=[application.reference, exam.public_id]),
        {"summary": "Mild hypertension", "cost": "380"},
    )
    client.post(
        reverse("console:application-decide", args=[application.reference]),
        {"decision": "loaded", "loading_percent": "50", "reasons": "Mild hypertension."},
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFERED and application.loading_percent == 50
    page = client.get(reverse("console:application", args=[application.reference])).content
    assert b"Mild hypertension" in page and b"50% above our standard terms" in page


def test_dave_the_agent_is_refused_on_the_decide_form(client, alice, dave, versions):
    application = referred(alice)
    client.force_login(dave)
    page = client.get(reverse("console:application", args=[application.reference])).content
    assert b"Record the decision" not in page

    response = client.post(
        reverse("console:application-decide", args=[application.reference]),
        {"decision": "standard", "reasons": ""},
    )

    assert response.status_code == 403
    application.case.refresh_from_db()
    assert application.status == ApplicationStatus.REFERRED


def test_customers_cannot_open_the_console_application(client, alice, versions):
    application = apply(alice.user)
    client.force_login(alice.user)

    url = reverse("console:application", args=[application.reference])
    assert client.get(url).status_code == 403


def test_dave_applies_with_alice_by_phone_and_records_the_sale_cn_12(client, alice, dave, versions):
    client.force_login(dave)
    customer_page = client.get(reverse("console:customer", args=[alice.number])).content.decode()
    assert reverse("console:customer-applications", args=[alice.number]) in customer_page
    choices = client.get(reverse("console:customer-applications", args=[alice.number]))
    apply_url = reverse("console:apply", args=[alice.number, TERM_LIFE])
    assert apply_url in choices.content.decode()

    response = client.post(apply_url, form_data(channel="phone"))

    application = Application.objects.get()
    url = reverse("console:application", args=[application.reference])
    assert response["Location"] == url
    assert application.applicant == alice and application.agent == dave
    assert application.channel == SalesChannel.PHONE
    assert "Recording of the sale (CN-12)" in client.get(url).content.decode()
    recording = reverse("console:application-recording", args=[application.reference])
    refused = client.post(recording, {"recording": SimpleUploadedFile("call.mp3", b"ID3...")})
    assert "Record only with the applicant's consent" in html.unescape(refused.content.decode())
    assert not Application.objects.get().recording_sha256

    client.post(
        recording, {"recording": SimpleUploadedFile("call.mp3", b"ID3..."), "consent": "on"}
    )

    application.refresh_from_db()
    assert application.recording_sha256 and application.recording_consent


def test_dave_accepts_for_alice_only_once_the_clauses_are_acknowledged(
    client, alice, dave, versions
):
    application = apply(dave, applicant=alice, channel="in_person")
    client.force_login(dave)
    accept = reverse("console:application-accept", args=[application.reference])

    refused = client.post(accept, follow=True)

    assert "(CN-02)" in next(str(m) for m in refused.context["messages"])
    acknowledge(alice, application.product_version)
    client.post(accept)
    policy = Policy.objects.get()
    page = client.get(reverse("console:application", args=[application.reference])).content
    assert reverse("console:policy", args=[policy.number]).encode() in page


def test_a_claims_handler_cannot_apply_for_a_customer(client, alice, bob, versions):
    client.force_login(bob)

    url = reverse("console:apply", args=[alice.number, TERM_LIFE])
    assert client.get(url).status_code == 403


# --- list pages --------------------------------------------------------------------------------


def test_my_applications_lists_within_a_query_budget(
    client, alice, mallory, versions, django_assert_max_num_queries
):
    mine = [apply(alice.user), referred(alice)]
    theirs = apply(mallory.user, insured_name="Mallory Stone")
    client.force_login(alice.user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:applications"))

    page = response.content.decode()
    assert all(a.reference in page for a in mine)
    assert theirs.reference not in page


def test_the_console_list_puts_referred_first_and_filters_by_status(
    client, alice, ursula, versions, django_assert_max_num_queries
):
    offered = apply(alice.user)
    waiting = referred(alice)
    client.force_login(ursula)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("console:applications")).content.decode()
    assert page.index(waiting.reference) < page.index(offered.reference)

    only = client.get(reverse("console:applications"), {"status": "offered"}).content.decode()
    assert offered.reference in only and waiting.reference not in only
