# ruff: noqa: RUF001  (Chinese text uses full-width punctuation)
"""Chinese letters for CN complainants who read Chinese (CBIRC Order 2020 No. 3)."""

import pytest
from django.template.loader import render_to_string

from insuredesk.complaints import services
from insuredesk.complaints.tests.factories import at, classified, reload, submit
from insuredesk.documents.models import Letter
from insuredesk.notifications.models import Message
from insuredesk.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lin():
    customer = factories.make_customer("lin", full_name="林晓")
    customer.language = "zh"
    customer.save(update_fields=["language"])
    return customer


def test_zh_acknowledgement_for_a_cn_complainant_who_reads_chinese_cn_28(lin):
    complaint = submit(lin, now=at(2025, 3, 3))
    letter = Letter.objects.get(case=complaint.case, kind="complaint_acknowledgement")
    assert letter.template_name == "letters/complaint_acknowledgement/cn.zh.html"
    assert letter.language == "zh"
    assert letter.title == "投诉受理通知书"
    inbox = Message.objects.filter(letter=letter, channel="portal").get()
    assert "投诉受理通知书" in inbox.body


def test_zh_decision_notice_states_findings_basis_reasons_and_the_four_remedies_cn_29_cn_31(
    lin, erin
):
    complaint = submit(lin, now=at(2025, 3, 3))
    classified(complaint, handler=erin, now=at(2025, 3, 4))
    services.respond_to_complaint(
        complaint=reload(complaint),
        actor=erin,
        now=at(2025, 3, 10),
        outcome="rejected",
        findings="水管因多年锈蚀而损坏。",
        basis="保险条款第4.1条（自然磨损）。",
        reasons="逐渐老化属于责任免除，且已在投保时明确说明。",
    )
    notice = Letter.objects.get(case=complaint.case, kind="complaint_decision")
    assert notice.template_name == "letters/complaint_decision/cn.zh.html"
    assert notice.title == "投诉处理决定书"
    html = render_to_string(notice.template_name, {"letter": {"language": "zh"}, **notice.context})
    for part in ("调查认定的事实", "水管因多年锈蚀", "处理依据和理由", "第4.1条", "投诉不成立"):
        assert part in html
    assert "自收到本决定书之日起30日内" in html and "上级机构书面申请核查" in html  # CN-29
    for remedy in ("调解", "仲裁", "人民法院提起诉讼"):
        assert remedy in html
    assert "2025年3月3日" in html


def test_english_reader_in_cn_keeps_the_english_letter(alice):
    complaint = submit(alice, now=at(2025, 3, 3))
    letter = Letter.objects.get(case=complaint.case, kind="complaint_acknowledgement")
    assert letter.template_name == "letters/complaint_acknowledgement/cn.html"
    assert letter.title == "We have received your complaint"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("complaint_extension_notice", "再延长30日"),
        ("complaint_appraisal_notice", "不计入投诉处理期限"),
        ("complaint_acknowledgement", "最长不超过60日"),
    ],
)
def test_every_zh_letter_renders_its_cn_28_facts(kind, expected):
    context = {
        "letter": {"language": "zh"},
        "complaint": {"reference": "CMP-2025-000001", "received_on": "2025-03-03"},
        "days": 30,
        "new_due_date": "2025-05-02",
        "due_date": "2025-03-18",
        "appraiser": "上海某检测中心",
        "reason": "需要鉴定损坏原因",
        "approved_by": "Carol",
    }
    html = render_to_string(f"letters/{kind}/cn.zh.html", context)
    assert expected in html
    assert "CMP-2025-000001" in html
