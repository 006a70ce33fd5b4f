"""The seeded crisis guidance for moderators names the charity's helpline from the site
details ({helpline}), as the writer's help does, instead of asking staff to type it in.
Only the seeded text is changed: guidance a member of staff has written stays as it is."""

from django.db import migrations

OLD_LINE = (
    "- Our own helpline (edit this text under Comments › Flag categories to add its number "
    "and hours) can talk things through and connect the writer with their ALS clinic."
)
NEW_LINE = (
    "- Our own helpline, {helpline}, can talk things through and connect the writer with "
    "their ALS clinic."
)


def name_the_helpline(apps, schema_editor):
    FlagCategory = apps.get_model("comments", "FlagCategory")
    for category in FlagCategory.objects.filter(guidance__contains=OLD_LINE):
        category.guidance = category.guidance.replace(OLD_LINE, NEW_LINE)
        category.save(update_fields=["guidance"])


def ask_again(apps, schema_editor):
    FlagCategory = apps.get_model("comments", "FlagCategory")
    for category in FlagCategory.objects.filter(guidance__contains=NEW_LINE):
        category.guidance = category.guidance.replace(NEW_LINE, OLD_LINE)
        category.save(update_fields=["guidance"])


class Migration(migrations.Migration):
    dependencies = [("comments", "0008_writer_shown_help")]

    operations = [migrations.RunPython(name_the_helpline, ask_again)]
