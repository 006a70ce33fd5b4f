"""Editors may unlock staff accounts locked out by repeated failed logins (django-axes)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

UNLOCK = ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog"]


def let_editors_unlock(apps, schema_editor):
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=UNLOCK)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_first_public_version"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(let_editors_unlock, migrations.RunPython.noop)]
