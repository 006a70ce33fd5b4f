"""Summaries and captions imported before the importer turned entities into characters kept
them as written in the export ("Research &amp; care"), and pages showed them so."""

import html

from django.db import migrations


def unescape_imported(apps, schema_editor):
    Imported = apps.get_model("wordpress", "Imported")
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    for model, kind, field in ((Article, "post", "summary"), (Image, "attachment", "caption")):
        ids = Imported.objects.filter(kind=kind).values_list("object_id", flat=True)
        for row in model.objects.filter(pk__in=list(ids), **{f"{field}__contains": "&"}):
            plain = html.unescape(getattr(row, field))
            if plain != getattr(row, field):
                model.objects.filter(pk=row.pk).update(**{field: plain})


class Migration(migrations.Migration):
    dependencies = [
        ("wordpress", "0001_initial"),
        ("articles", "0013_revisions"),
    ]

    operations = [migrations.RunPython(unescape_imported, migrations.RunPython.noop)]
