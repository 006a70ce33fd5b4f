"""Give the staff groups their comment permissions (see the README's "Staff roles")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATION = [
    "view_comment", "change_comment", "moderate_comment",
    "add_savedreply", "change_savedreply", "delete_savedreply", "view_savedreply",
    "add_blockedword", "change_blockedword", "delete_blockedword", "view_blockedword",
]  # fmt: skip
GROUPS = {"Moderators": MODERATION, "Editors": [*MODERATION, "delete_comment"]}


def grant_comment_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_categories_and_groups"),
    ]

    operations = [
        migrations.RunPython(grant_comment_permissions, migrations.RunPython.noop),
    ]
