"""Forms of the application pages; they only shape input, the services decide.

A service's refusal names the field it is about (`sum_insured`, `declarations.smoker.details`,
`rating_inputs.vehicle_value`); `ServiceForm.refuse` puts its message beside the input that
shows that field, or on top of the form when no input does (a 409, a 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from insuredesk.catalog.models import ProductVersion
from insuredesk.catalog.rating import METHOD_INPUTS
from insuredesk.errors import DomainError
from insuredesk.policies.choices import BeneficiaryRelation, PremiumFrequency
from insuredesk.policies.services import PERSONAL_LINES
from insuredesk.sales.choices import ApplicationStatus, Decision, SalesChannel
from insuredesk.sales.questions import Question, questions_for
from insuredesk.sales.services import MAX_DETAILS, MAX_REASONS

YES_NO = [("yes", "Yes"), ("no", "No")]
ANSWERS = {"yes": True, "no": False}
STAFF_CHANNELS = [c for c in SalesChannel.choices if c[0] != SalesChannel.ONLINE]
BENEFICIARY_ROWS = 3  # life and health cover: up to this many named on the form (more by API)

# The rating inputs a product's method asks for besides the insured's age (catalog.rating).
RATING_LABELS = {
    "vehicle_value": "Value of the vehicle",
    "driver_age": "Age of the main driver",
    "claim_free_years": "Years without a claim",
    "violation_points": "Violation points in the last 3 years (an at-fault accident counts one)",
    "at_fault_injury_accidents": (
        "Accidents in the last 3 years, mainly your fault, in which someone was hurt or killed"
    ),
    "annual_miles": "Miles the car is driven a year",
    "years_licensed": "Years you have held a driver's license",
    "building_value": "Rebuilding value of the building",
    "construction": "Construction of the building",
    "contents_value": "Value of the contents",
}

# Whole-number rating inputs whose plausible range is not that of an age or a count of years.
COUNT_MAXIMA = {"annual_miles": 200_000}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def rating_keys(version: ProductVersion) -> list[str]:
    """What the version's rating method needs typed in (the age comes from the birth date)."""
    return [k for k in METHOD_INPUTS.get(version.rating_method, ()) if k != "age"]


def _rating_field(version: ProductVersion, key: str) -> forms.Field:
    """Optional here: the rating says what it needs (`rating_inputs.<key>`)."""
    label = RATING_LABELS.get(key, key.replace("_", " ").capitalize())
    if key == "construction":
        classes = version.rating_table.get("construction_per_mille", {})
        choices = [("", "—"), *((c, c.replace("_", " ")) for c in classes)]
        return forms.ChoiceField(choices=choices, required=False, label=label)
    if key.endswith("_value"):
        return forms.DecimalField(
            max_digits=14,
            decimal_places=2,
            min_value=0,
            required=False,
            label=f"{label} ({version.currency})",
        )
    return forms.IntegerField(
        min_value=0, max_value=COUNT_MAXIMA.get(key, 120), required=False, label=label
    )


def _term_field(options: list[int]) -> forms.Field:
    """The terms the version offers; any whole number of years when it names none."""
    if not options:
        return forms.IntegerField(min_value=1, max_value=60, label="Term (years)")
    choices = [(n, f"{n} year{'s' if n != 1 else ''}") for n in options]
    return forms.TypedChoiceField(coerce=int, choices=choices, label="Term")


def _rating_value(value: Any) -> Any:
    """As kept on the application (JSON): amounts as exact strings."""
    return str(value) if isinstance(value, Decimal) else value


class ServiceForm(forms.Form):
    """A form whose input a service checks: the refusal goes beside the field it names."""

    aliases: dict[str, str] = {}  # the service's field name -> the form's, where they differ

    def refuse(self, exc: DomainError) -> None:
        field = str(exc.details.get("field") or "")
        name = self.aliases.get(field, field)
        self.add_error(name if name in self.fields else None, exc.message)


@dataclass(frozen=True)
class BeneficiaryRow:
    """One beneficiary's inputs: name, relation to the insured, share of the benefit."""

    name: forms.BoundField
    relation: forms.BoundField
    share: forms.BoundField


