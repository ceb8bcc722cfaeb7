"""The profiles hold every rule of shared/REGULATION.md, as data, with source and status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from insuredesk.rules import registry
from insuredesk.rules.errors import (
    ProfileError,
    RuleHasNoPeriod,
    UnknownJurisdiction,
    UnknownRule,
)

# The rule ids of shared/REGULATION.md with their status, as of this commit.
REGULATION_RULES = {
    "CN": {
        "CN-01": "P", "CN-02": "P", "CN-03": "P", "CN-04": "P", "CN-05": "P", "CN-06": "P",
        "CN-08": "P", "CN-09": "S", "CN-10": "U", "CN-12": "S", "CN-14": "P", "CN-15": "P",
        "CN-16": "P", "CN-17": "P", "CN-18": "P", "CN-19": "P", "CN-20": "P", "CN-21": "P",
        "CN-22": "P", "CN-23": "P", "CN-24": "P", "CN-25": "P", "CN-26": "P", "CN-28": "S",
        "CN-29": "S", "CN-31": "U", "CN-32": "S", "CN-33": "S", "CN-34": "S",
    },
    "GB": {
        "GB-01": "P", "GB-04": "P", "GB-05": "P", "GB-06": "S", "GB-07": "P", "GB-08": "P",
        "GB-09": "P", "GB-11": "P", "GB-12": "P", "GB-13": "P",
    },
    "US-CA": {
        "CA-01": "P", "CA-02": "P", "CA-03": "P", "CA-05": "P", "CA-06": "S", "CA-07": "S",
        "CA-08": "S", "CA-10": "P", "CA-11": "S", "CA-13": "S",
    },
}  # fmt: skip

# DESIGN.md refers to the regulation as ../shared/REGULATION.md from the repository root.
REGULATION_MD = Path(__file__).resolve().parents[3].parent / "shared" / "REGULATION.md"
TABLE_ROW = re.compile(r"^\|\s*((?:CN|GB|CA)-\d+)\s*\|.*\|\s*([PSU])\b[^|]*\|\s*$")


def _top_rule_statuses(code: str) -> dict[str, str]:
    # SVC-* rules are the insurer's own service standards (e.g. SVC-01, the consultation answer
    # clock), not rules of REGULATION.md.
    rules = registry.get_profile(code).top_rules()
    return {rule.id: rule.status for rule in rules if not rule.id.startswith("SVC-")}


@pytest.mark.parametrize("code", sorted(REGULATION_RULES))
def test_profile_holds_exactly_the_regulation_rules_with_their_status(code):
    assert _top_rule_statuses(code) == REGULATION_RULES[code]


@pytest.mark.skipif(not REGULATION_MD.exists(), reason="shared/REGULATION.md not beside the repo")
def test_profiles_match_the_current_regulation_document():
    in_document = {}
    for line in REGULATION_MD.read_text(encoding="utf-8").splitlines():
        if match := TABLE_ROW.match(line):
            in_document[match.group(1)] = match.group(2)
    in_profiles = {}
    for code in REGULATION_RULES:
        in_profiles.update(_top_rule_statuses(code))

    assert in_profiles == in_document


def test_every_rule_has_stage_text_machine_form_and_source():
    for profile in registry.profiles():
        for rule in profile.rules.values():
            assert rule.stage and rule.text and rule.machine and rule.source, rule.id


def test_profiles_are_listed_default_first():
    assert [p.code for p in registry.profiles()] == ["CN", "GB", "US-CA"]
    assert registry.get_profile().code == "CN"


@pytest.mark.parametrize(
    ("code", "zone", "currency", "kind"),
    [
        ("CN", "Asia/Shanghai", "CNY", "cn-official"),
        ("GB", "Europe/London", "GBP", "gb-eng"),
        ("US-CA", "America/Los_Angeles", "USD", "calendar-days"),
    ],
)
def test_profile_facts(code, zone, currency, kind):
    profile = registry.get_profile(code)

    assert (profile.time_zone, profile.currency, profile.calendar_kind) == (zone, currency, kind)
    assert profile.regulator.name


def test_a_rule_with_several_periods_answers_with_its_first():
    rule = registry.get_rule("CN", "CN-28")

    assert (rule.period.unit, rule.period.amount) == ("days", 15)
    assert rule.period.days == 15
    assert rule.period.pausable
    assert rule.sub_rules == ("CN-28.complex", "CN-28.extended", "CN-28.max")


@pytest.mark.parametrize(
    ("code", "rule_id", "unit", "amount"),
    [
        ("CN", "CN-28.complex", "days", 30),
        ("CN", "CN-28.extended", "days", 30),
        ("CN", "CN-28.max", "days", 60),
        ("CN", "CN-15.after_due", "days", 60),
        ("CN", "CN-24.life", "years", 5),
        ("GB", "GB-09.holding", "weeks", 8),
        ("GB", "GB-11.event", "years", 6),
        ("GB", "GB-11.awareness", "years", 3),
    ],
)
def test_sub_rules_carry_their_own_period_and_inherit_source_and_status(
    code, rule_id, unit, amount
):
    rule = registry.get_rule(code, rule_id)
    parent = registry.get_rule(code, rule.parent)

    assert (rule.period.unit, rule.period.amount) == (unit, amount)
    assert (rule.source, rule.status) == (parent.source, parent.status)


def test_a_rule_gives_its_length_only_in_the_unit_its_period_is_set_in():
    # IL Art. 37 (CN-16): a suspended contract may be reinstated within 2 years.
    reinstatement = registry.get_rule("CN", "CN-16")

    assert reinstatement.length_in("years") == 2
    with pytest.raises(RuleHasNoPeriod, match="CN-16 sets no period in days"):
        reinstatement.length_in("days")
    with pytest.raises(RuleHasNoPeriod, match="CN-02 sets no period in days"):
        registry.get_rule("CN", "CN-02").length_in("days")


def test_unconfirmed_rules_are_flagged_as_configurable_defaults():
    rule = registry.get_rule("CN", "CN-10")

    assert rule.unconfirmed
    assert "unconfirmed" in rule.status_label
    assert not registry.get_rule("CN", "CN-09").unconfirmed


def test_rule_ids_and_codes_are_matched_case_insensitively():
    assert registry.get_rule("us-ca", "ca-05").id == "CA-05"


def test_a_profile_says_whether_it_has_a_rule():
    china, uk = registry.get_profile("CN"), registry.get_profile("GB")

    assert china.has_rule("CN-02") and china.has_rule("cn-15.after_due")
    assert not uk.has_rule("CN-02") and uk.has_rule("GB-01.other")


def test_unknown_jurisdiction_and_rule_errors_name_the_field():
    with pytest.raises(UnknownJurisdiction) as no_jurisdiction:
        registry.get_profile("XX")
    with pytest.raises(UnknownRule) as no_rule:
        registry.get_rule("CN", "CN-99")

    assert no_jurisdiction.value.details == {"field": "jurisdiction"}
    assert no_rule.value.details == {"field": "rule"}


def test_an_unconfirmed_rule_period_can_be_configured(overrides):
    overrides({"CN": {"CN-10": {"days": 20}}})
    rule = registry.get_rule("CN", "CN-10")

    assert rule.period.days == 20
    assert rule.overridden


def test_a_confirmed_rule_cannot_be_configured(overrides):
    overrides({"CN": {"CN-22": {"days": 5}}})

    with pytest.raises(ProfileError, match="only U rules"):
        registry.get_profile("CN")


def test_a_rule_carries_the_parameters_its_app_reads():
    rule = registry.get_rule("CN", "SVC-21")

    assert rule.params["sum_insured_at_least"] == "5000000"
    assert rule.params["currency"] == "CNY"
    assert "heritage_building" in rule.params["special_risks"]
    assert "sum_insured_at_least = 5000000" in rule.params_text
    assert registry.get_rule("CN", "CN-22").params == {}


def test_an_unconfirmed_rule_parameter_can_be_configured_one_key_at_a_time(overrides):
    overrides({"CN": {"SVC-21": {"params": {"sum_insured_at_least": "8000000"}}}})
    rule = registry.get_rule("CN", "SVC-21")

    assert rule.params["sum_insured_at_least"] == "8000000"
    assert rule.params["currency"] == "CNY"  # the keys not overridden keep the file's value
    assert rule.overridden


def test_a_parameter_override_must_name_a_parameter_the_profile_sets(overrides):
    overrides({"CN": {"SVC-21": {"params": {"sum_insured_at_lest": "8000000"}}}})

    with pytest.raises(ProfileError, match="unknown parameters"):
        registry.get_profile("CN")


def test_a_confirmed_rule_has_no_parameters_to_configure(overrides):
    overrides({"CN": {"CN-22": {"params": {"anything": "1"}}}})

    with pytest.raises(ProfileError, match="only U rules"):
        registry.get_profile("CN")
