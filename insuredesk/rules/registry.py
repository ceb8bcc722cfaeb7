"""Jurisdiction profiles, loaded once from the TOML files in `profiles/`.

The rules of shared/REGULATION.md live in those files as data; this module reads them, checks
them and hands out immutable `Profile` and `Rule` objects:

    get_profile("CN")                -> Profile (get_profile() gives the default profile, CN)
    profiles()                       -> every Profile, the default first
    get_rule("CN", "CN-28.complex")  -> Rule; rule.period -> Period(unit="days", amount=30, ...)

A rule with several periods answers with its first under its own id; each further period is a
sub-rule `<id>.<key>` that inherits the parent's stage, source and status.

Unconfirmed (status U) rules are configurable defaults: a deployment may change their period with
the Django setting `INSUREDESK_RULE_OVERRIDES = {"CN": {"CN-10": {"days": 20}}}`. Rules read in
the law (P) or in secondary sources (S) cannot be overridden.

A rule may also carry parameters (`[rules.params]`: amounts, lists of codes) that the app
enforcing it reads, e.g. the sum insured from which a written proposal is required (SVC-21).
A U rule's parameters are overridden the same way, one key at a time:
`INSUREDESK_RULE_OVERRIDES = {"CN": {"SVC-21": {"params": {"sum_insured_at_least": "8000000"}}}}`.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from insuredesk.rules.errors import (
    ProfileError,
    RuleHasNoPeriod,
    UnknownJurisdiction,
    UnknownRule,
)

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

UNITS = ("days", "business_days", "weeks", "months", "years")
STATUSES = {
    "P": "read in the primary text",
    "S": "secondary sources only",
    "U": "unconfirmed: configurable default",
}
CALENDAR_KINDS = ("cn-official", "gb-eng", "calendar-days")


@dataclass(frozen=True)
class Period:
    """How long a rule gives, counted from its trigger (or, if `before`, back from it)."""

    unit: str  # one of UNITS
    amount: int
    trigger: str
    pausable: bool = False
    before: bool = False  # e.g. CA-10: warn 60 days *before* a time limit expires

    def _of(self, unit: str) -> int | None:
        return self.amount if self.unit == unit else None

    @property
    def days(self) -> int | None:
        return self._of("days")

    @property
    def business_days(self) -> int | None:
        return self._of("business_days")

    @property
    def weeks(self) -> int | None:
        return self._of("weeks")

    @property
    def months(self) -> int | None:
        return self._of("months")

    @property
    def years(self) -> int | None:
        return self._of("years")

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        if self.amount == 1:
            unit = unit.removesuffix("s")
        return f"{self.amount} {unit} {'before' if self.before else 'after'} {self.trigger}"


@dataclass(frozen=True)
class Rule:
    """One rule of a jurisdiction: what it requires, where it comes from, how sure we are."""

    id: str
    jurisdiction: str
    stage: str
    text: str
    machine: str
    source: str
    status: str  # P, S or U (see STATUSES)
    period: Period | None = None
    parent: str | None = None  # set on sub-rules such as CN-28.complex
    sub_rules: tuple[str, ...] = ()
    overridden: bool = False  # a U rule whose period or parameters a deployment changed
    # What the enforcing app reads besides the period (amounts as strings, lists of codes).
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def unconfirmed(self) -> bool:
        return self.status == "U"

    def cited(self) -> dict[str, Any]:
        """What a letter says of the rule it applies: its id, source and whether it is ours."""
        return {"id": self.id, "source": self.source, "unconfirmed": self.unconfirmed}

    def length_in(self, unit: str) -> int:
        """How many `unit`s the rule's period lasts; RuleHasNoPeriod unless it sets one in them."""
        if self.period is None or self.period.unit != unit:
            raise RuleHasNoPeriod(self.id, unit=unit)
        return self.period.amount

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def params_text(self) -> str:
        """The parameters as listed to staff: "key = value · key = a, b"."""
        return " · ".join(
            f"{key} = {', '.join(map(str, value)) if isinstance(value, tuple) else value}"
            for key, value in self.params.items()
        )


@dataclass(frozen=True)
class Contact:
    """A regulator or ombudsman, as printed on letters."""

    name: str
    role: str = ""
    phone: str = ""
    website: str = ""
    address: str = ""
    status: str = "U"
    note: str = ""


