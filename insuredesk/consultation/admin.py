"""Admin for the consultation app: articles (with the import form), lectures, and read-only
explanation evidence."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from insuredesk.consultation import services
from insuredesk.consultation.choices import ArticleStatus
from insuredesk.consultation.models import (
    ArticleVersion,
    ClauseExplanation,
    ExplainedClause,
    KnowledgeArticle,
    Lecture,
    LectureRegistration,
)
from insuredesk.consultation.services.knowledge import file_format
from insuredesk.errors import DomainError


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or JSONL with id, question, answer, language, tags.")
    status = forms.ChoiceField(choices=ArticleStatus.choices, initial=ArticleStatus.PUBLISHED)


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ("version", "status", "note", "changed_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    list_display = ["external_id", "title", "language", "status", "version", "updated_at"]
    list_filter = ["status", "language"]
    search_fields = ["external_id", "question", "answer"]
    readonly_fields = ["version", "author", "reviewer", "reviewed_at", "created_at", "updated_at"]
    filter_horizontal = ["products"]
    inlines = [ArticleVersionInline]
    change_list_template = "consultation/admin_article_changelist.html"

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="consultation_knowledgearticle_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        """The same import as `insuredesk kb import`: all or nothing, bad lines listed."""
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_articles(
                    text=upload.read().decode("utf-8-sig"),
                    fmt=file_format(upload.name),
                    actor=request.user,
                    now=timezone.now(),
                    status=form.cleaned_data["status"],
                )
            except UnicodeDecodeError:
                form.add_error("file", "The file is not UTF-8 text.")
            except services.ImportRejected as exc:
                errors = exc.errors
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    f"{result.created} created, {result.updated} "
                    f"updated, {result.unchanged} unchanged.",
                    messages.SUCCESS,
                )
                return redirect("admin:consultation_knowledgearticle_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": "Import knowledge base articles",
            "opts": self.model._meta,
        }
        return render(request, "consultation/admin_import.html", context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence: visible, never added, changed or deleted here (CN-03)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExplainedClauseInline(admin.TabularInline):
    model = ExplainedClause
    extra = 0
    can_delete = False
    fields = ("clause_number", "clause_title", "is_exemption", "acknowledged_at", "words_sha256")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClauseExplanation)
class ClauseExplanationAdmin(ReadOnlyAdmin):
    list_display = ["customer", "product_version", "channel", "explained_by", "explained_at"]
    list_filter = ["channel", "acknowledgement_method"]
    search_fields = ["customer__full_name", "customer__number", "policy__number"]
    inlines = [ExplainedClauseInline]


class RegistrationInline(admin.TabularInline):
    model = LectureRegistration
    extra = 0
    can_delete = False
    fields = ("attendee", "status", "wants_follow_up", "registered_at", "attended")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lecture)
class LectureAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "speaker", "capacity", "status"]
    list_filter = ["status"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [RegistrationInline]
