# ruff: noqa: RUF001  (Chinese labels use full-width punctuation, as Chinese text does)
"""Filters for complaint letters: Chinese dates and labels for the zh versions."""

from datetime import date

from django import template

register = template.Library()

OUTCOMES_ZH = {
    "upheld": "投诉成立，我司予以纠正并作出补偿",
    "partly_upheld": "投诉部分成立，我司就成立部分作出补偿",
    "redress_without_admission": "我司虽未认定存在过错，仍向您提供补偿",
    "rejected": "投诉不成立",
}
CHANNELS_ZH = {
    "portal": "网上客户服务",
    "api": "合作渠道",
    "phone": "电话",
    "letter": "信函",
    "visit": "来访",
    "regulator": "监管部门转办",
}


@register.filter
def zh_date(value: object) -> str:
    """`2026-03-15` (or a date) as 2026年3月15日; anything else unchanged."""
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text[:10])
        except ValueError:
            return text
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


@register.filter
def zh_outcome(code: str) -> str:
    return OUTCOMES_ZH.get(code, code)


@register.filter
def zh_channel(code: str) -> str:
    return CHANNELS_ZH.get(code, code)
