"""A reader in distress is helped the moment they post: the words the distress category holds
for its writer, on their page, above their waiting comment, and in their inbox if they asked.

Nobody else ever sees that help or the comment; nothing is rejected automatically.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.html import escape

from comments import reader_help, rules
from comments.models import Comment, FlagCategory
from pagecache import serving
from pages import editing
from pages.models import SiteDetails
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db

DISTRESS_TEXT = "I look after my wife all day and night. Everyone would be better off without me."
HELPLINE = "+1 617 555 0142"
HOURS = "Monday to Friday, 9 am to 5 pm Eastern time"


@pytest.fixture
def article():
    return make_article(title="Caring at home")


@pytest.fixture
def helpline():
    details = SiteDetails.load()
    details.helpline, details.helpline_hours = HELPLINE, HOURS
    return editing.save_details(details)


@pytest.fixture
def moderator():
    return make_user(group="Moderators", email="moderator@example.org")


def distress():
    return FlagCategory.objects.get(name="Distress or self-harm")


def post(client, article, **fields):
    return client.post(post_url(article), form_data(article, **fields), follow=True)


def help_panel(response):
    """The help panel's HTML in a page, or "" when it has none."""
    html = response.content.decode()
    start = html.find('<section class="help-now"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


# What the seeded text says, and how it is written out.


def test_the_seeded_distress_text_names_911_988_by_call_text_and_chat_and_the_helpline(
    helpline,
):
    category = distress()
    shown = reader_help.render(category.reader_heading, category.reader_text, helpline)
    assert shown.heading == "You do not have to face this alone"
    assert '<a href="tel:911">Call 911</a>' in shown.html
    assert '<a href="tel:988">Call 988</a>' in shown.html
    assert '<a href="sms:988">Text 988</a>' in shown.html
    assert 'href="https://988lifeline.org/chat/"' in shown.html
    assert f'<a href="tel:+16175550142">{HELPLINE}</a> ({HOURS})' in shown.html
    # The email's plain text: every way to reach someone, written out.
    assert "Call 911" in shown.text and "Text 988" in shown.text
    assert "Chat online (https://988lifeline.org/chat/)" in shown.text
    assert f"{HELPLINE} ({HOURS})" in shown.text
    assert "[" not in shown.text and "{helpline}" not in shown.text


def test_without_a_helpline_in_the_site_details_its_line_is_left_out():
    details = SiteDetails.load()
    assert not details.helpline
    category = distress()
    shown = reader_help.render(category.reader_heading, category.reader_text, details)
    assert "helpline" not in shown.html and "helpline" not in shown.text
    assert '<a href="tel:988">Call 988</a>' in shown.html


def test_the_words_are_escaped_and_only_the_links_made_here_are_html(helpline):
    shown = reader_help.render(
        "<b>Hi</b>",
        'Fish & chips <script>alert(1)</script> [x](https://a.example/?q="<i>")',
        helpline,
    )
    assert "<script>" not in shown.html and "&lt;script&gt;" in shown.html
    assert "Fish &amp; chips" in shown.html
    assert 'href="https://a.example/?q=&quot;&lt;i&gt;&quot;"' in shown.html


def test_paragraphs_and_lists_follow_blank_lines_and_dashes(helpline):
    shown = reader_help.render("", "One.\nStill one.\n\n- First\n- Second\n\nLast.", helpline)
    assert shown.html == (
        "<p>One.<br>Still one.</p><ul><li>First</li><li>Second</li></ul><p>Last.</p>"
    )
    assert shown.text == "One.\nStill one.\n\n- First\n- Second\n\nLast."


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[call](javascript:alert(1))", "is not an address a reader can open"),
        ("[call](988)", "is not an address a reader can open"),
        ("[call](tel:now)", "is not a phone number"),
        ("Call {hotline} now", "is not something the site can fill in"),
        ("[x](http://example.org)", "is not an address a reader can open"),
        ("[x](mailto:)", "is not a whole address"),
        ("[Chat online](https://988lifeline.org/chat/", "is not written as [words](address)"),
        ("[Call 988] (tel:988)", "is not written as [words](address)"),
    ],
)
def test_staff_are_told_what_is_wrong_with_the_words_before_they_are_saved(text, problem):
    category = distress()
    category.reader_text = text
    with pytest.raises(ValidationError) as raised:
        category.full_clean()
    assert problem in " ".join(raised.value.message_dict["reader_text"])


