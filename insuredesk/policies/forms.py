"""Forms of the premium pages: paying a premium, applying to reinstate, deciding an application.

They only read and shape input; the services decide. A service's refusal is put beside the
field it names (`refuse`), so the page shows it where the input was.
"""

from __future__ import annotations

from django import forms

from insuredesk.errors import DomainError
from insuredesk.policies.choices import (
    CUSTOMER_PAYMENT_METHODS,
    PaymentMethod,
    ReinstatementDecision,
)
from insuredesk.policies.services import MAX_REFERENCE
from insuredesk.policies.services.reinstatement import MAX_REASONS, MAX_STATEMENT


class ServiceForm(forms.Form):
    """A form whose input a service checks: the refusal goes beside the field it names."""

    def refuse(self, exc: DomainError) -> None:
        field = str(exc.details.get("field") or "")
        self.add_error(field if field in self.fields else None, exc.message)


class PaymentForm(ServiceForm):
    """Record a premium paid: which one (its due date), the amount, how and the reference.

    The amount is shown as the premium's and checked by the service, so a changed amount is
    refused beside the field rather than silently corrected.
    """

    due_date = forms.DateField(widget=forms.HiddenInput)
    amount = forms.DecimalField(max_digits=12, decimal_places=2, label="Amount")
    currency = forms.CharField(max_length=3, widget=forms.HiddenInput)
    method = forms.ChoiceField(label="Paid by")
    reference = forms.CharField(
        max_length=MAX_REFERENCE,
        label="Reference",
        help_text="The card authorisation code, the bank transfer reference or the counter slip.",
    )

    def __init__(self, *args, staff: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        methods = (
            PaymentMethod.choices
            if staff
            else [
                (value, label)
                for value, label in PaymentMethod.choices
                if value in CUSTOMER_PAYMENT_METHODS
            ]
        )
        method = self.fields["method"]
        assert isinstance(method, forms.ChoiceField)
        method.choices = methods

    @classmethod
    def for_instalment(cls, instalment, *, staff: bool = False) -> PaymentForm:
        return cls(
            initial={
                "due_date": instalment.due_date,
                "amount": instalment.amount,
                "currency": instalment.policy.currency,
            },
            staff=staff,
        )


class ReinstatementForm(ServiceForm):
    statement = forms.CharField(
        max_length=MAX_STATEMENT,
        required=False,
        label="Anything we should know",
        help_text="For life and health cover: has the insured's health changed since the "
        "policy started? We may ask for more before deciding.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StaffReinstatementForm(ReinstatementForm):
    """The same application, recorded by staff when the policyholder asks at the counter or by
    phone; the statement is what the policyholder said."""

    statement = forms.CharField(
        max_length=MAX_STATEMENT,
        required=False,
        label="The policyholder's request",
        help_text="How they asked (counter, phone, letter) and what they told us, for life and "
        "health cover above all whether the insured's health has changed since the start.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReinstatementDecisionForm(ServiceForm):
    decision = forms.ChoiceField(
        choices=[("", "Choose…"), *ReinstatementDecision.choices], label="Decision"
    )
    reasons = forms.CharField(
        max_length=MAX_REASONS,
        required=False,
        label="Reasons (required to decline; they go in the letter)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
