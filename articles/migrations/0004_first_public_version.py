from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("articles", "PublicVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_public_version")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