def test_a_phone_number_with_spaces_and_a_page_with_brackets_become_links(helpline):
    shown = reader_help.render(
        "",
        "[Call our nurse](tel:+1 617 555 0100) or read [about ALS](https://example.org/ALS_(x))",
        helpline,
    )
    assert '<a href="tel:+16175550100">Call our nurse</a>' in shown.html
    assert '<a href="https://example.org/ALS_(x)" rel="noopener">about ALS</a>' in shown.html
    assert "Call our nurse (+1 617 555 0100)" in shown.text
    assert reader_help.problems("[Call our nurse](tel:+1 617 555 0100)") == []


def test_a_link_that_slipped_past_the_checks_is_shown_as_text_never_as_a_link(helpline):
    shown = reader_help.render("", "[call](javascript:alert(1))", helpline)
    assert "<a" not in shown.html and "javascript:alert(1)" in shown.html


# On the page: the writer alone, at once, above their waiting comment.


def test_a_distress_comment_is_held_and_its_writer_sees_the_help_above_it_at_once(
    client, article, helpline, no_flood_wait
):
    response = post(client, article, body=DISTRESS_TEXT)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.is_urgent  # nothing rejected
    panel = help_panel(response)
    assert "You do not have to face this alone" in panel
    assert 'href="tel:911"' in panel and 'href="tel:988"' in panel and 'href="sms:988"' in panel
    assert HELPLINE in panel and HOURS in panel
    html = response.content.decode()
    # Above the comment, inside its place in the list, so the link to it lands on the help.
    assert html.index(f'id="comment-{comment.pk}"') < html.index('class="help-now"')
    assert html.index('class="help-now"') < html.index(DISTRESS_TEXT)
    assert f'id="help-now-{comment.pk}"' in panel and 'tabindex="-1"' in panel
    assert f'aria-describedby="help-now-{comment.pk}-text-1"' in panel


def test_nobody_else_sees_the_help_or_the_comment(client, article, helpline, no_flood_wait):
    post(client, article, body=DISTRESS_TEXT)
    for visitor in (Client(), Client()):
        page = visitor.get(article.get_absolute_url())
        assert help_panel(page) == ""
        assert DISTRESS_TEXT not in page.content.decode()
    comment = Comment.objects.get()
    other = Client().get(f"/comments/{comment.pk}/", follow=True)
    assert DISTRESS_TEXT not in other.content.decode() and help_panel(other) == ""


def test_a_moderator_reading_the_public_page_sees_neither(article, helpline, no_flood_wait):
    post(Client(), article, body=DISTRESS_TEXT)
    staff = Client()
    staff.force_login(make_user(group="Moderators"))
    page = staff.get(article.get_absolute_url())
    assert help_panel(page) == "" and DISTRESS_TEXT not in page.content.decode()


def test_the_writer_still_sees_it_on_coming_back_while_the_comment_waits(
    client, article, helpline, no_flood_wait
):
    post(client, article, body=DISTRESS_TEXT)
    again = client.get(article.get_absolute_url())
    assert "You do not have to face this alone" in help_panel(again)
    assert "data-help-now-focus" not in help_panel(again)  # it takes the focus only at first


def test_an_ordinary_comment_shows_no_help(client, article, helpline, no_flood_wait):
    response = post(client, article, body="How can my father get this treatment?")
    assert help_panel(response) == ""
    assert "awaiting moderation" in response.content.decode()


def test_a_category_with_no_words_for_the_writer_shows_nothing(
    client, article, helpline, no_flood_wait
):
    category = distress()
    category.reader_text = ""
    rules.save(category)
    response = post(client, article, body=DISTRESS_TEXT)
    assert help_panel(response) == ""
    assert Comment.objects.get().is_urgent


def test_staff_words_for_the_writer_apply_to_the_next_comment(
    client, article, helpline, no_flood_wait
):
    category = distress()
    category.reader_heading = "We are here"
    category.reader_text = "Please [ring our nurse](tel:+16175550100) tonight."
    category.full_clean()
    rules.save(category)
    panel = help_panel(post(client, article, body=DISTRESS_TEXT))
    assert "We are here" in panel
    assert '<a href="tel:+16175550100">ring our nurse</a>' in panel


def test_a_distress_comment_that_comes_back_unsent_still_shows_the_help_with_the_text_kept(
    client, article, helpline, no_flood_wait
):
    response = post(client, article, body=DISTRESS_TEXT, email="")
    assert Comment.objects.count() == 0
    panel = help_panel(response)
    assert "You do not have to face this alone" in panel and "data-help-now-focus" in panel
    html = response.content.decode()
    assert DISTRESS_TEXT in html  # what they typed is still in the box
    assert html.index('class="help-now"') < html.index('class="error-summary"')


