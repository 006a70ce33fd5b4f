"""The public version now belongs to the page cache app; its table stays (pagecache 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_search_vector"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PublicVersion")],
            database_operations=[],
        ),
    ]
