"""A reader in distress, on a phone, is helped the moment they post: end to end in Chromium."""

import pytest

from comments.models import Comment
from pages import editing
from pages.models import SiteDetails
from tests.browser.conftest import violations_report
from tests.browser.test_reach import target_problems
from tests.conftest import ARTIFACTS
from tests.factories import make_article, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_flood_wait", "moderation_lists"),
]

DISTRESS_TEXT = "I look after my wife every hour of the day. Some nights I want it all to end."
WIDTHS = [320, 360, 390, 1280]


@pytest.fixture
def article():
    details = SiteDetails.load()
    details.helpline, details.helpline_hours = "+1 617 555 0142", "Weekdays, 9 am to 5 pm"
    editing.save_details(details)
    return make_article(title="Caring at home", body="<p>Small things that help.</p>")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, has_touch=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def post(tab, text, *, reply=False):
    tab.fill("#id_body", text)
    tab.fill("#id_name", "Marcus")
    tab.fill("#id_email", "marcus@example.com")
    tab.click("#comment-submit")
    tab.wait_for_load_state()


def test_on_a_phone_a_distress_comment_brings_help_at_once_to_its_writer_alone(
    phone, browser, live_server, article, axe
):
    phone.goto(article.get_absolute_url())
    post(phone, DISTRESS_TEXT)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.is_urgent

    panel = phone.locator(f"#help-now-{comment.pk}")
    panel.wait_for()
    # It has the focus, so a screen reader reads it out: its heading names it, its words
    # describe it.
    phone.wait_for_function(
        f"document.activeElement && document.activeElement.id === 'help-now-{comment.pk}'"
    )
    assert panel.get_attribute("aria-labelledby")
    assert "You do not have to face this alone" in panel.inner_text()
    # It is on screen, above the waiting comment.
    box, mine = panel.bounding_box(), phone.locator(f"#comment-{comment.pk} .comment__box")
    assert 0 <= box["y"] < 740 and box["y"] < mine.bounding_box()["y"]
    assert "Awaiting moderation" in mine.inner_text()
    # Each way to reach someone is a link a phone can follow.
    links = {link.inner_text(): link.get_attribute("href") for link in panel.locator("a").all()}
    assert links["Call 911"] == "tel:911"
    assert links["Call 988"] == "tel:988"
    assert links["Text 988"] == "sms:988"
    assert links["Chat online"] == "https://988lifeline.org/chat/"
    assert links["+1 617 555 0142"] == "tel:+16175550142"
    assert "Weekdays, 9 am to 5 pm" in panel.inner_text()
    # Every one of them is big enough to hit, with room between them.
    assert target_problems(phone) == []

    results = axe.run(phone)
    assert results.violations_count == 0, violations_report(results)
    for width in WIDTHS:
        phone.set_viewport_size({"width": width, "height": 740 if width < 1000 else 900})
        phone.evaluate(f"document.getElementById('help-now-{comment.pk}').scrollIntoView()")
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=ARTIFACTS / f"help-for-the-writer-{width}.png")
        # Nothing of it runs off the side of the screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= width

    # Another reader sees neither the help nor the comment.
    other = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    stranger = other.new_page()
    stranger.goto(article.get_absolute_url())
    assert stranger.locator(".help-now").count() == 0
    assert DISTRESS_TEXT not in stranger.content()
    other.close()


def test_a_moderator_sees_the_urgent_comment_and_what_its_writer_was_shown(
    phone, page, article, log_in
):
    phone.goto(article.get_absolute_url())
    post(phone, DISTRESS_TEXT)
    comment = Comment.objects.get()
    log_in(make_user(group="Moderators"))
    page.goto(f"/admin/comments/comment/{comment.pk}/change/")
    guidance = page.locator(".crisis-guidance")
    assert "Urgent: Distress or self-harm" in guidance.inner_text()
    shown = page.locator(".writer-help-given").inner_text()
    assert "the writer was shown “You do not have to face this alone”" in shown
    # The public page, for the moderator too, holds neither.
    page.goto(article.get_absolute_url())
    assert page.locator(".help-now").count() == 0
    assert DISTRESS_TEXT not in page.content()


def test_a_distress_comment_with_a_mistake_shows_the_help_first_and_keeps_the_text(phone, article):
    phone.goto(article.get_absolute_url())
    phone.fill("#id_body", DISTRESS_TEXT)
    phone.fill("#id_name", "Marcus")
    phone.click("#comment-submit")
    phone.wait_for_load_state()
    panel = phone.locator("#help-now-unsent")
    panel.wait_for()
    phone.wait_for_function(
        "document.activeElement && document.activeElement.id === 'help-now-unsent'"
    )
    assert panel.locator("a[href='tel:988']").count() == 1
    assert phone.input_value("#id_body") == DISTRESS_TEXT
    assert phone.locator(".error-summary").is_visible()
    assert Comment.objects.count() == 0
