"""Issuing letters (documents): a real PDF, stored with its checksum, never changed afterwards."""

import hashlib
import re
import shutil
import subprocess

import pytest
from django.db import transaction

from insuredesk.casework.services import transition
from insuredesk.documents.models import Letter, LetterImmutable
from insuredesk.documents.services import correct_letter, issue_letter, render_letter_html
from insuredesk.documents.tests.factories import NOW, make_case, make_letter
from insuredesk.errors import Conflict, DomainError


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF if pypdf or pdftotext is at hand (neither is a dependency)."""
    try:
        import io

        import pypdf
    except ImportError:
        pass
    else:
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        return out.stdout.decode()
    return None


def test_an_issued_letter_is_a_pdf_whose_checksum_matches_the_stored_file(alice, bob):
    case = make_case(alice)
    letter = make_letter(alice, case=case, actor=bob, paragraphs=["Your claim is accepted."])

    data = letter.file.read()
    assert data.startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.size == len(data)
    assert letter.file.name == f"letters/2026/{letter.public_id}.pdf"
    assert (letter.case, letter.customer, letter.issued_by) == (case, alice, bob)
    assert (letter.jurisdiction, letter.language) == ("CN", "en")
    assert letter.context == {"paragraphs": ["Your claim is accepted."]}
    text = pdf_text(data)
    if text is not None:
        assert "Your claim is accepted." in text
        assert case.reference in text


def test_the_template_name_and_version_are_recorded(alice):
    letter = make_letter(alice)
    source = (
        Letter._meta.apps.get_app_config("documents").path
        + "/templates/letters/generic_notice/default.html"
    )
    with open(source, encoding="utf-8") as f:
        expected = hashlib.sha256(f.read().encode()).hexdigest()[:16]
    assert letter.template_name == "letters/generic_notice/default.html"
    assert letter.template_version == expected


def test_every_letter_prints_the_complaint_channels_in_at_least_10_point_cn_32_ca_02(alice):
    rendered = render_letter_html(
        kind="generic_notice",
        customer=alice,
        context={"paragraphs": ["Hello"]},
        now=NOW,
        title="Notice",
    )
    html = rendered.html
    assert "complaints@insuredesk.example" in html
    assert "National Financial Regulatory Administration (NFRA)" in html
    # Unconfirmed (status U) regulator contacts are not printed.
    assert "12378" not in html
    sizes = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)pt", html)]
    assert sizes and min(sizes) >= 10


def test_the_footer_names_the_financial_ombudsman_on_gb_letters(alice):
    rendered = render_letter_html(
        kind="generic_notice",
        customer=alice,
        context={},
        now=NOW,
        title="Notice",
        jurisdiction="GB",
    )
    assert rendered.jurisdiction == "GB"
    assert "Financial Ombudsman Service" in rendered.html


def test_a_chinese_letter_renders_cjk_text(alice):
    alice.language = "zh"
    alice.save()
    letter = make_letter(alice, paragraphs=["您的理赔申请已受理。"])
    data = letter.file.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    if text is not None:
        assert "理赔申请已受理" in text.replace(" ", "")


def test_a_missing_jurisdiction_template_falls_back_to_the_default(alice):
    letter = make_letter(alice)
    assert letter.jurisdiction == "CN"
    assert letter.template_name == "letters/generic_notice/default.html"


def test_a_failing_template_rolls_back_the_callers_transition_and_names_the_template(
    alice, bob, broken_templates
):
    case = make_case(alice)
    with pytest.raises(DomainError) as raised, transaction.atomic():
        transition(case, to="decided", actor=bob, now=NOW, reason="Not covered")
        issue_letter(
            kind="broken_notice",
            case=case,
            customer=alice,
            context={},
            actor=bob,
            now=NOW,
            title="Refusal notice",
        )
    assert raised.value.code == "letter_template_failed"
    assert raised.value.details["template"] == "letters/broken_notice/default.html"
    assert "letters/broken_notice/default.html" in raised.value.message
    case.refresh_from_db()
    assert case.status == "open"
    assert [e.kind for e in case.events.all()] == ["opened"]
    assert not Letter.objects.exists()


def test_a_template_failing_while_rendering_is_named_too(alice, broken_templates):
    with pytest.raises(DomainError) as raised:
        issue_letter(
            kind="exploding_notice", customer=alice, context={}, actor=None, now=NOW, title="Notice"
        )
    assert raised.value.code == "letter_template_failed"
    assert raised.value.details["template"] == "letters/exploding_notice/default.html"


def test_an_unknown_letter_kind_names_the_default_template_it_needs(alice):
    with pytest.raises(DomainError) as raised:
        issue_letter(
            kind="no_such_kind", customer=alice, context={}, actor=None, now=NOW, title="Notice"
        )
    assert raised.value.code == "letter_template_failed"
    assert raised.value.details["template"] == "letters/no_such_kind/default.html"


def test_an_issued_letter_cannot_be_modified(alice):
    letter = make_letter(alice)
    letter.title = "Something else"
    with pytest.raises(LetterImmutable):
        letter.save()
    with pytest.raises(LetterImmutable):
        Letter.objects.filter(pk=letter.pk).update(sha256="0" * 64)
    with pytest.raises(LetterImmutable):
        letter.delete()
    letter.refresh_from_db()
    assert letter.title == "Notice about your claim"


def test_a_correction_is_a_new_letter_that_supersedes_the_old_one(alice, bob):
    case = make_case(alice)
    original = make_letter(alice, case=case, paragraphs=["We will pay CNY 1,000."])
    correction = correct_letter(
        letter=original,
        context={"paragraphs": ["We will pay CNY 10,000."]},
        actor=bob,
        now=NOW,
        reason="The amount was mistyped.",
    )
    original.refresh_from_db()
    assert original.superseded_by == correction
    assert correction.pk != original.pk and correction.sha256 != original.sha256
    assert (correction.case, correction.kind) == (case, original.kind)
    assert correction.context["corrects"]["public_id"] == str(original.public_id)
    assert original.file.read().startswith(b"%PDF-")  # the old PDF is untouched

    with pytest.raises(Conflict):
        correct_letter(letter=original, context={}, actor=bob, now=NOW, reason="again")
