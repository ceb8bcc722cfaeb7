"""Letters: the written notices the insurer sends, rendered once to PDF and never changed."""

import uuid

from django.conf import settings
from django.db import models

from insuredesk.errors import DomainError


class LetterImmutable(DomainError):
    """An issued letter was about to change; a correction is a new letter (`correct_letter`)."""

    code = "letter_immutable"
    status = 409


def letter_upload_to(instance: "Letter", filename: str) -> str:
    # letters/YYYY/<public id>.pdf: the year keeps folders small, the UUID keeps names unguessable.
    return f"letters/{instance.issued_at:%Y}/{instance.public_id}.pdf"


# Every field but these is the letter's content and is frozen once the row exists.
MUTABLE_FIELDS = frozenset({"superseded_by"})


class LetterQuerySet(models.QuerySet):
    """Bulk writes obey the same rule as `Letter.save()`: only `superseded_by` may change."""

    def update(self, **kwargs):
        frozen = set(kwargs) - MUTABLE_FIELDS
        if frozen:
            raise LetterImmutable(
                "An issued letter cannot be changed; issue a correction instead.",
                fields=sorted(frozen),
            )
        return super().update(**kwargs)

    def delete(self):
        raise LetterImmutable("An issued letter cannot be deleted.")


class Letter(models.Model):
    """A letter the insurer issued to a customer: a refusal notice, a decision, a final response.

    The PDF is rendered once from a template (per letter kind and jurisdiction), stored with its
    SHA-256 and the version of the template it came from, and never changes afterwards: a
    mistake is put right by a new letter that supersedes this one. `context` keeps the data the
    template was given, so the letter can be explained later without re-rendering it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    customer = models.ForeignKey(
        "customers.CustomerProfile", on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(max_length=60, help_text="Letter kind, e.g. claim_refusal.")
    jurisdiction = models.CharField(max_length=10)
    language = models.CharField(max_length=5)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=letter_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the stored PDF, hex.")
    size = models.PositiveIntegerField(help_text="Bytes of the stored PDF.")
    template_name = models.CharField(max_length=200)
    template_version = models.CharField(
        max_length=16, help_text="First 16 hex digits of the SHA-256 of the template source."
    )
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system issued the letter (e.g. the worker).",
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text="The correction that replaces this letter.",
    )
    context = models.JSONField(default=dict, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "issued_at"]),
            models.Index(fields=["case", "issued_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("id")),
                name="letter_not_superseded_by_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.issued_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        """Insert freely; on an existing row refuse any change but `superseded_by`.

        A guard on the model, not workflow: it holds whoever calls save() (admin, shell, a
        service written later), so an issued letter cannot silently drift from its PDF.
        """
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or set(update_fields) - MUTABLE_FIELDS:
                self._refuse_content_changes()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LetterImmutable("An issued letter cannot be deleted.")

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.issued_at:%Y%m%d}-{str(self.public_id)[:8]}.pdf"

    def _refuse_content_changes(self) -> None:
        names = [
            f.attname
            for f in self._meta.concrete_fields
            if f.name not in MUTABLE_FIELDS and not f.primary_key
        ]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
        if stored is None:
            return
        changed = sorted(
            name for name in names if _comparable(getattr(self, name)) != _comparable(stored[name])
        )
        if changed:
            raise LetterImmutable(
                "An issued letter cannot be changed; issue a correction instead.",
                fields=changed,
            )


def _comparable(value):
    # A FieldFile compares by name; everything else by value.
    return getattr(value, "name", value) if hasattr(value, "storage") else value