@dataclass(frozen=True)
class Profile:
    """A jurisdiction: its time zone, working-day calendar, contacts and rules."""

    code: str
    name: str
    default: bool
    time_zone: str
    currency: str
    day_counting: str
    calendar_kind: str
    roll_to_working_day: bool
    regulator: Contact
    ombudsman: Contact | None
    rules: Mapping[str, Rule] = field(repr=False)  # every rule and sub-rule, in file order

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self, now: datetime) -> date:
        """The calendar date in this jurisdiction at the instant `now` (timezone.now() is UTC:
        its own date is a day off for part of every day in Shanghai and in California)."""
        return now.astimezone(self.tz).date()

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            for key, rule in self.rules.items():
                if key.casefold() == str(rule_id).casefold():
                    return rule
            raise UnknownRule(self.code, str(rule_id)) from None

    def has_rule(self, rule_id: str) -> bool:
        """Whether this jurisdiction has the rule (a CN rule is absent from GB, for instance)."""
        try:
            self.rule(rule_id)
        except UnknownRule:
            return False
        return True

    def top_rules(self) -> list[Rule]:
        return [rule for rule in self.rules.values() if rule.parent is None]


def get_profile(code: str | None = None, *, field: str = "jurisdiction") -> Profile:
    """The profile for `code` (case-insensitive); None gives the default profile. An unknown
    code is an `UnknownJurisdiction` naming `field`, the input it came from."""
    loaded = _profiles()
    if code is None:
        return next(p for p in loaded.values() if p.default)
    try:
        return loaded[str(code).upper()]
    except KeyError:
        raise UnknownJurisdiction(str(code), field=field) from None


def profiles() -> list[Profile]:
    """Every profile, the default one first."""
    return sorted(_profiles().values(), key=lambda p: (not p.default, p.code))


def get_rule(code: str | None, rule_id: str) -> Rule:
    """The rule or sub-rule `rule_id` of jurisdiction `code` (None: the default)."""
    return get_profile(code).rule(rule_id)


def reload() -> None:
    """Forget the loaded profiles (tests, or after changing INSUREDESK_RULE_OVERRIDES)."""
    _profiles.cache_clear()


