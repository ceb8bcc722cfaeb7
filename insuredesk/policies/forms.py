"""Forms of the policy pages: paying a premium, applying to reinstate, deciding an application,
surrendering a policy and recording the refund.

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
from insuredesk.policies.services.surrender import MAX_ACCOUNT, MAX_PAYMENT_REFERENCE, MAX_REASON


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


class SurrenderForm(ServiceForm):
    """The policyholder's notice to surrender: where to pay the value, and that they understand.

    Its fields' ids start `surrender_`, as the premium forms on the same page have a reason and
    a reference of their own.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "surrender_%s")
        super().__init__(*args, **kwargs)

    refund_account = forms.CharField(
        max_length=MAX_ACCOUNT,
        label="Pay the refund into",
        help_text="The bank and the account number in the policyholder's name.",
    )
    reason = forms.CharField(
        max_length=MAX_REASON,
        required=False,
        label="Why are you surrendering? (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="I understand that my cover ends today and cannot be restored, and that I get back "
        "the surrender value shown, not the premiums I paid.",
        error_messages={"required": "Tick the box to confirm that the cover ends today."},
    )


class StaffSurrenderForm(SurrenderForm):
    """The same notice, taken by staff at the counter, by letter or on a recorded call."""

    reason = forms.CharField(
        max_length=MAX_REASON,
        required=False,
        label="The policyholder's notice",
        help_text="How it came (counter, letter, recorded call) and any reason given.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="The policyholder gave this notice and was told that cover ends today and what "
        "the surrender pays.",
        error_messages={"required": "Tick the box to confirm the policyholder's notice."},
    )


class SurrenderRefundForm(ServiceForm):
    """Staff record the surrender value paid out (ids `refund_…`, beside the payment form's)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "refund_%s")
        super().__init__(*args, **kwargs)

    reference = forms.CharField(
        max_length=MAX_PAYMENT_REFERENCE,
        label="Payment reference",
        help_text="The bank transfer's reference.",
    )
    amount = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        label="Amount paid",
        help_text="Needed only where no value was worked out; otherwise it must be that value.",
    )
