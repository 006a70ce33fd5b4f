"""Health-sensitive flags: what the seeded lists catch, what they leave alone, urgent alerts."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from comments import flags, phrases
from comments.models import Comment, Event, FlagCategory, ModeratorSettings
from pages.models import SiteDetails
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db

CONTACT = "Personal contact or identity details"
DOSING = "Dosing or stop-your-medication advice"
CURES = "Miracle cures and sales links"
DISTRESS = "Distress or self-harm"

MUST_MATCH = [
    ("You can call me on 918-555-0142 any evening.", CONTACT),
    ("Ring +44 7700 900123 and ask for Jo.", CONTACT),
    ("Write to me at jo.bloggs+als@example.com please", CONTACT),
    ("We live at 42 Maple Grove Road, come by.", CONTACT),
    ("His hospital number: 4417 2291 is on the letter.", CONTACT),
    ("My date of birth is in the file.", CONTACT),
    ("Honestly, you should stop taking riluzole, it did nothing for me.", DOSING),
    ("Stop your riluzole and take this instead.", DOSING),
    ("My neurologist said to take 50 mg twice a day.", DOSING),
    ("You should double the dose if it stops working.", DOSING),
    ("This miracle cure reversed my symptoms.", CURES),
    ("Buy the drops here: https://example.com/drops", CURES),
    ("Turmeric cured his ALS in three months.", CURES),
    ("Some days I want to die.", DISTRESS),
    ("I can’t go on like this any more.", DISTRESS),  # a phone's curly apostrophe
    ("Everyone would be better off without me.", DISTRESS),
    ("I have been thinking about suicide.", DISTRESS),
    ("I don't want to live like this anymore.", DISTRESS),
    ("Some days I just want it all to end.", DISTRESS),
    ("I am tired of living with this body.", DISTRESS),
    ("There is no point going on.", DISTRESS),
    ("I have saved up pills for an overdose.", DISTRESS),
    ("I want to end it all.", DISTRESS),
    ("Call me on 617 555 0199 tonight.", CONTACT),
]

MUST_NOT_MATCH = [
    "Thank you for this clear article about tofersen.",
    "The trial followed 7 people for more than two years.",
    "Progression was about 52% slower than expected in 2024.",
    "My mother was diagnosed in 2019 and still paints every day.",
    "Is there a trial near Chicago for SOD1-ALS?",
    "We will never stop hoping, and we will never give up.",
    "The study dose was chosen by the company, as the article says.",
    "I died laughing at the cartoon in the newsletter.",
    "Our support group meets on the 3rd Tuesday at 7 pm.",
    "There is still no cure for ALS, which is why this research matters.",
    "Researchers hope one day to reverse ALS damage to nerves.",
    "I hurt myself falling in the kitchen last week.",
    "We can't go on holiday this year, but we are fine.",
    "He had to stop taking riluzole because of nausea.",
    "People in the placebo arm stop treatment at week 12.",
    "At 10 am Dr Jones will talk about the trial.",
    "After 6 months the way forward was clearer.",
    "12 people came close to the target.",
    "Doses went up in steps: 0.5 1.0 1.5 2.0 2.5 mg.",
    "The book is ISBN 978-0-12-345678-9.",
    "The clinic is a 10 minute drive from the station.",
]


@pytest.mark.parametrize(("text", "category"), MUST_MATCH)
def test_the_seeded_lists_catch_what_they_are_for(text, category):
    assert category in [found.name for found in flags.matching(text)]


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_ordinary_sentences_raise_no_flag(text):
    assert flags.matching(text) == []


def test_an_invalid_pattern_is_refused_with_a_message_when_saved():
    category = FlagCategory(name="Test", patterns="fine\n(unclosed")
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert "“(unclosed” is not a valid regular expression" in str(error.value.message_dict)


def test_a_slow_pattern_is_cut_short_and_holds_the_comment_for_a_person(monkeypatch):
    monkeypatch.setattr(phrases, "PATTERN_SECONDS", 0.01)
    category = FlagCategory(name="Slow", patterns=r"(a|aa)+$")
    assert flags.matching("a" * 40 + "b", [category]) == [category]


def test_a_flagged_comment_is_held_with_a_reason_naming_the_category(client, no_flood_wait):
    article = make_article()
    author = make_comment(article, email="known@example.com")  # a known commenter
    assert author.status == Comment.Status.APPROVED
    client.post(
        post_url(article),
        form_data(
            article, email="known@example.com", body="You should stop taking riluzole, honestly."
        ),
    )
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.PENDING  # not approved, and not rejected
    assert f"Health-sensitive: {DOSING}" in comment.held_reasons
    assert comment.flags == [DOSING]
    assert not comment.is_urgent
    assert Event.objects.get(comment=comment).kind == Event.Kind.FLAGGED


def test_a_distress_comment_is_urgent_and_reaches_every_moderator_at_once(client, deliver):
    make_user(group="Moderators", email="each@example.org")
    daily = make_user(group="Moderators", email="daily@example.org")
    ModeratorSettings.objects.create(user=daily, alerts=ModeratorSettings.Alerts.DAILY)
    article = make_article()
    client.post(post_url(article), form_data(article, body="Some nights I want to die."))
    comment = Comment.objects.latest("pk")
    assert comment.is_urgent
    assert f"Urgent, health-sensitive: {DISTRESS}" in comment.held_reasons
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == ["daily@example.org", "each@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("Urgent: a comment needs you today")
    assert "988" in message.body  # the crisis guidance travels with it


def test_moderators_on_the_daily_digest_get_no_email_for_an_ordinary_comment(client, deliver):
    each = make_user(group="Moderators", email="each@example.org")
    daily = make_user(group="Moderators", email="daily@example.org")
    urgent_only = make_user(group="Moderators", email="urgent@example.org")
    ModeratorSettings.objects.create(user=daily, alerts=ModeratorSettings.Alerts.DAILY)
    ModeratorSettings.objects.create(user=urgent_only, alerts=ModeratorSettings.Alerts.URGENT)
    article = make_article()
    client.post(post_url(article), form_data(article))
    deliver()
    assert [m.to for m in mail.outbox] == [[each.email]]


def test_the_comment_page_in_the_admin_shows_the_crisis_guidance(client):
    article = make_article()
    moderator = make_user(group="Moderators")
    client.force_login(moderator)
    comment = make_comment(article, status=Comment.Status.PENDING, flags=[DISTRESS], is_urgent=True)
    page = client.get(comment.get_admin_url()).content.decode()
    assert 'class="crisis-guidance"' in page
    assert "988 Suicide &amp; Crisis Lifeline" in page


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("How can my father join the trial?", True),
        ("Thanks. Where is the nearest clinic", True),
        ("is this available in Canada", True),
        ("Thank you for the update.", False),
        ("This is wonderful news for our family.", False),
        ("Can't thank you enough for this.", False),
        ("May God bless the researchers.", False),
        ("What a wonderful article.", False),
        ("Will be following this closely.", False),
        ("Anyone reading this: keep going.", False),
        ("Does anyone know a clinic in Leeds", True),
    ],
)
def test_questions_are_told_from_statements(text, asks):
    assert flags.asks_a_question(text) is asks


def test_the_crisis_guidance_names_the_charitys_own_helpline_for_staff_too(client, deliver):
    # Moderators cannot edit flag categories: the guidance must not ask them to type the
    # helpline in, but name it from the site details, on the page and in their email.
    details = SiteDetails.load()
    details.helpline, details.helpline_hours = "+1 617 555 0142", "weekdays 9am to 5pm"
    details.save()
    moderator = make_user(group="Moderators", email="each@example.org")
    article = make_article()
    client.post(post_url(article), form_data(article, body="Some nights I want to die."))
    deliver()
    (message,) = mail.outbox
    client.force_login(moderator)
    page = client.get(Comment.objects.latest("pk").get_admin_url()).content.decode()
    guidance = page[page.index('class="crisis-guidance"') :]
    guidance = guidance[: guidance.index("</section>")]
    for shown in (message.body, guidance):
        assert "+1 617 555 0142 (weekdays 9am to 5pm)" in shown or (
            "+1 617 555 0142</a> (weekdays 9am to 5pm)" in shown
        )
        assert "edit this text" not in shown and "{helpline}" not in shown
    assert "<li>" in guidance  # its "- " lines, a list
