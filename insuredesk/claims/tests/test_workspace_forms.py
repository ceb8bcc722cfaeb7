"""Workspace action forms: a turned-down action comes back as its form, open, with what Bob
typed and the message beside the field it is about — not as a banner, and nothing written."""

import re

import pytest

from insuredesk.notifications.models import Message
from insuredesk.tests.pages import field_html

pytestmark = pytest.mark.django_db


def _post(client, bob, claim, action, data):
    client.force_login(bob)
    return client.post(f"/console/claims/{claim.case.reference}/do/{action}/", data)


def test_refusal_without_reasons_shows_the_error_beside_the_reasons_and_writes_nothing_cn_22(
    client, bob, claim
):
    """Given Bob fills the refusal form but leaves the reasons empty, when he submits, then the
    workspace comes back (200) with the refusal form open, the error beside the reasons, his
    ground, clause and how-it-applies kept, and no refusal, notice or message written."""
    response = _post(
        client,
        bob,
        claim,
        "refuse",
        {
            "ground": "exclusion",
            "reasons": "  ",
            "clause": ["4.1"],
            "how_4.1": "Rot from a slow leak.",
            "confirm_warnings": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    reasons = field_html(page, "reasons")
    assert "has-error" in reasons and "Give the reasons for the refusal." in reasons
    assert '<details class="refuse" open>' in page
    assert '<option value="exclusion" selected>' in page
    assert 'name="clause" value="4.1" checked' in page
    assert 'value="Rot from a slow leak."' in page
    assert 'class="msg error"' not in page  # no banner
    claim.case.refresh_from_db()
    assert claim.case.status == "reported"
    assert not claim.refusals.exists()
    assert not Message.objects.filter(dedupe_key__startswith="claim-refusal").exists()


def test_a_clause_cited_without_saying_how_it_applies_is_flagged_beside_that_clause_cn_22(
    client, bob, claim
):
    response = _post(
        client,
        bob,
        claim,
        "refuse",
        {"ground": "exclusion", "reasons": "Gradual leak.", "clause": ["4.1"], "how_4.1": ""},
    )
    page = response.content.decode()
    cite = re.search(r'<div class="cite[^"]*has-error">.*?</div>', page, flags=re.DOTALL)
    assert response.status_code == 200 and cite
    assert 'value="4.1" checked' in cite.group(0)
    assert 'class="error"' in cite.group(0)


def test_unconfirmed_cn_02_warnings_are_listed_beside_the_confirmation_cn_02_il_17(
    client, bob, claim
):
    """Clause 4.1 was never explained to Alice: the warning must be read and confirmed."""
    response = _post(
        client,
        bob,
        claim,
        "refuse",
        {"ground": "exclusion", "reasons": "Gradual leak.", "clause": ["4.1"], "how_4.1": "Rot."},
    )
    page = response.content.decode()
    box = re.search(r'<div class="field-check has-error">.*?</div>', page, flags=re.DOTALL)
    assert response.status_code == 200 and box
    assert '<ul class="warnings"><li>' in box.group(0) and "4.1" in box.group(0)
    assert not claim.refusals.exists()


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_an_offer_of_nothing_shows_the_error_beside_the_amount(client, bob, assessed, amount):
    response = _post(client, bob, assessed, "offer", {"amount": amount, "note": "Final."})
    page = response.content.decode()
    assert response.status_code == 200
    field = field_html(page, "offer-amount")
    assert "has-error" in field and "must be more than zero" in field
    assert f'value="{amount}"' in field
    assert 'value="Final."' in field_html(page, "offer-note")
    assert not assessed.offers.exists()


def test_an_assessment_line_without_an_amount_is_flagged_on_that_line(client, bob, claim):
    response = _post(
        client,
        bob,
        claim,
        "assessment",
        {
            "item_description": ["Cabinets", "Floor", ""],
            "item_coverage": [claim.coverage.code] * 3,
            "item_amount": ["1200", "-1", ""],
            "item_excluded_by": ["", "", ""],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<p class="error" role="alert">Item 2: Amounts must be more than zero.</p>' in page
    assert 'value="Floor"' in page and 'value="1200"' in page
    assert not claim.assessments.exists()


def test_an_error_about_no_field_stays_at_the_top_of_its_form(client, bob, claim):
    """A reported claim cannot be closed yet (409): said at the top of the close form."""
    response = _post(client, bob, claim, "close", {"reason": "Tidy up"})
    page = response.content.decode()
    close = re.search(r'<form [^>]*id="close">.*?</form>', page, flags=re.DOTALL)
    assert response.status_code == 200 and close
    assert '<p class="form-error" role="alert">' in close.group(0)
    assert 'value="Tidy up"' in close.group(0)
    claim.case.refresh_from_db()
    assert claim.case.closed_at is None


def test_a_successful_action_still_redirects_to_the_workspace(client, bob, assessed):
    response = _post(client, bob, assessed, "offer", {"amount": "", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/console/claims/{assessed.case.reference}/"
    assert assessed.offers.count() == 1


def test_mallory_cannot_post_workspace_actions(client, mallory, claim):
    client.force_login(mallory.user)
    response = client.post(f"/console/claims/{claim.case.reference}/do/refuse/", {})
    assert response.status_code in (403, 404)
    assert not claim.refusals.exists()
