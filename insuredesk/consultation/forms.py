"""Forms of the consultation pages; they only shape input, the services decide."""

from django import forms

from insuredesk.catalog.models import Product, ProductVersion
from insuredesk.consultation.choices import AcknowledgementMethod, ArticleStatus, Channel, Language


class AskForm(forms.Form):
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    product = forms.ModelChoiceField(
        queryset=Product.objects.filter(is_published=True),
        required=False,
        to_field_name="code",
        empty_label="— any —",
    )
    language = forms.ChoiceField(choices=Language.choices, initial=Language.EN)
    ask_person = forms.BooleanField(required=False, label="I would like a person to answer")
    name = forms.CharField(max_length=200, required=False, help_text="If you have no account.")
    email = forms.EmailField(required=False, help_text="We send the answer here.")


class FollowUpForm(forms.Form):
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label="Ask a follow-up question"
    )
    ask_person = forms.BooleanField(required=False, label="I would like a person to answer")


class AgentAnswerForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), max_length=20000, label="Answer"
    )
    sources = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Article ids or clause refs you used, separated by spaces.",
    )


class ArticleForm(forms.Form):
    external_id = forms.CharField(max_length=100, label="Id")
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))
    language = forms.ChoiceField(choices=Language.choices)
    tags = forms.CharField(required=False, help_text="Separated by ;")
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.all(), required=False, to_field_name="code"
    )


class ArticleFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(choices=[("", "any status"), *ArticleStatus.choices], required=False)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or JSONL with id, question, answer, language, tags.")
    status = forms.ChoiceField(choices=ArticleStatus.choices, initial=ArticleStatus.PUBLISHED)


class LectureForm(forms.Form):
    title = forms.CharField(max_length=200)
    topic = forms.CharField(max_length=200)
    speaker = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    duration_minutes = forms.IntegerField(min_value=10, max_value=600, initial=60)
    capacity = forms.IntegerField(min_value=1, max_value=10000, initial=30)
    venue = forms.CharField(max_length=300, required=False)
    online_link = forms.URLField(required=False, assume_scheme="https")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExplanationForm(forms.Form):
    product_version = forms.ModelChoiceField(
        queryset=ProductVersion.objects.select_related("product").order_by(
            "product__name", "-version"
        )
    )
    channel = forms.ChoiceField(choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    explained_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    acknowledgement_method = forms.ChoiceField(
        choices=[c for c in AcknowledgementMethod.choices if c[0] != AcknowledgementMethod.PORTAL]
    )
    evidence_file = forms.FileField(help_text="The signed form (PDF/image) or the recording.")
    clauses = forms.CharField(required=False, help_text="Clause numbers; empty: every clause.")
    policy = forms.CharField(required=False, max_length=30)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
