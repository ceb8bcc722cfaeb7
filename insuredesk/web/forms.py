"""Forms of the web shell: sign-up."""

from django import forms
from django.conf import settings

from insuredesk.rules.registry import profiles


class RegistrationForm(forms.Form):
    username = forms.CharField(max_length=150)
    full_name = forms.CharField(max_length=200, label="Full name")
    email = forms.EmailField(label="E-mail")
    phone = forms.CharField(max_length=40, required=False)
    jurisdiction = forms.ChoiceField(
        required=False,  # not sent: the installation's default
        label="Where you live",
        help_text="Decides the products we can sell you and the law your cases follow.",
    )
    date_of_birth = forms.DateField(
        required=False, label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        widget=forms.PasswordInput, strip=False, label="Password again"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["jurisdiction"]
        field.choices = [(p.code, p.name) for p in profiles()]
        field.initial = settings.INSUREDESK["DEFAULT_JURISDICTION"]

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data
