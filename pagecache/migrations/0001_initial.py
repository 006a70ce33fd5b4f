"""The public version moves here from the articles app: its table and row stay as they are."""

import django.utils.timezone
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the model's content type (and any permission on it) under its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="pagecache", model="publicversion").exists():
        ContentType.objects.filter(app_label="articles", model="publicversion").update(
            app_label="pagecache"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="pagecache", model="publicversion").update(
        app_label="articles"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0006_search_vector"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PublicVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.BigIntegerField(default=1)),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "next_change",
                            models.DateTimeField(
                                blank=True,
                                help_text="When the next scheduled change goes public.",
                                null=True,
                            ),
                        ),
                    ],
                    options={"db_table": "articles_publicversion"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
