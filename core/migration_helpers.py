"""Helpers for the data migrations that set up the staff groups.

Kept small and stable on purpose: migrations import them long after they were written.
"""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name, app_label, codenames):
    """Give the group `group_name` (made if missing) these permissions of `app_label`."""
    # Permissions are normally made after all migrations have run; groups need them now.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"No such {app_label} permissions: {sorted(missing)}")
    group.permissions.add(*permissions)
