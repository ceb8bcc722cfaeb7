"""Seed the complaint category tree of the issue and the default response wording."""

from django.db import migrations

CATEGORIES = [
    ("sales", "Sales and advice", None),
    ("sales_conduct", "Sales conduct", "sales"),
    ("clause_explanation", "Clause explanation", "sales"),
    ("underwriting", "Underwriting", None),
    ("premium_billing", "Premium and billing", None),
    ("claims", "Claims", None),
    ("claims_delay", "Claims delay", "claims"),
    ("claims_amount", "Claims amount", "claims"),
    ("claims_refusal", "Claims refusal", "claims"),
    ("service", "Service", None),
    ("service_attitude", "Service attitude", "service"),
    ("system", "Systems and portal", "service"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    ResponseWording = apps.get_model("complaints", "ResponseWording")
    from insuredesk.complaints.wording import DEFAULTS

    for position, (code, name, parent) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position,
                "parent": Category.objects.get(code=parent) if parent else None,
            },
        )
    for jurisdiction, values in DEFAULTS.items():
        ResponseWording.objects.get_or_create(jurisdiction=jurisdiction, defaults=dict(values))


def unseed(apps, schema_editor):
    apps.get_model("complaints", "ResponseWording").objects.all().delete()
    Category = apps.get_model("complaints", "Category")
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