@dataclass(frozen=True)
class DeclarationRow:
    """One question of the form: its yes/no input and its details input."""

    code: str
    answer: forms.BoundField
    details: forms.BoundField


class ApplicationForm(ServiceForm):
    """Apply for a product version: the terms, the rating inputs its method needs, and a yes or
    no to every question of its line (a "yes" with details), worded in the applicant's language.
    """

    insured_name = forms.CharField(max_length=200, label="Name of the insured")
    insured_date_of_birth = forms.DateField(
        required=False, label="The insured's date of birth", widget=_date_input()
    )
    sum_insured = forms.DecimalField(max_digits=14, decimal_places=2, label="Sum insured")
    term_years = forms.IntegerField(label="Term")  # the version's own choices: `_term_field`
    start_date = forms.DateField(label="Cover starts on", widget=_date_input())
    premium_frequency = forms.ChoiceField(
        choices=PremiumFrequency.choices, initial=PremiumFrequency.ANNUAL, label="Premiums paid"
    )

    def __init__(self, *args: Any, version: ProductVersion, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.questions: tuple[Question, ...] = questions_for(version.product.line)
        self.rating_keys = rating_keys(version)
        self.aliases = {}
        self._terms(version)
        for key in self.rating_keys:
            self.fields[f"rating_{key}"] = _rating_field(version, key)
            self.aliases[f"rating_inputs.{key}"] = f"rating_{key}"
        for question in self.questions:
            self._question(question, language)
        self.beneficiary_count = BENEFICIARY_ROWS if version.product.line in PERSONAL_LINES else 0
        for row in range(self.beneficiary_count):
            self._beneficiary(row)

    def _beneficiary(self, row: int) -> None:
        self.fields[f"beneficiary_{row}_name"] = forms.CharField(
            max_length=200, required=False, label="Full name"
        )
        self.fields[f"beneficiary_{row}_relation"] = forms.ChoiceField(
            choices=BeneficiaryRelation.choices,
            initial=BeneficiaryRelation.SPOUSE,
            required=False,
            label="Relation to the insured",
        )
        self.fields[f"beneficiary_{row}_share"] = forms.DecimalField(
            max_digits=5,
            decimal_places=2,
            required=False,
            label="Share (%)",
            help_text="The shares add up to 100; one person alone takes 100.",
        )

    def _terms(self, version: ProductVersion) -> None:
        self.fields["sum_insured"].label = f"Sum insured ({version.currency})"
        coverage = next(iter(version.coverages.all()), None)
        if coverage is not None:
            self.fields["sum_insured"].help_text = (
                f"{coverage.name}: {coverage.sum_insured_min:,.0f} to "
                f"{coverage.sum_insured_max:,.0f} {version.currency}."
            )
        self.fields["term_years"] = _term_field(version.term_years_options)

    def _question(self, question: Question, language: str) -> None:
        self.fields[f"answer_{question.code}"] = forms.ChoiceField(
            choices=YES_NO, required=False, widget=forms.RadioSelect, label=question.text(language)
        )
        self.fields[f"details_{question.code}"] = forms.CharField(
            required=False,
            max_length=MAX_DETAILS,
            widget=forms.Textarea(attrs={"rows": 2}),
            label="If yes: what, when, and the treatment",
        )
        self.aliases[f"declarations.{question.code}"] = f"answer_{question.code}"
        self.aliases[f"declarations.{question.code}.details"] = f"details_{question.code}"

    def term_fields(self) -> list[forms.BoundField]:
        """The inputs of the cover itself, in the order shown: everything but the questions."""
        return [
            self[name]
            for name in self.fields
            if not name.startswith(("answer_", "details_", "beneficiary_"))
        ]

    def beneficiary_rows(self) -> list[BeneficiaryRow]:
        return [
            BeneficiaryRow(
                self[f"beneficiary_{row}_name"],
                self[f"beneficiary_{row}_relation"],
                self[f"beneficiary_{row}_share"],
            )
            for row in range(self.beneficiary_count)
        ]

    def _beneficiaries(self) -> list[dict[str, Any]]:
        """The rows with a name, in order; the service's `beneficiaries[k]` errors are shown
        beside the row they came from, and a total other than 100 beside the first share."""
        data = self.cleaned_data
        named = [r for r in range(self.beneficiary_count) if data.get(f"beneficiary_{r}_name")]
        people = []
        for k, row in enumerate(named):
            share = data.get(f"beneficiary_{row}_share")
            people.append(
                {
                    "full_name": data[f"beneficiary_{row}_name"],
                    "relation": data[f"beneficiary_{row}_relation"],
                    "share_percent": share if share is not None else Decimal("100"),
                }
            )
            self.aliases[f"beneficiaries[{k}].full_name"] = f"beneficiary_{row}_name"
            self.aliases[f"beneficiaries[{k}].relation"] = f"beneficiary_{row}_relation"
            self.aliases[f"beneficiaries[{k}].share_percent"] = f"beneficiary_{row}_share"
        if named:
            self.aliases["beneficiaries"] = f"beneficiary_{named[0]}_share"
        return people

    def declaration_rows(self) -> list[DeclarationRow]:
        return [
            DeclarationRow(q.code, self[f"answer_{q.code}"], self[f"details_{q.code}"])
            for q in self.questions
        ]

    def application(self) -> dict[str, Any]:
        """The keyword arguments of `services.submit_application` the form holds."""
        data = self.cleaned_data
        return {
            "product": self.version.product.code,
            "insured_name": data["insured_name"],
            "insured_date_of_birth": data["insured_date_of_birth"],
            "sum_insured": data["sum_insured"],
            "term_years": data["term_years"],
            "start_date": data["start_date"],
            "premium_frequency": data["premium_frequency"],
            "rating_inputs": {
                key: _rating_value(data[f"rating_{key}"])
                for key in self.rating_keys
                if data.get(f"rating_{key}") not in (None, "")
            },
            "declarations": {
                q.code: {
                    "answer": ANSWERS.get(data[f"answer_{q.code}"]),
                    "details": data[f"details_{q.code}"],
                }
                for q in self.questions
            },
            "beneficiaries": self._beneficiaries(),
        }


class StaffApplicationForm(ApplicationForm):
    """Staff who sell apply with the customer, saying how the customer came to apply."""

    channel = forms.ChoiceField(choices=STAFF_CHANNELS, label="How the customer applies")
    field_order = ["channel"]

    def application(self) -> dict[str, Any]:
        return {**super().application(), "channel": self.cleaned_data["channel"]}


class DecisionForm(ServiceForm):
    decision = forms.ChoiceField(choices=[("", "— choose —"), *Decision.choices])
    loading_percent = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=300,
        label="Extra premium (%)",
        help_text="Only when accepting with an extra premium: 1 to 300.",
    )
    postponed_until = forms.DateField(
        required=False,
        widget=_date_input(),
        label="May apply again from",
        help_text="Only for a postponement.",
    )
    reasons = forms.CharField(
        required=False,
        max_length=MAX_REASONS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Quoted to the applicant; needed for anything but standard terms.",
    )

    def decision_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "loading_percent": data["loading_percent"] or 0,
            "postponed_until": data["postponed_until"],
            "reasons": data["reasons"],
        }


class ExamForm(ServiceForm):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (the applicant is told)",
    )
    tests = forms.CharField(max_length=300, help_text="e.g. blood panel, ECG, BMI.")
    clinic = forms.CharField(max_length=200)
    appointment_at = forms.DateTimeField(
        required=False,
        label="Appointment",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ExamResultForm(ServiceForm):
    summary = forms.CharField(
        max_length=MAX_REASONS, widget=forms.Textarea(attrs={"rows": 3}), label="The result"
    )
    cost = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        initial=0,
        label="What the clinic charged us",
        help_text="Ours to pay: never charged to the applicant.",
    )
    result_file = forms.FileField(required=False, label="The clinic's report (optional)")


class RecordingForm(ServiceForm):
    recording = forms.FileField(required=False, label="Audio or video recording of the sale")
    consent = forms.BooleanField(required=False, label="The applicant agreed to be recorded")


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "any status"), *ApplicationStatus.choices], required=False
    )