def test_a_distress_comment_sent_after_comments_closed_still_shows_the_help(
    client, article, helpline, no_flood_wait
):
    page_form = form_data(article, body=DISTRESS_TEXT)
    article.comments_open = False
    article.save(update_fields=["comments_open"])
    response = client.post(post_url(article), page_form)
    assert "Comments were closed" in response.content.decode()
    assert "You do not have to face this alone" in help_panel(response)


def test_a_reply_in_distress_gets_the_help_above_it_too(client, article, helpline, no_flood_wait):
    question = make_comment(article, body="How is everyone coping?")
    response = post(client, article, body=DISTRESS_TEXT, parent=str(question.pk))
    reply = Comment.objects.get(parent=question)
    assert f'id="help-now-{reply.pk}"' in help_panel(response)


# In the inbox: the acknowledgement carries the same help, to the writer who asked for email.


def test_a_writer_who_asked_for_email_gets_the_help_by_email_and_moderators_are_alerted(
    client, article, helpline, moderator, no_flood_wait, smtp_server, deliver
):
    post(client, article, body=DISTRESS_TEXT, notify_replies="on", email="marcus@example.com")
    deliver()
    to_writer = [m for m in smtp_server.messages if m["To"] == "marcus@example.com"]
    to_moderator = [m for m in smtp_server.messages if m["To"] == "moderator@example.org"]
    assert len(to_writer) == 1 and len(to_moderator) == 1
    message = to_writer[0]
    assert message["Subject"] == "We have your comment on “Caring at home”"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "You do not have to face this alone" in text
    assert "Call 911" in text and "Call 988" in text and "Text 988" in text
    assert "https://988lifeline.org/chat/" in text and f"{HELPLINE} ({HOURS})" in text
    assert 'href="tel:911"' in html and 'href="sms:988"' in html
    assert DISTRESS_TEXT not in text  # the email does not repeat what they wrote
    assert "Urgent" in to_moderator[0]["Subject"]


def test_a_writer_who_did_not_ask_for_email_gets_none(
    client, article, helpline, moderator, no_flood_wait, deliver
):
    post(client, article, body=DISTRESS_TEXT, email="marcus@example.com")
    deliver()
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]


def test_an_ordinary_held_comment_sends_its_writer_no_acknowledgement(
    client, article, moderator, no_flood_wait, deliver
):
    post(client, article, notify_replies="on", email="marisol@example.com")
    deliver()
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]


def test_a_comment_deleted_before_the_worker_runs_sends_its_writer_nothing(
    client, article, helpline, no_flood_wait, deliver
):
    post(client, article, body=DISTRESS_TEXT, notify_replies="on", email="marcus@example.com")
    Comment.objects.all().delete()
    deliver()
    assert all(m.to != ["marcus@example.com"] for m in mail.outbox)


# For staff: the words are edited, and previewed, in the admin.


def test_staff_see_what_the_writer_sees_when_editing_the_category(helpline):
    editor = Client()
    editor.force_login(make_user(group="Editors"))
    page = editor.get(f"/admin/comments/flagcategory/{distress().pk}/change/")
    html = page.content.decode()
    assert "What the writer sees" in html
    assert '<a href="tel:988">Call 988</a>' in html and HELPLINE in html


