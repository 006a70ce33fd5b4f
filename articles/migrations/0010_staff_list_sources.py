"""Authors and Editors list an article's sources, as they write the article itself."""

from django.db import migrations

from core.migration_helpers import grant

SOURCES = ["add_source", "change_source", "delete_source", "view_source"]


def let_staff_list_sources(apps, schema_editor):
    for group in ("Authors", "Editors"):
        grant(apps, group, "articles", SOURCES)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_article_sources"),
        ("articles", "0002_categories_and_groups"),
    ]

    operations = [migrations.RunPython(let_staff_list_sources, migrations.RunPython.noop)]
