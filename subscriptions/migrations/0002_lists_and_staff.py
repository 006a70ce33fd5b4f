"""The two lists the site offers, and what Editors may do with subscriptions."""

from django.db import migrations

from core.migration_helpers import grant

LISTS = [
    ("Research Matters", "research-matters",
     "our monthly newsletter on ALS research and treatments", False, 1),
    ("Weekly blog digest", "weekly-digest",
     "an email each week with the new articles on this site", True, 2),
]  # fmt: skip
EDITORS = [
    "view_mailinglist", "add_mailinglist", "change_mailinglist",
    "view_subscriber", "delete_subscriber",
    "view_edition", "add_edition", "change_edition", "delete_edition",
]  # fmt: skip


def create_lists_and_grant(apps, schema_editor):
    MailingList = apps.get_model("subscriptions", "MailingList")
    for name, slug, description, is_digest, position in LISTS:
        MailingList.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "is_digest": is_digest,
                "position": position,
            },
        )
    grant(apps, "Editors", "subscriptions", EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("articles", "0002_categories_and_groups"),
    ]

    operations = [migrations.RunPython(create_lists_and_grant, migrations.RunPython.noop)]
