"""Consultations, the knowledge base, clause explanation evidence and free lectures."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from insuredesk.consultation.choices import (
    AcknowledgementMethod,
    ArticleStatus,
    Channel,
    Language,
    LectureStatus,
    MessageKind,
    Origin,
    RegistrationStatus,
    SourceRole,
)

# --- knowledge base ------------------------------------------------------------------------


class KnowledgeArticle(models.Model):
    """A question and its answer (or a plain reference passage) written and checked by staff.

    `external_id` is the id it was imported under (or given when written); API clients see it as
    the article's id, so a re-import updates the same article. Only published articles are in the
    answer index. Each change of wording is kept as an `ArticleVersion`.
    """

    external_id = models.CharField(max_length=100, unique=True)
    question = models.TextField(blank=True, help_text="Empty for a plain reference passage.")
    answer = models.TextField()
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    tags = models.JSONField(default=list, blank=True)
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="articles")
    status = models.CharField(
        max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["external_id"]
        indexes = [models.Index(fields=["status", "language"])]
        constraints = [
            models.CheckConstraint(condition=~Q(answer=""), name="article_has_an_answer"),
            models.CheckConstraint(condition=~Q(external_id=""), name="article_has_an_id"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.title}"

    @property
    def title(self) -> str:
        text = self.question or self.answer
        return text if len(text) <= 80 else text[:77] + "…"

    @property
    def passage_id(self) -> str:
        return f"article:{self.external_id}"

    def passage_text(self) -> str:
        return f"{self.question}\n{self.answer}".strip()


class ArticleVersion(models.Model):
    """One wording of an article as it was saved: the article's history."""

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.CASCADE, related_name="history")
    version = models.PositiveIntegerField()
    question = models.TextField(blank=True)
    answer = models.TextField()
    language = models.CharField(max_length=5, choices=Language.choices)
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=ArticleStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        # One row per save: a new wording (version + 1) or a step of review (same version).
        ordering = ["article", "-version", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version}"


# --- consultations -------------------------------------------------------------------------


class Consultation(models.Model):
    """A question thread: a customer or prospect asks, the engine or an agent answers.

    The status, reference and queue position live on the case. A prospect without an account is
    a customer profile without a login (name and e-mail); `guest_key_digest` lets them read the
    thread through the API with the key they were given once.
    """

    case = models.OneToOneField(
        "casework.Case", on_delete=models.PROTECT, related_name="consultation"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asker = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="consultations"
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    policy = models.ForeignKey(
        "policies.Policy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.PORTAL)
    wants_person = models.BooleanField(default=False)
    guest_key_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.case.reference


class ConsultationMessage(models.Model):
    """One message of a consultation thread: a question, or an answer with its sources."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=200, help_text="As shown: a name or 'assistant'.")
    body = models.TextField()
    automatic = models.BooleanField(default=False, help_text="Written by the answer engine.")
    confidence = models.FloatField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    promoted_to = models.ForeignKey(
        KnowledgeArticle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["consultation", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="rating_one_to_five",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(kind=MessageKind.ANSWER),
                name="only_answers_are_rated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class MessageSource(models.Model):
    """A clause or article an answer cites, or the engine suggested to the agent.

    `ref` is the answer index's passage id (`article:<id>` or
    `clause:<product>:<version>:<number>`), kept even if the article is later removed.
    """

    message = models.ForeignKey(
        ConsultationMessage, on_delete=models.CASCADE, related_name="sources"
    )
    role = models.CharField(max_length=20, choices=SourceRole.choices)
    ref = models.CharField(max_length=200)
    article = models.ForeignKey(
        KnowledgeArticle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clause = models.ForeignKey(
        "catalog.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    excerpt = models.TextField(blank=True)
    score = models.FloatField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["message", "role", "rank"]

    def __str__(self) -> str:
        return f"{self.role} {self.ref}"


# --- clause explanation evidence (CN-01…CN-03) ---------------------------------------------


class _Immutable(models.Model):
    """Evidence is written once: the insurer bears the burden of proof (CN-03, JI-II 13)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Explanation evidence is immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Explanation evidence is immutable.")


class ClauseExplanation(_Immutable):
    """Proof that clauses of a product version were explained to a customer (CN-01…CN-03).

    Who explained (an agent, or the portal's guided page for online sales), when, by which
    channel, which clause versions with the very words shown or said (`ExplainedClause`), and the
    customer's acknowledgement of each exemption clause: clicked by the signed-in customer, or a
    signed form or recording uploaded (`evidence_file`, with its SHA-256). Never changed.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="clause_explanations"
    )
    product_version = models.ForeignKey(
        "catalog.ProductVersion", on_delete=models.PROTECT, related_name="explanations"
    )
    policy = models.ForeignKey(
        "policies.Policy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clause_explanations",
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agent; empty for the portal's guided page.",
    )
    acknowledgement_method = models.CharField(max_length=20, choices=AcknowledgementMethod.choices)
    evidence_file = models.FileField(upload_to="explanations/%Y/%m/", blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)
    explained_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-explained_at", "-id"]
        indexes = [models.Index(fields=["customer", "explained_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledgement_method=AcknowledgementMethod.PORTAL)
                | ~Q(evidence_sha256=""),
                name="uploaded_acknowledgement_has_a_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.product_version_id} {self.explained_at:%Y-%m-%d}"


class ExplainedClause(_Immutable):
    """One clause version as explained: the words shown or said, and its acknowledgement."""

    explanation = models.ForeignKey(
        ClauseExplanation, on_delete=models.PROTECT, related_name="clauses"
    )
    clause = models.ForeignKey("catalog.Clause", on_delete=models.PROTECT, related_name="+")
    clause_number = models.CharField(max_length=10)
    clause_title = models.CharField(max_length=200)
    is_exemption = models.BooleanField()
    words = models.TextField(help_text="The wording, plain explanation and consequence given.")
    words_sha256 = models.CharField(max_length=64)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["explanation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["explanation", "clause"], name="clause_once_per_explanation"
            ),
            models.CheckConstraint(
                condition=Q(is_exemption=False) | Q(acknowledged_at__isnull=False),
                name="exemption_clause_acknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause_number} {self.clause_title}"


# --- free lectures -------------------------------------------------------------------------


class Lecture(models.Model):
    """A free seminar on an insurance topic, in a venue or online, with limited seats."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    speaker = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    capacity = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=LectureStatus.choices, default=LectureStatus.PUBLISHED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="lecture_has_seats"),
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_link=""), name="lecture_has_a_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"


class LectureRegistration(models.Model):
    """A seat (or a place on the waiting list) of a customer or prospect at a lecture."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lecture = models.ForeignKey(Lecture, on_delete=models.PROTECT, related_name="registrations")
    attendee = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="lecture_registrations"
    )
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    wants_follow_up = models.BooleanField(
        default=False, help_text="Asked for an agent to contact them afterwards."
    )
    registered_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    follow_up = models.ForeignKey(
        Consultation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["lecture", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lecture", "attendee"],
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="one_live_registration_per_attendee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lecture_id} {self.attendee_id} {self.status}"
