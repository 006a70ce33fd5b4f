"""Give the staff groups their comment permissions (see docs/staff.md, "Staff roles")."""

from django.db import migrations

from core.migration_helpers import grant

MODERATION = [
    "view_comment", "change_comment", "moderate_comment",
    "add_savedreply", "change_savedreply", "delete_savedreply", "view_savedreply",
    "add_blockedword", "change_blockedword", "delete_blockedword", "view_blockedword",
]  # fmt: skip
GROUPS = {"Moderators": MODERATION, "Editors": [*MODERATION, "delete_comment"]}


def grant_comment_permissions(apps, schema_editor):
    for group_name, codenames in GROUPS.items():
        grant(apps, group_name, "comments", codenames)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_categories_and_groups"),
    ]

    operations = [
        migrations.RunPython(grant_comment_permissions, migrations.RunPython.noop),
    ]