def test_a_bad_link_in_the_admin_is_explained_next_to_the_field_and_the_text_kept(helpline):
    editor = Client()
    editor.force_login(make_user(group="Editors"))
    category = distress()
    data = {
        "name": category.name,
        "is_urgent": "on",
        "is_active": "on",
        "phrases": category.phrases,
        "patterns": "",
        "guidance": category.guidance,
        "reader_heading": "Help",
        "reader_text": "Please [call us](555 0100) now.",
    }
    page = editor.post(f"/admin/comments/flagcategory/{category.pk}/change/", data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "is not an address a reader can open" in html
    assert "Please [call us](555 0100) now." in html
    assert distress().reader_heading == "You do not have to face this alone"


def test_the_moderator_is_told_what_the_writer_was_shown_and_whether_it_was_emailed(
    client, article, helpline, moderator, no_flood_wait, deliver
):
    post(client, article, body=DISTRESS_TEXT, notify_replies="on")
    staff = Client()
    staff.force_login(moderator)
    url = f"/admin/comments/comment/{Comment.objects.get().pk}/change/"
    page = staff.get(url).content.decode()
    assert "the writer was shown “You do not have to face this alone”" in page
    assert "An email with it is about to be written to them." in page
    deliver()
    assert "It was emailed to them, " in staff.get(url).content.decode()


def test_the_moderator_is_told_no_email_went_when_the_writer_asked_for_none(
    client, article, helpline, moderator, no_flood_wait, deliver
):
    post(client, article, body=DISTRESS_TEXT)
    deliver()
    staff = Client()
    staff.force_login(moderator)
    page = staff.get(f"/admin/comments/comment/{Comment.objects.get().pk}/change/")
    assert "It was not emailed to them: they did not ask for emails." in page.content.decode()


def test_no_help_is_claimed_for_a_comment_whose_writer_was_not_shown_any(article, moderator):
    held = make_comment(
        article,
        body=DISTRESS_TEXT,
        status=Comment.Status.PENDING,
        flags=["Distress or self-harm"],
        is_urgent=True,
        notify_replies=True,
    )  # stored before the help existed, or by an import
    staff = Client()
    staff.force_login(moderator)
    page = staff.get(f"/admin/comments/comment/{held.pk}/change/").content.decode()
    assert "Urgent: Distress or self-harm" in page
    assert "the writer was shown" not in page


def test_links_side_by_side_are_listed_with_commas_in_the_email(helpline):
    shown = reader_help.render("", "Open now: [Call 988](tel:988) [Text 988](sms:988)", helpline)
    assert shown.text == "Open now: Call 988, Text 988"


# When the comment cannot be sent at all: paused, busy, or no database. The page that hands
# the text back shows the help too, worked out without the database.


def warm_cache():
    """What a running site has in its cache: the screening lists and the footer."""
    rules.flag_categories()
    editing.footer(serving.current_state().version)


def test_a_distress_comment_turned_away_by_the_pause_still_gets_the_help(
    article, helpline, settings, no_flood_wait
):
    settings.COMMENTS_MAX_PER_MINUTE = 1
    make_comment(article)  # the ceiling is reached
    warm_cache()
    response = Client().post(post_url(article), form_data(article, body=DISTRESS_TEXT))
    assert response.status_code == 429
    panel = help_panel(response)
    assert 'href="tel:988"' in panel and HELPLINE in panel
    assert DISTRESS_TEXT in response.content.decode()  # the text, to copy
    ordinary = Client().post(post_url(article), form_data(article, body="When is the next trial?"))
    assert ordinary.status_code == 429 and help_panel(ordinary) == ""


def test_a_distress_comment_turned_away_while_the_server_is_busy_still_gets_the_help(
    article, helpline, settings, no_flood_wait
):
    from comments import posting
    from tests.comments.test_floods import through_the_server

    settings.COMMENTS_POSTING_THREADS = 1
    warm_cache()
    share = posting._semaphore()
    assert share.acquire(blocking=False)
    try:
        busy = through_the_server(article, 1, body=DISTRESS_TEXT)
    finally:
        share.release()
    assert busy["status"] == 503
    assert 'href="sms:988"' in busy["body"] and "You do not have to face this alone" in busy["body"]


def test_a_distress_comment_sent_while_the_database_is_away_still_gets_the_help(
    article, helpline, no_flood_wait
):
    from tests.pagecache.test_database_away import database_away, reader

    warm_cache()
    data = form_data(article, body=DISTRESS_TEXT)
    with database_away():
        response = reader().post(post_url(article), data)
    assert response.status_code == 503
    assert 'href="tel:911"' in help_panel(response)
    assert DISTRESS_TEXT in response.content.decode()


def test_without_the_lists_in_the_cache_the_unsent_page_gives_the_short_crisis_line(
    article, helpline, settings, no_flood_wait
):
    from tests.pagecache.test_database_away import database_away, reader

    data = form_data(article, body="Any words at all")
    with database_away():
        response = reader().post(post_url(article), data)
    assert response.status_code == 503
    assert escape(settings.COMMENTS_CRISIS_FALLBACK) in response.content.decode()
    assert help_panel(response) == ""  # nothing claims to have read the words


def test_the_writers_own_page_is_marked_private_so_no_shared_cache_keeps_it(
    client, article, helpline, no_flood_wait
):
    client.post(post_url(article), form_data(article, body=DISTRESS_TEXT))
    own = client.get(article.get_absolute_url())
    assert "You do not have to face this alone" in help_panel(own)
    assert "private" in own["Cache-Control"] and "no-cache" in own["Cache-Control"]
