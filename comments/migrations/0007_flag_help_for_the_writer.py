"""Flag categories gain words for the writer of a comment they hold, shown at once; the
seeded distress category gets its own, which staff can edit."""

import comments.reader_help
from django.db import migrations, models

DISTRESS = "Distress or self-harm"
HEADING = "You do not have to face this alone"
TEXT = """Thank you for telling us how you are feeling. We will read your comment soon, but if you need someone now, please do not wait for us.

- If you are in danger, or might act on these thoughts: [Call 911](tel:911)
- The 988 Suicide & Crisis Lifeline is free, private and open day and night: [Call 988](tel:988) [Text 988](sms:988) [Chat online](https://988lifeline.org/chat/)
- Our helpline can talk things through with you or your family: {helpline}"""


def seed(apps, schema_editor):
    FlagCategory = apps.get_model("comments", "FlagCategory")
    FlagCategory.objects.filter(name=DISTRESS, reader_text="").update(
        reader_heading=HEADING, reader_text=TEXT
    )


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0006_comment_threads'),
    ]

    operations = [
        migrations.AddField(
            model_name='flagcategory',
            name='reader_heading',
            field=models.CharField(blank=True, help_text='The heading of what the writer is shown, e.g. “You are not alone”.', max_length=100, verbose_name='heading for the writer'),
        ),
        migrations.AddField(
            model_name='flagcategory',
            name='reader_text',
            field=models.TextField(blank=True, help_text='Shown at once to whoever posts a comment this category holds, above their waiting comment (and to them alone), and in the email that tells them it arrived, if they asked for emails. Plain text: a blank line starts a paragraph, a line starting with “- ” is a list item, [words](tel:988) is a link to call, [words](sms:988) to text, [words](https://…) a web page, and {helpline} is the helpline number and hours from Site details. Leave empty to show nothing.', max_length=3000, validators=[comments.reader_help.validate], verbose_name='what the writer is shown'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
