"""Forms of the work queue."""

from django import forms

from insuredesk.customers.roles import STAFF_ROLES
from insuredesk.customers.selectors import staff_users


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=staff_users(), required=False, empty_label="— unassigned —"
    )
    reason = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users(*[r.value for r in STAFF_ROLES])
