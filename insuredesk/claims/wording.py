"""Chinese wording for claim letters to customers who read Chinese (CN policies).

The letter templates `letters/<kind>/cn.zh.html` carry the sentences; this module names the
letters and turns the few English labels a letter's context carries into Chinese.
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


def uses_chinese(claim) -> bool:  # type: ignore[no-untyped-def]
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
