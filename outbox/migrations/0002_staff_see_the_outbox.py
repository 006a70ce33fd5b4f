"""Editors and Moderators see the outbox; Editors may send failed emails again."""

from django.db import migrations

from core.migration_helpers import grant

GROUPS = {"Moderators": ["view_email"], "Editors": ["view_email", "change_email"]}


def let_staff_see_the_outbox(apps, schema_editor):
    for group_name, codenames in GROUPS.items():
        grant(apps, group_name, "outbox", codenames)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("articles", "0002_categories_and_groups"),
    ]

    operations = [migrations.RunPython(let_staff_see_the_outbox, migrations.RunPython.noop)]
