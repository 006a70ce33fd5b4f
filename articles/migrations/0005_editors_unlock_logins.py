"""Editors may unlock staff accounts locked out by repeated failed logins (django-axes)."""

from django.db import migrations

from core.migration_helpers import grant

UNLOCK = ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog"]


def let_editors_unlock(apps, schema_editor):
    grant(apps, "Editors", "axes", UNLOCK)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_first_public_version"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(let_editors_unlock, migrations.RunPython.noop)]
