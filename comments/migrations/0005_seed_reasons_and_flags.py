"""Seed the reasons for not publishing and the health-sensitive flag lists; grant them.

Staff edit all of it in the admin afterwards; this is a starting point, written for a
research blog whose readers live with ALS.
"""

from django.db import migrations

from core.migration_helpers import grant

REASONS = [
    (
        "Personal medical details",
        "Your comment shared personal medical details, and once something is on the web it "
        "is hard to take back. To protect your privacy we have not put it on the site. If you "
        "would like to post again without those details, you are very welcome to.",
    ),
    (
        "A question we answer privately",
        "Your question is best answered one to one, so we have not published it. A member of "
        "our staff will write to you by email.",
    ),
    (
        "Off topic",
        "Your comment is about something other than this article, so we have not published "
        "it here. Comments under each article stay close to its subject, so that readers can "
        "find what they are looking for.",
    ),
    (
        "We cannot give medical advice",
        "We cannot give medical advice, and we do not publish advice about treatment or "
        "doses: what is right for one person can harm another. Please talk to your care team "
        "(your neurologist or your ALS clinic nurse), who know your situation. Our helpline "
        "can help you find a clinic near you.",
    ),
]

PHRASES_CONTACT = """my phone number
my number is
call me on
call me at
text me on
my address is
i live at
my date of birth
date of birth
my email is
nhs number
medical record number
social security number"""

PATTERNS_CONTACT = r"""(?<![\d-])(?<!\d[.,])(?:\+\d{1,3}[\s-]?)?\(?\d{2,5}\)?[\s-]?\d{3,4}[\s-]?\d{3,6}(?![\d-]|[.,]\d)
[\w.+-]+@[\w-]+(?:\.[\w-]+)+
\b\d{1,5}\s+(?:[a-z]+\s+){1,3}(?:street|road|rd|avenue|ave|lane|boulevard|blvd|crescent|terrace)\b
\b(?:mrn|record|patient|hospital|case)\s*(?:number|no\.?|#|id)\s*:?\s*\d[\d\s-]{4,}"""

PHRASES_DOSING = """stop your medication
you should stop taking
you should stop your
don't take your
do not take your
come off your
double the dose
double your dose
increase your dose
up your dose
instead of your medication
you don't need riluzole
you do not need riluzole"""

PATTERNS_DOSING = r"""\b(?:take|taking|try|start)\s+\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|g|ml|iu|units?)\b
\b(?:stop|quit|skip|drop)\s+(?:taking\s+)?your\s+(?:riluzole|edaravone|tofersen|qalsody|radicava|relyvrio|medication|medicine|meds|pills|treatment)\b"""

PHRASES_CURES = """miracle cure
cured my als
cured his als
cured her als
reversed my als
als can be cured
als is curable
guaranteed results
buy now
order now
discount code
limited offer
stem cell clinic
100% natural cure
heavy metal detox"""

PATTERNS_CURES = r"""\b(?:buy|order|shop|purchase)\b.{0,40}(?:https?://|www\.)
\bcured\s+(?:my|his|her|their)\s+(?:\w+\s+){0,2}(?:als|mnd|motor neuron)"""

PHRASES_DISTRESS = """want to die
wish i was dead
wish i were dead
rather be dead
better off dead
end my life
ending my life
take my life
take my own life
kill myself
killing myself
suicide
suicidal
overdose
no reason to live
nothing to live for
no point going on
no point in living
tired of living
don't want to live
do not want to live
end it all
want it all to end
want it to end
can't go on like this
cannot go on like this
can't go on any more
can't do this any more
better off without me
not worth living
self-harm
want to hurt myself
say goodbye to everyone"""

CRISIS_GUIDANCE = """This comment may come from someone in distress. Do not publish it as it is, and answer the writer today.

- If anyone is in immediate danger: call 911.
- In the US, the 988 Suicide & Crisis Lifeline answers calls and texts to 988, day and night, and chats at 988lifeline.org.
- Our own helpline (edit this text under Comments › Flag categories to add its number and hours) can talk things through and connect the writer with their ALS clinic.

Answer privately with the saved reply "When things feel too much", and tell your manager."""

FLAGS = [
    ("Personal contact or identity details", PHRASES_CONTACT, PATTERNS_CONTACT, False, ""),
    ("Dosing or stop-your-medication advice", PHRASES_DOSING, PATTERNS_DOSING, False, ""),
    ("Miracle cures and sales links", PHRASES_CURES, PATTERNS_CURES, False, ""),
    ("Distress or self-harm", PHRASES_DISTRESS, "", True, CRISIS_GUIDANCE),
]

SAVED_REPLY = (
    "When things feel too much",
    "Thank you for telling us how you feel. You are not alone, and you do not have to carry "
    "this by yourself. If you are in danger right now, please call 911. You can call or text "
    "988, at any hour, to talk to someone who will listen. Our helpline is here for you and "
    "your family too, and your ALS clinic team would want to know how you are.",
)

MODERATION = [
    "view_event", "view_reason", "view_flagcategory",
    "add_reason", "change_reason",
]  # fmt: skip
EDITING = [
    *MODERATION, "delete_reason",
    "add_flagcategory", "change_flagcategory", "delete_flagcategory",
]  # fmt: skip


def seed(apps, schema_editor):
    Reason = apps.get_model("comments", "Reason")
    FlagCategory = apps.get_model("comments", "FlagCategory")
    SavedReply = apps.get_model("comments", "SavedReply")
    for position, (title, text) in enumerate(REASONS):
        Reason.objects.get_or_create(
            title=title, defaults={"email_text": text, "position": position}
        )
    for name, phrases, patterns, urgent, guidance in FLAGS:
        FlagCategory.objects.get_or_create(
            name=name,
            defaults={
                "phrases": phrases,
                "patterns": patterns,
                "is_urgent": urgent,
                "guidance": guidance,
            },
        )
    SavedReply.objects.get_or_create(title=SAVED_REPLY[0], defaults={"body": SAVED_REPLY[1]})
    grant(apps, "Moderators", "comments", MODERATION)
    grant(apps, "Editors", "comments", EDITING)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_moderation_history_flags_and_alerts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
