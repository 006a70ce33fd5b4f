"""The site details (its name; staff fill in the rest), the four pages, and who edits them.

The pages' texts are a start for staff to rewrite in the admin. Contact and Privacy show
more below the text: the site details, and what the site stores and for how long.
"""

from django.conf import settings
from django.db import migrations

from core.migration_helpers import grant

PAGES = [
    (
        "about",
        "About this site",
        "Who writes this site, and why.",
        1,
        "<p>This site explains ALS research in plain words: new findings from laboratories "
        "and clinical trials, treatments and how to get them, and stories from people who "
        "live with ALS and from the families who care for them.</p>"
        "<p>Our articles are written and checked by the charity's research staff. We link "
        "to the studies we report on, under each article, so that you can read them "
        "yourself or take them to your care team.</p>"
        "<p>Nothing here is medical advice. Please talk to your own doctors before "
        "changing any treatment.</p>",
    ),
    (
        "contact",
        "Contact us",
        "How to reach the charity: helpline, email and post.",
        2,
        "<p>Questions about an article, a correction, or something you would like us to "
        "write about: we read every message, and we answer as soon as we can.</p>"
        "<p>We cannot give medical advice about a particular person; your ALS clinic "
        "can.</p>",
    ),
    (
        "privacy",
        "Privacy",
        "What this site stores about you, for how long, and how to have it erased.",
        3,
        "<p>We collect as little about you as we can, and only to run this site: to publish "
        "your comments, to send the emails you ask for, and to keep spam and abuse out.</p>"
        "<p>We never sell or share your details, and we never show your email address.</p>",
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How this site is built to work for everyone, and how to tell us when it does not.",
        4,
        "<p>Many of our readers live with ALS and use a keyboard, a switch, eye-gaze or "
        "voice control, or read on a phone. We want every part of this site to work for "
        "them.</p>"
        "<h2>What the site does</h2>"
        "<ul>"
        "<li>Everything can be reached and used with a keyboard or a switch alone, in a "
        "sensible order, and the item in focus always has a clear, thick outline.</li>"
        "<li>A “Skip to main content” link is the first stop on every page.</li>"
        "<li>Links, buttons and form fields are large enough to hit with eye-gaze, a head "
        "pointer or an unsteady hand.</li>"
        "<li>While you write a comment, your browser keeps a draft of it, so a slip, a "
        "reload or a lost connection does not lose your words.</li>"
        "<li>There are no time limits for reading or writing. A comment form stays valid "
        "for a day after the page was opened; after that it comes back with your text, "
        "ready to send again.</li>"
        "<li>Every page works without JavaScript, text can be enlarged to 200% without "
        "scrolling sideways, colours meet WCAG AA contrast, and every picture has a "
        "description.</li>"
        "<li>Nothing moves or flashes, and animation is switched off when your system asks "
        "for less motion.</li>"
        "</ul>"
        "<h2>How we check</h2>"
        "<p>Before each release, the site's tests open every kind of page in a real "
        "browser at phone and desktop widths, run automated accessibility checks (axe) on "
        "them, and use them with the keyboard alone.</p>"
        "<h2>Tell us what does not work</h2>"
        "<p>If something on this site is hard or impossible for you to use, please tell "
        "us, in whatever way suits you: the Contact page lists the helpline, email and "
        "postal address. We will fix what we can and tell you what we did.</p>",
    ),
]

EDITORS = [
    "view_sitedetails", "change_sitedetails",
    "view_page", "add_page", "change_page", "delete_page",
]  # fmt: skip


def seed(apps, schema_editor):
    SiteDetails = apps.get_model("pages", "SiteDetails")
    Page = apps.get_model("pages", "Page")
    SiteDetails.objects.get_or_create(pk=1, defaults={"name": settings.SITE_NAME})
    for slug, title, summary, position, body in PAGES:
        Page.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "summary": summary, "position": position, "body": body},
        )
    grant(apps, "Editors", "pages", EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("articles", "0002_categories_and_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
