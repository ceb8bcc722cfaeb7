from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("casework", "ChainHead").objects.get_or_create(pk=1)


def remove_head(apps, schema_editor):
    apps.get_model("casework", "ChainHead").objects.filter(pk=1, sequence=0).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(create_head, remove_head)]
