"""Refusing on an exemption clause: the CN-02 explanation evidence decides the warning."""

from datetime import timedelta

import pytest
from django.urls import reverse

from insuredesk.claims import services
from insuredesk.claims.tests.factories import NOW, fresh, report
from insuredesk.consultation.services.explanations import acknowledge_online
from insuredesk.errors import ValidationFailed

pytestmark = pytest.mark.django_db
LATER = NOW + timedelta(days=1)


def _explained(policy, *, at=NOW - timedelta(days=120)):
    """Alice read the guided explanation page and acknowledged exemption clause 4.1 online."""
    return acknowledge_online(
        actor=policy.policyholder.user,
        product_version=policy.product_version,
        acknowledged=["4.1"],
        now=at,
    )


def _refuse(claim, bob, **kwargs):
    return services.refuse_claim(
        claim=claim,
        ground="exclusion",
        reasons="The damage built up over years.",
        clauses=[{"number": "4.1", "how_it_applies": "Rot from a slow leak."}],
        actor=bob,
        now=LATER,
        **kwargs,
    )


def test_with_explanation_evidence_the_exemption_clause_refuses_without_warning_cn_02_il_17(
    policy, bob
):
    # Given Alice acknowledged exemption clause 4.1 when she bought the policy
    explanation = _explained(policy)
    claim = report(policy)
    # When Bob refuses citing 4.1 without confirming any warning
    assert services.refusal_warnings(claim=claim, clause_numbers=["4.1"]) == []
    refusal = _refuse(claim, bob)
    # Then no warning was needed and the evidence is kept with the refusal
    assert refusal.warnings == []
    cited = refusal.clauses[0]
    assert cited["exemption"] is True
    assert cited["evidence"][0]["explanation"] == str(explanation.public_id)
    assert cited["evidence"][0]["channel"] == "Online (guided explanation page)"
    assert cited["evidence"][0]["acknowledged_at"]
    assert fresh(claim).case.status == "refused"


def test_without_evidence_the_warning_must_be_confirmed_cn_02_il_17(policy, bob):
    claim = report(policy)
    with pytest.raises(ValidationFailed) as error:
        _refuse(claim, bob)
    assert error.value.code == "refusal_warnings"
    assert error.value.details["field"] == "confirm_warnings"
    assert error.value.details["warnings"] == [
        {"rule": "CN-02", "clause": "4.1", "message": error.value.details["warnings"][0]["message"]}
    ]
    assert fresh(claim).case.status == "reported"  # nothing written
    refusal = _refuse(fresh(claim), bob, confirm_warnings=True)
    assert refusal.warnings[0]["rule"] == "CN-02"
    assert refusal.clauses[0]["evidence"] == []


def test_evidence_for_another_customer_does_not_count_cn_02(policy, bob, mallory):
    # Mallory's acknowledgement of the same clause version is no evidence for Alice.
    from insuredesk.tests import factories

    other = factories.make_policy(mallory, policy.product_version, start=policy.start_date)
    _explained(other)
    claim = report(policy)
    assert [
        w["clause"] for w in services.refusal_warnings(claim=claim, clause_numbers=["4.1"])
    ] == ["4.1"]


def test_the_workspace_shows_the_evidence_beside_the_exemption_clause_cn_02(client, policy, bob):
    _explained(policy)
    claim = report(policy)
    client.force_login(bob)
    page = client.get(reverse("console:claim-detail", args=[claim.case.reference]))
    html = page.content.decode()
    assert "Explained online (guided explanation page) on" in html
    assert "No evidence this clause was marked" not in html


def test_the_workspace_warns_beside_an_unexplained_exemption_clause_cn_02(client, policy, bob):
    claim = report(policy)
    client.force_login(bob)
    page = client.get(reverse("console:claim-detail", args=[claim.case.reference]))
    assert "No evidence this clause was marked and explained" in page.content.decode()


def test_the_refusal_confirmation_shows_the_evidence_relied_on_cn_02(client, policy, bob):
    _explained(policy)
    claim = report(policy)
    client.force_login(bob)
    url = reverse("console:claim-action", args=[claim.case.reference, "refuse"])
    response = client.post(
        url,
        {
            "ground": "exclusion",
            "reasons": "Gradual leak over years.",
            "clause": ["4.1"],
            "how_4.1": "The rot built up slowly.",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Claim refused; the refusal notice was sent." in html
    assert "How it applies: The rot built up slowly." in html
    assert html.count("Explained online (guided explanation page) on") >= 2  # clause + refusal
    assert fresh(claim).case.status == "refused"
