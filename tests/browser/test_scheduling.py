"""An editor schedules a waiting article from its page (issue 20, finding 7): the button says
what will happen, in words, and the page then says when it goes public; only the site's own
line explains the time zone."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from core import when
from tests.browser.conftest import sign_in
from tests.browser.screens import SCREENS
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_in_london(browser, live_server):
    """A tab on a computer whose clock is on London time, while the editor works in New York
    time (the site's): Django's admin would add its "hours ahead" note to every time field."""
    context = browser.new_context(
        base_url=live_server.url, viewport=SCREENS["desktop"]["viewport"],
        timezone_id="Europe/London",
    )  # fmt: skip
    context.set_default_timeout(15_000)
    problems = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    yield tab
    context.close()
    assert not problems, "\n".join(problems)


def test_an_editor_schedules_a_waiting_article_from_its_page(
    page_in_london, browser, live_server, screenshot
):
    page = page_in_london
    author = make_user(group="Authors", first_name="Amira", last_name="H")
    article = make_article(
        title="A new clinic opens its doors", status=Article.Status.REVIEW, publish_at=None,
        author=author,
    )  # fmt: skip
    zone = when.site_zone()  # the editor has chosen no zone: the site's, New York
    day = timezone.localdate(timezone.now(), zone) + timedelta(days=3)
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)
    words = f"{at:%A} {at.day} {at:%B}"

    sign_in(page, make_user(group="Editors"))
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.click(".review-state >> text=Schedule…")
    panel = page.locator("#schedule")
    expect(panel).to_be_in_viewport()
    button = panel.locator("button[name=_schedule]")
    expect(button).to_have_text("Schedule")

    page.fill("#id_schedule_at_0", at.strftime("%Y-%m-%d"))
    page.fill("#id_schedule_at_1", "09:00")
    expect(button).to_have_text(f"Publish on {words} at 09:00, New York time")
    expect(panel.locator("#schedule-note")).to_contain_text("that is in 3 days")
    # One explanation of the zone: the site's line; Django's "hours ahead" note stays hidden.
    expect(panel.locator(".publish-when__zone")).to_contain_text("in New York time")
    assert page.locator(".timezonewarning").count() >= 1  # Django added its note…
    for note in page.locator(".timezonewarning").all():
        expect(note).to_be_hidden()  # …which stays hidden
    panel.screenshot(path=screenshot(page, "scheduling-panel-1280"))

    button.click()
    top = page.locator(".review-state--scheduled")
    expect(top).to_contain_text(f"Scheduled: goes public {words} at 09:00, New York time")
    screenshot(page, "scheduling-after-1280")
    article.refresh_from_db()
    assert (article.status, article.publish_at) == (Article.Status.PUBLISHED, at)

    reader = browser.new_context(base_url=live_server.url).new_page()
    assert reader.goto(article.get_absolute_url()).status == 404  # not public before then
    reader.context.close()


def test_schedule_without_a_time_takes_the_editor_to_what_to_fix(page_in_london):
    page = page_in_london
    article = make_article(title="A draft", status=Article.Status.DRAFT, publish_at=None)
    sign_in(page, make_user(group="Editors"))
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#schedule button[name=_schedule]").click()
    expect(page.locator(".errornote")).to_be_visible()
    # The refusal sits in the panel, far below the page's notice: the page goes there.
    expect(page.locator("#id_schedule_at_0")).to_be_focused()
    expect(page.locator("#id_schedule_at_0")).to_be_in_viewport()
    expect(page.locator("#schedule")).to_contain_text("Choose the day and the time")
