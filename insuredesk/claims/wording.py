# ruff: noqa: RUF001  (Chinese text uses full-width punctuation, as Chinese text does)
"""Chinese wording for claim letters and messages to customers who read Chinese (CN policies).

The letter templates `letters/<kind>/cn.zh.html` carry the letters' sentences; this module names
the letters, turns the few English labels a letter's context carries into Chinese, and holds
the Chinese e-mail and portal messages (`message_zh`).
"""

from typing import Any

from insuredesk.claims.choices import DisputeChannel, RefusalGround

TITLES_ZH = {
    "claim_acknowledgement": "理赔申请受理通知书",
    "claim_missing_documents": "补充理赔材料通知书",
    "claim_settlement": "赔偿协议确认书",
    "claim_payment_advice": "赔款支付通知书",
    "claim_refusal": "拒绝赔偿通知书",
    "claim_dispute_outcome": "理赔争议处理结果通知书",
}

GROUNDS_ZH = {
    RefusalGround.NOT_COVERED.label: "损失不属于保险责任范围",
    RefusalGround.EXCLUSION.label: "属于免除保险人责任条款约定的情形",
    RefusalGround.OUT_OF_TERM.label: "保险事故发生在保险期间之外",
    RefusalGround.WAITING_PERIOD.label: "保险事故发生在等待期内",
    RefusalGround.NON_DISCLOSURE.label: "投保人未履行如实告知义务且保险合同已依法解除",
    RefusalGround.BREACH_OF_CONDITION.label: "违反保险合同约定的义务",
    RefusalGround.FRAUD.label: "虚构或故意制造保险事故",
}

CHANNELS_ZH = {
    DisputeChannel.INTERNAL_REVIEW.label: "内部复核",
    DisputeChannel.COMPLAINT.label: "投诉",
    DisputeChannel.MEDIATION.label: "调解",
    DisputeChannel.ARBITRATION.label: "仲裁",
    DisputeChannel.LITIGATION.label: "诉讼",
    DisputeChannel.REGULATOR.label: "向监管部门反映",
}

LOSS_TYPES_ZH = {
    "fire": "火灾",
    "water_damage": "水损",
    "theft": "盗窃",
    "storm": "暴风暴雨",
    "flood": "洪水",
    "accident": "意外事故",
    "illness": "疾病",
    "hospitalisation": "住院",
    "death": "身故",
    "collision": "碰撞",
}

EXPLANATION_CHANNELS_ZH = {
    "in_person": "当面",
    "phone": "电话",
    "video": "视频",
    "online": "网页引导",
}


def uses_chinese(claim) -> bool:
    """Chinese letters exist for CN policies; elsewhere a customer gets the local letter."""
    customer = claim.case.customer
    return claim.case.jurisdiction == "CN" and getattr(customer, "language", "") == "zh"


def zh_context(context: dict[str, Any]) -> dict[str, Any]:
    """The Chinese forms of the English labels in `context` (unknown labels stay as they are)."""
    extra: dict[str, Any] = {}
    facts = context.get("claim") or {}
    loss_type = str(facts.get("loss_type", "")).replace(" ", "_")
    extra["loss_type_zh"] = LOSS_TYPES_ZH.get(loss_type, facts.get("loss_type", ""))
    if "ground" in context:
        extra["ground_zh"] = GROUNDS_ZH.get(context["ground"], context["ground"])
    if "channel" in context:
        extra["channel_zh"] = CHANNELS_ZH.get(context["channel"], context["channel"])
    for clause in context.get("clauses") or []:
        for item in clause.get("evidence") or []:
            item.setdefault(
                "channel_zh", EXPLANATION_CHANNELS_ZH.get(item.get("channel_code", ""), "")
            )
    return extra


# Customer messages (e-mail and portal inbox) in Chinese, by message kind: (subject, body).
# Fields are filled with str.format; free text a handler wrote (reasons) is passed as it is.
MESSAGES_ZH = {
    "acknowledgement": (
        "理赔申请 {reference} 已收到",
        "我们已受理您关于“{coverage}”的理赔申请 {reference}。{needed}",
    ),
    "missing_documents": ("理赔申请 {reference}：尚需补充的材料", "请上传以下材料：{documents}。"),
    "survey": (
        "理赔申请 {reference}：查勘预约",
        "我们的查勘员 {surveyor} 将于 {when} 到 {location} 查勘。查勘费用由我们承担，您无需支付。",
    ),
    "offer": (
        "理赔申请 {reference}：赔偿方案 {currency} {amount}",
        "请在客户门户查看赔偿明细，并选择接受该方案或提出不同金额。",
    ),
    "agreed": (
        "理赔申请 {reference}：赔偿金额已达成协议",
        "双方已就 {currency} {amount} 达成协议，我们将于 {due} 前支付。",
    ),
    "paid": (
        "理赔申请 {reference}：已支付 {currency} {amount}",
        "赔款 {payment}（{currency} {amount}）已经支付。{so_far}"
        "载有计算明细的赔款支付通知书将发送到您的客户门户。",
    ),
    "payment_advice": (
        "理赔申请 {reference}：赔款支付通知 {payment}",
        "随附赔款支付通知书，载明赔款金额的计算方式。",
    ),
    "refusal": (
        "理赔申请 {reference}：处理结果",
        "很遗憾，我们无法就您的理赔申请给付保险金。"
        "随附的拒绝赔偿通知书载明理由、所依据的条款以及您提出异议的途径。",
    ),
    "dispute_received": (
        "理赔申请 {reference}：已收到您的异议 {dispute}",
        "我们将复核该决定并及时告知进展。"
        "对合同条款有两种以上解释的，应当作出有利于您的解释（《保险法》第三十条）。",
    ),
    "dispute_outcome": ("争议 {dispute}：{outcome}", "{reasons}"),
}


# Sentences some messages add: the documents still needed, what was agreed and paid so far.
NEEDED_ZH = "请上传以下材料：{documents}。"
SO_FAR_ZH = "约定金额 {currency} {agreed}，累计已付 {paid}。"


def documents_zh(names) -> str:
    """Document names listed the Chinese way (enumeration comma)."""
    return "、".join(names)


def message_zh(kind: str, **fields: Any) -> tuple[str, str]:
    """The Chinese subject and body of one customer message."""
    subject, body = MESSAGES_ZH[kind]
    return subject.format(**fields), body.format(**fields)
