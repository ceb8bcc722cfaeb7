# ruff: noqa: RUF001  (Chinese text uses full-width punctuation, as Chinese text does)
"""What the premium messages say, in English and in Chinese.

A customer who reads Chinese on a CN policy gets the Chinese words (the same customers whose
letters are Chinese); everyone else the English ones. Each entry is (subject, body) with
`str.format` fields.
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


def message(kind: str, *, chinese: bool, **fields: Any) -> tuple[str, str]:
    """The (subject, body) of one premium message in the customer's language."""
    subject, body = MESSAGES[kind]["zh" if chinese else "en"]
    return subject.format(**fields)[:200], body.format(**fields)
