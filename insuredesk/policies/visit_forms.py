"""Forms of the visit pages; they only shape input, the services in `visiting` decide.

A time typed into a page is read as the visit's local time (the service takes a time without
a zone as the jurisdiction's), so an agent in Shanghai arranging a London visit types London
time, as the customer will read it.
"""

from django import forms
from django.utils import timezone

from insuredesk.policies import visiting
from insuredesk.policies.choices import FollowUpAction, VisitChannel, VisitNeed, VisitOutcome
from insuredesk.policies.forms import ServiceForm


def _when(**attrs) -> forms.DateTimeField:
    return forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **attrs,
    )


def local(value):
    """The typed time without the zone Django's form gave it: the visit's local time."""
    return timezone.make_naive(value) if value is not None and timezone.is_aware(value) else value


class TimeForm(ServiceForm):
    scheduled_at = _when(label="Date and time")
    channel = forms.ChoiceField(choices=VisitChannel.choices, label="How")
    place = forms.CharField(
        max_length=visiting.MAX_PLACE,
        required=False,
        label="Where (address, phone number or video link)",
        help_text="Left empty: the address or phone number we have on file.",
    )
    note = forms.CharField(
        max_length=visiting.MAX_NOTE,
        required=False,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequestForm(TimeForm):
    policy = forms.ChoiceField(required=False, label="About policy")
    scheduled_at = _when(label="A time that suits you (optional)", required=False)
    channel = forms.ChoiceField(
        choices=[("", "—"), *VisitChannel.choices], required=False, label="How"
    )
    note = forms.CharField(
        max_length=visiting.MAX_NOTE,
        required=False,
        label="What would you like to talk about?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [("", "— no particular policy —")] + [
            (p.number, f"{p.number} · {p.product_version.product.name}") for p in policies
        ]


class DeclineForm(ServiceForm):
    reason = forms.CharField(
        max_length=visiting.MAX_NOTE,
        required=False,
        label="Why (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RatingForm(ServiceForm):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, f"{n}") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        label="How was the visit? (5 = excellent)",
    )
    comment = forms.CharField(
        max_length=visiting.MAX_COMMENT,
        required=False,
        label="Anything to tell us?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(ServiceForm):
    outcome = forms.ChoiceField(choices=VisitOutcome.choices, label="Outcome")
    visited_at = _when(label="When it took place (completed; default now)", required=False)
    notes = forms.CharField(
        max_length=visiting.MAX_NOTES,
        required=False,
        label="Notes (staff only)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needs = forms.MultipleChoiceField(
        choices=VisitNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Needs found",
    )
    scheduled_at = _when(label="New time (rescheduled)", required=False)
    channel = forms.ChoiceField(
        choices=[("", "—"), *VisitChannel.choices], required=False, label="How (rescheduled)"
    )

    def __init__(self, *args, welcome: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if welcome:  # yes or no to each point; an unticked box is a "no"
            for key, words in visiting.WELCOME_CHECKLIST.items():
                self.fields[key] = forms.BooleanField(required=False, label=words)

    def checklist(self) -> dict[str, bool] | None:
        keys = [k for k in visiting.WELCOME_CHECKLIST if k in self.fields]
        return {k: bool(self.cleaned_data.get(k)) for k in keys} or None


class FollowUpForm(ServiceForm):
    need = forms.ChoiceField(choices=VisitNeed.choices, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=FollowUpAction.choices, label="Follow up with")
    note = forms.CharField(
        max_length=visiting.MAX_NOTES,
        label="The question, complaint or task",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    desired_outcome = forms.CharField(
        max_length=2000, required=False, label="Complaint: what the customer wants"
    )
    due_on = forms.DateField(
        required=False, label="Task: due on", widget=forms.DateInput(attrs={"type": "date"})
    )
