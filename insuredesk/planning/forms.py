"""Forms of the risk-planning pages; they only shape input, the services decide.

A service's refusal names its field (`answers.rebuild_value`, `options[1].sum_insured`,
`annual_budget`); `ServiceForm.refuse` puts the message beside the input showing that field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from insuredesk.catalog.models import ProductVersion
from insuredesk.planning.choices import Area, ProposalStatus
from insuredesk.planning.drafting import MAX_OPTIONS, SuggestedOption
from insuredesk.planning.questions import COUNT, MAX_MONEY, MONEY, QUESTIONS, YES_NO, Question
from insuredesk.planning.services.proposals import MAX_NOTE, MAX_TEXT
from insuredesk.sales.forms import ServiceForm


def _question_field(question: Question, language: str) -> forms.Field:
    label = question.text(language)
    if question.kind == MONEY:
        return forms.DecimalField(
            max_digits=14,
            decimal_places=2,
            min_value=0,
            max_value=MAX_MONEY,
            required=False,
            label=label,
        )
    if question.kind == COUNT:
        return forms.IntegerField(
            min_value=0, max_value=question.maximum, required=False, label=label
        )
    choices = [(c.value, c.text(language)) for c in question.choices]
    widget = forms.RadioSelect if question.kind == YES_NO or len(choices) <= 3 else forms.Select
    if widget is forms.Select:
        choices = [("", "—"), *choices]
    return forms.ChoiceField(choices=choices, required=False, widget=widget, label=label)


@dataclass(frozen=True)
class AreaSection:
    """One fieldset of the risk check: an area's heading and its questions' inputs."""

    code: str
    title: str
    fields: list[tuple[forms.BoundField, str]]  # (input, "code:answer,answer" it depends on)


class RiskCheckForm(ServiceForm):
    """Every question of the risk check, worded in the customer's language, grouped by area.

    Inputs are optional here: the service decides what must be answered (a renter is not asked
    the rebuild value) and names the question it misses.
    """

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.aliases = {}
        for question in QUESTIONS:
            self.fields[question.code] = _question_field(question, language)
            self.aliases[f"answers.{question.code}"] = question.code

    def sections(self) -> list[AreaSection]:
        found = []
        for area in Area:
            rows = [
                (
                    self[q.code],
                    f"{q.asked_if[0]}:{','.join(q.asked_if[1])}" if q.asked_if else "",
                )
                for q in QUESTIONS
                if q.area == area
            ]
            found.append(AreaSection(area.value, area.label, rows))
        return found

    def answers(self) -> dict[str, Any]:
        """The answers given, for `services.assess_risks` (blank inputs left out)."""
        return {
            code: value
            for code, value in self.cleaned_data.items()
            if value is not None and value != ""
        }


def risk_check_initial(customer, *, age: int | None, cover: Mapping[str, Decimal], vehicle) -> dict:
    """What the insurer already knows: the customer's age, and the cover and car insured with
    us (the customer adds what they hold elsewhere)."""
    initial: dict[str, Any] = dict(cover)
    if age is not None:
        initial["age"] = age
    if vehicle is not None:
        initial["has_vehicle"] = "yes"
        initial["vehicle_value"] = vehicle
        initial["motor_cover"] = "comprehensive"
    return initial


class BudgetForm(ServiceForm):
    annual_budget = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        label="What if my annual budget were",
    )


class RequestProposalForm(ServiceForm):
    note = forms.CharField(
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anything we should look at especially?",
    )


class ReasonForm(ServiceForm):
    reason = forms.CharField(
        required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class DraftForm(ServiceForm):
    """The proposal's texts and up to five options; an option row with no label is unused."""

    findings = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Risk assessment findings",
        help_text="What we found and why, in words the customer understands.",
    )
    prevention_scheme = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Prevention scheme",
        help_text="What the customer can do to make a loss less likely or smaller.",
    )
    resolution_scheme = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Resolution scheme",
        help_text="How a loss would be resolved: reporting, survey, payment, what they keep.",
    )
    market_factors = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Market factors",
        help_text="Rates, reinsurance, conditions, what comparable cover costs.",
    )

    def __init__(self, *args: Any, versions: list[ProductVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = [("", "—"), *((v.product.code, v.product.name) for v in versions)]
        self.aliases = {}
        for row in range(MAX_OPTIONS):
            self.fields[f"option_{row}_label"] = forms.CharField(
                max_length=120, required=False, label="Option"
            )
            self.fields[f"option_{row}_product"] = forms.ChoiceField(
                choices=products, required=False, label="Product"
            )
            self.fields[f"option_{row}_sum_insured"] = forms.DecimalField(
                max_digits=14, decimal_places=2, min_value=0, required=False, label="Sum insured"
            )
            self.fields[f"option_{row}_term_years"] = forms.IntegerField(
                min_value=1, max_value=60, required=False, label="Term (years)"
            )
            self.fields[f"option_{row}_notes"] = forms.CharField(
                max_length=MAX_NOTE, required=False, label="Notes"
            )

    def option_rows(self) -> list[list[forms.BoundField]]:
        names = ("label", "product", "sum_insured", "term_years", "notes")
        return [[self[f"option_{row}_{n}"] for n in names] for row in range(MAX_OPTIONS)]

    def draft(self) -> dict[str, Any]:
        """The keyword arguments of `services.draft_proposal` the form holds."""
        data = self.cleaned_data
        options: list[dict[str, Any]] = []
        for row in range(MAX_OPTIONS):
            if not data.get(f"option_{row}_label"):
                continue
            index = len(options)
            for name in ("label", "product", "sum_insured", "term_years", "notes"):
                self.aliases[f"options[{index}].{name}"] = f"option_{row}_{name}"
            options.append(
                {
                    "label": data[f"option_{row}_label"],
                    "product": data[f"option_{row}_product"],
                    "sum_insured": data[f"option_{row}_sum_insured"],
                    "term_years": data[f"option_{row}_term_years"],
                    "notes": data[f"option_{row}_notes"],
                }
            )
        self.aliases["options"] = "option_0_label"
        return {
            "findings": data["findings"],
            "prevention_scheme": data["prevention_scheme"],
            "resolution_scheme": data["resolution_scheme"],
            "market_factors": data["market_factors"],
            "options": options,
        }


def draft_initial(texts: Mapping[str, str], options: list[SuggestedOption]) -> dict[str, Any]:
    initial: dict[str, Any] = dict(texts)
    for row, option in enumerate(options[:MAX_OPTIONS]):
        initial[f"option_{row}_label"] = option.label
        initial[f"option_{row}_product"] = option.product
        initial[f"option_{row}_sum_insured"] = option.sum_insured
        initial[f"option_{row}_term_years"] = option.term_years
        initial[f"option_{row}_notes"] = option.notes
    return initial


class AcceptForm(ServiceForm):
    option = forms.UUIDField(widget=forms.HiddenInput)


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "any status"), *ProposalStatus.choices], required=False
    )
