"""Seed the categories and the staff groups (described in docs/staff.md, "Staff roles")."""

from django.db import migrations

from core.migration_helpers import grant

CATEGORIES = [
    ("Research", "research", "New findings from laboratories and clinical studies.", 1),
    ("Treatments", "treatments", "Approved medicines, trials and access to care.", 2),
    ("Community", "community", "Stories from people living with ALS and those who love them.", 3),
    ("Advocacy", "advocacy", "Policy, funding and how to make your voice heard.", 4),
]

GROUPS = {
    "Authors": [
        ("articles", "add_article"), ("articles", "change_article"), ("articles", "view_article"),
        ("articles", "add_image"), ("articles", "change_image"), ("articles", "view_image"),
        ("articles", "view_category"), ("articles", "add_tag"), ("articles", "view_tag"),
    ],
    "Editors": [
        ("articles", "add_article"), ("articles", "change_article"),
        ("articles", "delete_article"), ("articles", "view_article"),
        ("articles", "publish_article"),
        ("articles", "add_image"), ("articles", "change_image"),
        ("articles", "delete_image"), ("articles", "view_image"),
        ("articles", "add_category"), ("articles", "change_category"),
        ("articles", "view_category"),
        ("articles", "add_tag"), ("articles", "change_tag"), ("articles", "delete_tag"),
        ("articles", "view_tag"),
    ],
    "Moderators": [],
}  # fmt: skip


def create_categories_and_groups(apps, schema_editor):
    Category = apps.get_model("articles", "Category")
    for name, slug, description, position in CATEGORIES:
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for group_name, permissions in GROUPS.items():
        grant(apps, group_name, "articles", [codename for _, codename in permissions])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_categories_and_groups, migrations.RunPython.noop),
    ]