@functools.cache
def _profiles() -> Mapping[str, Profile]:
    overrides = _overrides_setting()
    loaded: dict[str, Profile] = {}
    for path in sorted(PROFILES_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        profile = _build_profile(data, path.name, overrides.get(str(data.get("code")), {}))
        if profile.code in loaded:
            raise ProfileError(f"{path.name}: jurisdiction {profile.code} defined twice")
        loaded[profile.code] = profile
    unknown = set(overrides) - set(loaded)
    if unknown:
        raise ProfileError(f"INSUREDESK_RULE_OVERRIDES names unknown jurisdictions {unknown}")
    defaults = [p.code for p in loaded.values() if p.default]
    if len(defaults) != 1:
        raise ProfileError(f"exactly one profile must be the default, found {defaults}")
    return MappingProxyType(loaded)


def _overrides_setting() -> Mapping[str, Mapping[str, Mapping[str, Any]]]:
    # Read lazily so that the pure-Python parts work without Django configured.
    try:
        from django.conf import settings

        if not settings.configured:
            return {}
        return getattr(settings, "INSUREDESK_RULE_OVERRIDES", {}) or {}
    except ImportError:  # pragma: no cover - Django is a dependency of the project
        return {}


def _build_profile(data: dict[str, Any], where: str, overrides: Mapping[str, Any]) -> Profile:
    # 1. Profile facts.
    try:
        code = data["code"]
        ZoneInfo(data["time_zone"])
        calendar = data["calendar"]
        kind = calendar["kind"]
    except (KeyError, ZoneInfoNotFoundError) as exc:
        raise ProfileError(f"{where}: bad or missing profile field ({exc})") from exc
    if kind not in CALENDAR_KINDS:
        raise ProfileError(f"{where}: unknown calendar kind {kind!r}")

    # 2. Rules, each followed by its sub-rules.
    rules: dict[str, Rule] = {}
    for raw in data.get("rules", []):
        for rule in _build_rules(raw, code, where, overrides):
            if rule.id in rules:
                raise ProfileError(f"{where}: rule {rule.id} defined twice")
            rules[rule.id] = rule
    unknown = set(overrides) - set(rules)
    if unknown:
        raise ProfileError(f"INSUREDESK_RULE_OVERRIDES[{code!r}] names unknown rules {unknown}")

    ombudsman = data.get("ombudsman")
    return Profile(
        code=code,
        name=data["name"],
        default=bool(data.get("default", False)),
        time_zone=data["time_zone"],
        currency=data["currency"],
        day_counting=data.get("day_counting", ""),
        calendar_kind=kind,
        roll_to_working_day=bool(calendar.get("roll_to_working_day", False)),
        regulator=Contact(**data["regulator"]),
        ombudsman=Contact(**ombudsman) if ombudsman else None,
        rules=MappingProxyType(rules),
    )


def _build_rules(
    raw: dict[str, Any], code: str, where: str, overrides: Mapping[str, Any]
) -> list[Rule]:
    rule_id = raw.get("id", "?")
    where = f"{where}: rule {rule_id}"
    try:
        status = raw["status"]
        base = Rule(
            id=rule_id,
            jurisdiction=code,
            stage=raw["stage"],
            text=raw["text"],
            machine=raw["machine"],
            source=raw["source"],
            status=status,
        )
    except KeyError as exc:
        raise ProfileError(f"{where}: missing field {exc}") from exc
    if status not in STATUSES:
        raise ProfileError(f"{where}: status must be one of {sorted(STATUSES)}")
    base = _with_params(base, raw.get("params", {}), overrides.get(rule_id, {}), where)

    periods = raw.get("periods", [])
    if not periods:
        if _period_override(overrides.get(rule_id)):
            raise ProfileError(f"{where}: has no period to override")
        return [base]

    sub_rules: list[Rule] = []
    for index, raw_period in enumerate(periods):
        key = raw_period.get("key")
        if (index == 0) != (key is None):
            raise ProfileError(f"{where}: the first period has no key, every later one has one")
        sub_id = rule_id if key is None else f"{rule_id}.{key}"
        period = _build_period(raw_period, f"{where} period {index}")
        overridden = False
        if _period_override(overrides.get(sub_id)):
            if status != "U":
                raise ProfileError(f"{sub_id} is status {status}: only U rules may be overridden")
            period = _build_period({**raw_period, **_only_unit(overrides[sub_id])}, sub_id)
            overridden = True
        if key is None:
            base = replace(base, period=period, overridden=overridden or base.overridden)
        else:
            sub_rules.append(
                replace(
                    base,
                    id=sub_id,
                    text=raw_period.get("text", base.text),
                    machine=str(period),
                    source=raw_period.get("source", base.source),
                    status=raw_period.get("status", base.status),
                    period=period,
                    parent=rule_id,
                    overridden=overridden,
                )
            )
    base = replace(base, sub_rules=tuple(rule.id for rule in sub_rules))
    return [base, *sub_rules]


def _period_override(override: Mapping[str, Any] | None) -> dict[str, Any]:
    """The part of a rule's override that changes its period (everything but `params`)."""
    return {key: value for key, value in (override or {}).items() if key != "params"}


def _with_params(rule: Rule, raw: Any, override: Mapping[str, Any], where: str) -> Rule:
    """The rule with its `[rules.params]`, and a deployment's values for a U rule's keys.

    An override may only change keys the profile file sets: a misspelt key would otherwise be
    ignored silently while the default stays in force.
    """
    if not isinstance(raw, Mapping):
        raise ProfileError(f"{where}: params must be a table")
    # Lists become tuples: a profile is shared by every request and must not change under them.
    params = {key: tuple(v) if isinstance(v, list) else v for key, v in raw.items()}
    changed = override.get("params")
    if changed is None:
        return replace(rule, params=MappingProxyType(params))
    if rule.status != "U":
        raise ProfileError(f"{rule.id} is status {rule.status}: only U rules may be overridden")
    if not isinstance(changed, Mapping):
        raise ProfileError(f"{where}: the params override must be a mapping")
    unknown = sorted(set(changed) - set(params))
    if unknown:
        raise ProfileError(f"{where}: the override names unknown parameters {unknown}")
    params.update({key: tuple(v) if isinstance(v, list) else v for key, v in changed.items()})
    return replace(rule, params=MappingProxyType(params), overridden=True)


def _only_unit(override: Mapping[str, Any]) -> dict[str, Any]:
    # An override replaces the period's length, so drop the unit the file used.
    override = _period_override(override)
    unit = [key for key in override if key in UNITS]
    if len(unit) != 1:
        raise ProfileError(f"a rule override sets exactly one of {UNITS}: {dict(override)}")
    return {**{u: None for u in UNITS}, **override}


def _build_period(raw: dict[str, Any], where: str) -> Period:
    units = [(unit, raw[unit]) for unit in UNITS if raw.get(unit) is not None]
    if len(units) != 1:
        raise ProfileError(f"{where}: a period sets exactly one of {UNITS}")
    unit, amount = units[0]
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ProfileError(f"{where}: {unit} must be a positive whole number")
    if "trigger" not in raw:
        raise ProfileError(f"{where}: a period names its trigger")
    return Period(
        unit=unit,
        amount=amount,
        trigger=raw["trigger"],
        pausable=bool(raw.get("pausable", False)),
        before=bool(raw.get("before", False)),
    )
