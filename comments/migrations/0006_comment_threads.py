"""Each comment records the first comment of its conversation, so pages hold whole threads."""

import django.db.models.deletion
from django.db import migrations, models


def fill_threads(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    parents = dict(Comment.objects.filter(parent__isnull=False).values_list("id", "parent_id"))

    def first_of(comment_id):
        seen = set()
        while comment_id in parents and comment_id not in seen:
            seen.add(comment_id)
            comment_id = parents[comment_id]
        return comment_id

    by_thread = {}
    for comment_id in parents:
        by_thread.setdefault(first_of(comment_id), []).append(comment_id)
    for thread_id, ids in by_thread.items():
        for start in range(0, len(ids), 500):
            Comment.objects.filter(id__in=ids[start : start + 500]).update(thread_id=thread_id)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_seed_reasons_and_flags"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="thread",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="comments.comment",
            ),
        ),
        migrations.RunPython(fill_threads, migrations.RunPython.noop),
    ]
