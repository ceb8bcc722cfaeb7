# ruff: noqa: RUF001  (Chinese text uses full-width punctuation, as Chinese text does)
"""What the premium and visit messages say, in English and in Chinese.

A customer who reads Chinese on a CN policy gets the Chinese words (the same customers whose
letters are Chinese); everyone else the English ones. Each entry is (subject, body) with
`str.format` fields; the visit messages' subjects follow the visit's reference.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "reminder": {
        "en": (
            "{number}: premium of {amount} due on {due}",
            "Your premium of {amount} for policy {number} falls due on {due}. You can pay it "
            "from the policy page in your portal. If you have already paid, thank you: the "
            "receipt will be in your letters.",
        ),
        "zh": (
            "保单{number}：{due}应缴保险费{amount}",
            "您的保单{number}将于{due}应缴保险费{amount}。您可在客户门户的保单页面缴费。"
            "如您已缴费，谢谢；收据将在您的信函中。",
        ),
    },
    "receipt": {
        "en": (
            "{number}: premium received, receipt {receipt}",
            "We received your premium of {amount} for policy {number} (due {due}). Your receipt "
            "{receipt} is in your letters.",
        ),
        "zh": (
            "保单{number}：保险费已收到，收据{receipt}",
            "我们已收到您保单{number}（{due}应缴）的保险费{amount}。收据{receipt}已送达您的信函。",
        ),
    },
    "demand": {
        "en": (
            "{number}: premium overdue, please pay by {last_day}",
            "Your premium of {amount} for policy {number} was due on {due} and is unpaid. You "
            "stay covered until {last_day}; if it is still unpaid then, cover is suspended from "
            "{suspends_on}. The notice in your letters explains.",
        ),
        "zh": (
            "保单{number}：保险费逾期未缴，请于{last_day}前缴纳",
            "您的保单{number}于{due}应缴的保险费{amount}尚未缴纳。保障持续至{last_day}；"
            "届时仍未缴纳的，合同效力自{suspends_on}起中止。详见您信函中的催告通知书。",
        ),
    },
    "cleared": {
        "en": (
            "{number}: arrears paid, cover continues",
            "Thank you: the premium in arrears on policy {number} is paid and your cover "
            "continues without a break.",
        ),
        "zh": (
            "保单{number}：欠缴保险费已缴清，保障继续",
            "谢谢！保单{number}的欠缴保险费已缴清，您的保障持续有效。",
        ),
    },
    "suspended": {
        "en": (
            "{number}: cover suspended for unpaid premium",
            "The premium of policy {number} is still unpaid, so its cover is suspended from "
            "{suspends_on}. You may apply to reinstate it until {reinstate_by}: see the notice "
            "in your letters and the policy page.",
        ),
        "zh": (
            "保单{number}：因未缴保险费合同效力中止",
            "保单{number}的保险费仍未缴纳，合同效力自{suspends_on}起中止。"
            "您可在{reinstate_by}前申请恢复合同效力，详见信函中的通知书及保单页面。",
        ),
    },
    "reinstatement_received": {
        "en": (
            "{number}: reinstatement application received",
            "We received your application to reinstate policy {number} and will decide by "
            "{decide_by}.",
        ),
        "zh": (
            "保单{number}：已收到复效申请",
            "我们已收到您恢复保单{number}效力的申请，将于{decide_by}前作出决定。",
        ),
    },
    "reinstatement_agreed": {
        "en": (
            "{number}: reinstatement agreed, pay {amount} to restore cover",
            "We agree to reinstate policy {number}. Pay the premium in arrears, {amount}, by "
            "{reinstate_by} and cover is restored from the day it is paid.",
        ),
        "zh": (
            "保单{number}：同意复效，请补缴保险费{amount}",
            "我们同意恢复保单{number}的效力。请于{reinstate_by}前补缴欠缴的保险费{amount}，"
            "缴清之日起恢复保障。",
        ),
    },
    "reinstatement_declined": {
        "en": (
            "{number}: we cannot reinstate the policy",
            "We cannot agree to reinstate policy {number}. The letter in your portal gives our "
            "reasons and how to ask us to look again.",
        ),
        "zh": (
            "保单{number}：不同意复效",
            "我们无法同意恢复保单{number}的效力。门户中的通知书列明了理由及申请复核的途径。",
        ),
    },
    "reinstated": {
        "en": (
            "{number}: your policy is reinstated",
            "The arrears are paid and policy {number} is in force again from today.",
        ),
        "zh": (
            "保单{number}：合同效力已恢复",
            "欠缴保险费已缴清，保单{number}自今日起恢复效力。",
        ),
    },
    "terminated": {
        "en": (
            "{number}: policy terminated after suspension",
            "Policy {number} was not reinstated within the reinstatement period and is "
            "terminated. The letter in your portal explains the cash value owed to you.",
        ),
        "zh": (
            "保单{number}：合同已解除",
            "保单{number}在复效期内未恢复效力，合同已解除。门户中的通知书说明了应退还的现金价值。",
        ),
    },
}

# Surrender (services/surrender.py): the notice received, and the refund paid. Where the product
# holds no surrender terms, {amount} in the first message is this.
VALUE_TO_BE_STATED = {"en": "the surrender value", "zh": "现金价值（金额另行书面告知）"}
MESSAGES.update(
    {
        "surrender_received": {
            "en": (
                "{number}: surrender received, {amount} to be refunded by {refund_by}",
                "Policy {number} ended on {ended_on} as you asked. We refund {amount} to "
                "{account} by {refund_by}. The letter in your portal shows how the amount is "
                "worked out.",
            ),
            "zh": (
                "保单{number}：已受理退保，{refund_by}前退还{amount}",
                "保单{number}已按您的申请于{ended_on}解除。我们将于{refund_by}前向{account}"
                "退还{amount}。门户中的确认书列明了金额的计算方法。",
            ),
        },
        "surrender_refunded": {
            "en": (
                "{number}: surrender value of {amount} paid",
                "We paid {amount} for surrendered policy {number} to {account} (our reference "
                "{reference}). Allow your bank a few days to show it.",
            ),
            "zh": (
                "保单{number}：退保金{amount}已支付",
                "我们已将保单{number}的退保金{amount}支付至{account}（付款编号{reference}）。"
                "银行入账可能需要数日。",
            ),
        },
        "surrender_nothing_due": {
            "en": (
                "{number}: surrender confirmed, nothing to refund",
                "Policy {number} ended on {ended_on} as you asked. It had no surrender value on "
                "that day, so there is nothing to refund; the letter in your portal explains.",
            ),
            "zh": (
                "保单{number}：已受理退保，无退还金额",
                "保单{number}已按您的申请于{ended_on}解除。该日保单无现金价值，因此无款项退还；"
                "门户中的确认书作了说明。",
            ),
        },
    }
)

# Regular visits (visiting.py). {policy}, {due} and {when} are filled in by the caller, dates
# written the way each language writes them; {channel} is the channel in the same language.
VISIT_MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "planned_welcome": {
        "en": (
            "Welcome: we would like to visit you",
            "Your agent will contact you to deliver and explain policy {policy}: what it covers, "
            "its exemption clauses, and your right to cancel it in the cooling-off period. "
            "Propose a time that suits you under Visits in your portal. We aim to see you by "
            "{due}.",
        ),
        "zh": (
            "欢迎：我们希望上门拜访您",
            "您的业务员将与您联系，递送并讲解保单{policy}：保障范围、免责条款，以及您在犹豫期内"
            "解除合同的权利。请在客户门户的“回访”中提出方便的时间。我们争取在{due}前拜访您。",
        ),
    },
    "planned_review": {
        "en": (
            "Time for the yearly review of your policy",
            "Policy {policy} has an anniversary. We would like to check with you that its cover "
            "still fits your life. Propose a time under Visits in your portal; we aim to see you "
            "by {due}.",
        ),
        "zh": (
            "保单年度检视",
            "保单{policy}已满一个保单年度。我们希望与您确认保障是否仍然适合您的生活。请在客户门户的"
            "“回访”中提出时间；我们争取在{due}前拜访您。",
        ),
    },
    "planned_renewal": {
        "en": (
            "Your policy's term is ending: let us talk",
            "Policy {policy} ends on {end}. We would like to visit you before then about "
            "renewing it. Propose a time under Visits in your portal; we aim to see you by {due}.",
        ),
        "zh": (
            "您的保单即将到期",
            "保单{policy}将于{end}到期。我们希望在此之前拜访您，商谈续保事宜。请在客户门户的"
            "“回访”中提出时间；我们争取在{due}前拜访您。",
        ),
    },
    "planned_care": {
        "en": (
            "After your claim: how are you?",
            "Your claim {source} is closed. We would like to visit you, hear how things are and "
            "answer any question about your policy {policy}. Propose a time under Visits in your "
            "portal; we aim to see you by {due}.",
        ),
        "zh": (
            "理赔结案后的关怀回访",
            "您的理赔{source}已结案。我们希望拜访您，了解您的近况，并解答有关保单{policy}的任何问题。"
            "请在客户门户的“回访”中提出时间；我们争取在{due}前拜访您。",
        ),
    },
    "planned_after_complaint": {
        "en": (
            "After your complaint",
            "Your complaint {source} is resolved. We would like to visit you to make sure it is "
            "put right for you. Propose a time under Visits in your portal, or decline if you "
            "prefer; we aim to see you by {due}.",
        ),
        "zh": (
            "投诉处理后的回访",
            "您的投诉{source}已处理完毕。我们希望拜访您，确认问题已妥善解决。请在客户门户的“回访”中"
            "提出时间，或如您不愿被拜访可以谢绝；我们争取在{due}前拜访您。",
        ),
    },
    "planned_requested": {
        "en": (
            "We have your request for a visit",
            "Thank you: an agent will confirm a time with you by {due}.",
        ),
        "zh": ("我们已收到您的回访申请", "谢谢！业务员将在{due}前与您确认时间。"),
    },
    "cancelled": {
        "en": (
            "Visit cancelled",
            "Policy {policy} has ended, so the visit on {when} will not take place.",
        ),
        "zh": ("回访已取消", "保单{policy}已终止，原定于{when}的回访将不再进行。"),
    },
    "scheduled": {
        "en": (
            "Your visit is arranged",
            "{channel}{with_whom} on {when}{place}. You can propose another time or decline "
            "under Visits in your portal.",
        ),
        "zh": (
            "回访时间已确定",
            "{when}，{channel}{with_whom}{place}。如需改期或谢绝，请在客户门户的“回访”中办理。",
        ),
    },
    "moved": {
        "en": (
            "Your visit is moved",
            "{channel}{with_whom} on {when}{place}. You can propose another time or decline "
            "under Visits in your portal.",
        ),
        "zh": (
            "回访时间已更改",
            "{when}，{channel}{with_whom}{place}。如需改期或谢绝，请在客户门户的“回访”中办理。",
        ),
    },
    "completed": {
        "en": (
            "Thank you for your time",
            "Thank you for seeing us. How was the visit? Rate it under Visits in your portal: it "
            "takes a moment and tells us what to do better.",
        ),
        "zh": (
            "感谢您的时间",
            "感谢您接待我们。这次回访怎么样？请在客户门户的“回访”中评分：只需片刻，"
            "却能帮助我们改进服务。",
        ),
    },
    "unreachable": {
        "en": (
            "We could not reach you",
            "We tried to reach you for your visit and could not. Propose a time that suits you "
            "under Visits in your portal, or tell us if you would rather not be visited.",
        ),
        "zh": (
            "未能联系到您",
            "我们为回访联系您未果。请在客户门户的“回访”中提出方便的时间，或告诉我们您不希望被拜访。",
        ),
    },
    "reminder": {
        "en": (
            "Reminder: your visit tomorrow",
            "{channel} on {when}{place}. Need another time? Propose it under Visits in your "
            "portal.",
        ),
        "zh": (
            "提醒：明天的回访",
            "{when}，{channel}{place}。如需改期，请在客户门户的“回访”中提出。",
        ),
    },
}
VISIT_CHANNELS_ZH = {"in_person": "上门面谈", "phone": "电话", "video": "视频通话"}
# The optional parts of an appointment's words: who comes, and where.
VISIT_WITH = {"en": " with {name}", "zh": "，业务员{name}"}
VISIT_PLACE = {"en": ", {place}", "zh": "，地点：{place}"}


def visit_message(kind: str, *, chinese: bool, **fields: Any) -> tuple[str, str]:
    """The (subject, body) of one visit message in the customer's language."""
    subject, body = VISIT_MESSAGES[kind]["zh" if chinese else "en"]
    return subject.format(**fields), body.format(**fields)


def message(kind: str, *, chinese: bool, **fields: Any) -> tuple[str, str]:
    """The (subject, body) of one premium message in the customer's language."""
    subject, body = MESSAGES[kind]["zh" if chinese else "en"]
    return subject.format(**fields)[:200], body.format(**fields)
