# ruff: noqa: RUF001  (Chinese text uses full-width punctuation)
"""Chinese claim letters for customers who read Chinese (CN policies; IL Arts. 22-26)."""

from datetime import timedelta

import pytest

from insuredesk.claims import services
from insuredesk.claims.tests.factories import NOW, report
from insuredesk.documents.services import render_letter_html
from insuredesk.notifications.models import Message
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db
LATER = NOW + timedelta(days=1)


@pytest.fixture
def zh_policy(db):
    """Li Na reads Chinese; her home policy is a CN policy."""
    holder = factories.make_customer("lina", full_name="李娜", jurisdiction="CN")
    holder.language = "zh"
    holder.save(update_fields=["language"])
    return factories.make_policy(holder, start=NOW.date() - timedelta(days=100))


def test_a_chinese_reader_gets_the_refusal_notice_in_chinese_il_24_il_26(zh_policy, bob):
    refusal = services.refuse_claim(
        claim=report(zh_policy),
        ground="exclusion",
        reasons="损失系长期渗漏逐渐形成。",
        clauses=[{"number": "4.1", "how_it_applies": "橱柜腐烂由缓慢渗水造成。"}],
        confirm_warnings=True,
        actor=bob,
        now=LATER,
    )
    letter = refusal.letter
    assert letter.template_name == "letters/claim_refusal/cn.zh.html"
    assert letter.language == "zh" and letter.title == "拒绝赔偿通知书"
    assert letter.context["ground_zh"] == "属于免除保险人责任条款约定的情形"
    assert letter.file.size > 0 and len(letter.sha256) == 64


def test_a_chinese_reader_gets_the_refusal_message_in_chinese_too_il_24(zh_policy, bob):
    """Given Li Na reads Chinese, when Bob refuses her claim, then the e-mail and the portal
    message that bring the notice are in Chinese like the notice itself."""
    claim = report(zh_policy)
    services.refuse_claim(
        claim=claim,
        ground="exclusion",
        reasons="损失系长期渗漏逐渐形成。",
        clauses=[{"number": "4.1", "how_it_applies": "橱柜腐烂由缓慢渗水造成。"}],
        confirm_warnings=True,
        actor=bob,
        now=LATER,
    )
    messages = Message.objects.filter(case=claim.case, letter__kind="claim_refusal")
    assert {m.channel for m in messages} == {"portal", "email"}
    for message in messages:
        assert message.subject == f"理赔申请 {claim.case.reference}：处理结果"
        assert message.body.startswith("很遗憾，我们无法就您的理赔申请给付保险金。")
    acknowledgement = Message.objects.get(
        case=claim.case, dedupe_key__startswith="claim-ack:", channel="portal"
    )
    assert acknowledgement.subject == f"理赔申请 {claim.case.reference} 已收到"


def test_an_english_reader_on_a_cn_policy_keeps_the_english_messages(policy, bob):
    claim = report(policy)
    message = Message.objects.get(case=claim.case, channel="portal")
    assert message.subject == f"Claim {claim.case.reference} received"


def test_an_english_reader_on_a_cn_policy_keeps_the_english_notice(policy, bob):
    refusal = services.refuse_claim(
        claim=report(policy),
        ground="exclusion",
        reasons="Gradual leak.",
        clauses=[{"number": "4.1", "how_it_applies": "Slow leak."}],
        confirm_warnings=True,
        actor=bob,
        now=LATER,
    )
    assert refusal.letter.template_name == "letters/claim_refusal/default.html"
    assert refusal.letter.language == "en"


LIMITATION = {"years": 2, "rule": "CN-24", "source": "IL Art. 26", "until": "2028-03-08"}
LINES = [
    {"kind": "item", "label": "橱柜", "amount": "3000.00", "coverage": "Building", "clause": None},
    {"kind": "deductible", "label": "Deductible", "amount": "-500.00", "clause": None},
    {"kind": "total", "label": "Payable", "amount": "2500.00", "clause": None},
]
CASES = {
    "claim_acknowledgement": ({"documents_needed": ["损失照片"]}, "三十日内作出核定"),
    "claim_missing_documents": ({"items": [{"name": "维修报价单"}], "note": ""}, "一次性通知"),
    "claim_settlement": (
        {"amount": "2500.00", "lines": LINES, "accepted_by": "李娜", "accepted_at": "2026-03-11"},
        "达成协议后十日内",
    ),
    "claim_payment_advice": (
        {"amount": "2500.00", "kind": "settlement", "payment_reference": "PAY-1", "lines": LINES},
        "扣除免赔额",
    ),
    "claim_refusal": (
        {"ground": "Loss not covered", "reasons": "x", "clauses": [], "limitation": LIMITATION},
        "诉讼时效期间为2年",
    ),
    "claim_dispute_outcome": ({"upheld": False, "reasons": "x", "channel": "Mediation"}, "调解"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_every_chinese_claim_letter_renders_il_22_to_26(zh_policy, kind):
    context, words = CASES[kind]
    claim_facts = {"reference": "CLM-2026-000001", "currency": "CNY", "loss_type": "fire"}
    rendered = render_letter_html(
        kind=kind,
        customer=zh_policy.policyholder,
        jurisdiction="CN",
        language="zh",
        context={"claim": claim_facts, **context},
        now=NOW,
        title="—",
    )
    assert rendered.template_name == f"letters/{kind}/cn.zh.html"
    assert words in rendered.html
