"""Clause explanation evidence (CN-01…CN-03): recorded once, acknowledged per exemption clause."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from insuredesk.consultation import services
from insuredesk.consultation.models import ClauseExplanation, ExplainedClause
from insuredesk.consultation.selectors import explanation_evidence
from insuredesk.errors import NotFound, NotPermitted, ValidationFailed
from insuredesk.tests.factories import make_policy, make_product

pytestmark = pytest.mark.django_db


def test_online_acknowledgement_records_every_clause_and_acknowledges_exemptions_cn_02(alice):
    version = make_product("home-shield")
    now = timezone.now()
    explanation = services.acknowledge_online(
        actor=alice.user, product_version=version, acknowledged=["4.1"], now=now
    )
    assert explanation.channel == "online"
    rows = {c.clause_number: c for c in explanation.clauses.all()}
    assert set(rows) == {"2.1", "4.1"}
    assert rows["4.1"].is_exemption and rows["4.1"].acknowledged_at == now
    assert rows["4.1"].acknowledged_by == alice.user
    assert "Damage that builds up slowly" in rows["4.1"].words
    assert rows["2.1"].acknowledged_at is None


def test_every_exemption_clause_must_be_acknowledged_or_nothing_is_recorded_cn_02(alice):
    version = make_product("home-shield")
    with pytest.raises(ValidationFailed) as raised:
        services.acknowledge_online(
            actor=alice.user, product_version=version, acknowledged=["2.1"], now=timezone.now()
        )
    assert raised.value.details["field"] == "acknowledged"
    assert raised.value.details["missing"] == ["4.1"]
    assert not ClauseExplanation.objects.exists()


def test_explanation_evidence_is_immutable_cn_03(alice):
    version = make_product("home-shield")
    explanation = services.acknowledge_online(
        actor=alice.user, product_version=version, acknowledged=["4.1"], now=timezone.now()
    )
    explanation.notes = "tampered"
    with pytest.raises(ValidationError):
        explanation.save()
    item = explanation.clauses.first()
    item.words = "something else"
    with pytest.raises(ValidationError):
        item.save()
    with pytest.raises(ValidationError):
        item.delete()
    with pytest.raises(ValidationError):
        explanation.delete()


def test_an_agent_records_an_explanation_by_phone_with_the_recording(alice, dave):
    version = make_product("home-shield")
    policy = make_policy(alice, version)
    now = timezone.now()
    recording = SimpleUploadedFile("call.mp3", b"ID3 fake audio", content_type="audio/mpeg")
    explanation = services.record_explanation(
        actor=dave,
        customer=alice,
        product_version=version,
        channel="phone",
        explained_at=now - dt.timedelta(hours=1),
        acknowledgement_method="recording",
        evidence_file=recording,
        now=now,
        clauses=["4.1"],
        policy=policy.number,
    )
    assert explanation.evidence_sha256 and explanation.evidence_file.name.endswith(".mp3")
    assert explanation.policy == policy
    evidence = explanation_evidence(alice, version.clauses.get(number="4.1"))
    assert [e.explanation for e in evidence] == [explanation]
    assert evidence[0].acknowledged_at == now - dt.timedelta(hours=1)


def test_an_agent_explanation_needs_the_signed_form_or_recording(alice, dave):
    version = make_product("home-shield")
    with pytest.raises(ValidationFailed) as raised:
        services.record_explanation(
            actor=dave,
            customer=alice,
            product_version=version,
            channel="in_person",
            explained_at=timezone.now(),
            acknowledgement_method="signed_form",
            evidence_file=None,
            now=timezone.now(),
        )
    assert raised.value.details["field"] == "evidence_file"


def test_a_customer_cannot_record_an_agents_explanation(alice):
    version = make_product("home-shield")
    with pytest.raises(NotPermitted):
        services.record_explanation(
            actor=alice.user,
            customer=alice,
            product_version=version,
            channel="phone",
            explained_at=timezone.now(),
            acknowledgement_method="recording",
            evidence_file=SimpleUploadedFile("a.mp3", b"x"),
            now=timezone.now(),
        )


def test_mallory_cannot_acknowledge_on_alices_policy(alice, mallory):
    version = make_product("home-shield")
    policy = make_policy(alice, version)
    with pytest.raises(NotFound):
        services.acknowledge_online(
            actor=mallory.user,
            product_version=version,
            acknowledged=["4.1"],
            policy=policy.number,
            now=timezone.now(),
        )
    assert not ExplainedClause.objects.exists()


def test_no_evidence_means_an_empty_list_for_the_claims_handler(alice, mallory):
    version = make_product("home-shield")
    services.acknowledge_online(
        actor=alice.user, product_version=version, acknowledged=["4.1"], now=timezone.now()
    )
    clause = version.clauses.get(number="4.1")
    assert len(explanation_evidence(alice, clause)) == 1
    assert explanation_evidence(mallory, clause) == []
