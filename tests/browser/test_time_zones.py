"""An editor in London schedules an article in London time, confirmed in words as she types;
readers see who last reviewed an article and when."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import PASSWORD
from tests.browser.screens import SCREENS
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLINICIAN = "Dr Ana Ruiz, consultant neurologist"


@pytest.fixture
def page_in_london(browser, live_server):
    """A tab whose computer's clock is on London time, as the editor's is; it fails on any
    script error or CSP refusal, as the usual tab does."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=SCREENS["desktop"]["viewport"],
        timezone_id="Europe/London",
    )
    context.set_default_timeout(15_000)
    problems = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    context.close()
    assert not problems, "\n".join(problems)


def test_an_editor_in_london_schedules_an_article_in_london_time(page_in_london, screenshot):
    page = page_in_london
    editor = make_user(group="Editors", username="helen", first_name="Helen", last_name="Shaw")
    article = make_article(title="A trial opens in Sheffield")
    page.goto("/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    # She picks her zone from the admin's user tools.
    page.click("#user-tools >> text=Your time zone")
    expect(page.locator(".time-zone-page__now")).to_contain_text("New York time")
    page.select_option("#id_time_zone", "Europe/London")
    page.click("input[type=submit][value=Save]")
    expect(page.locator(".messagelist")).to_contain_text("London time")
    expect(page.locator(".time-zone-page__now")).to_contain_text("You work in London time")
    screenshot(page, "time-zones-preferences-1280")

    # She types a publish time; the words follow, in London time.
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    words = page.locator("#publish-when")
    expect(words).to_contain_text("Published on")
    expect(words).to_contain_text("London time; that was ")
    page.fill("#id_publish_at_0", "2030-07-01")
    page.fill("#id_publish_at_1", "09:00")
    expect(words).to_contain_text(
        "Scheduled: publishes on Monday 1 July 2030 at 09:00, London time; that is in "
    )
    page.select_option("#id_status", "draft")
    expect(words).to_contain_text("Draft, not public. Its publish time is Monday 1 July 2030")
    page.select_option("#id_status", "published")
    expect(words).to_contain_text("Scheduled: publishes on Monday 1 July 2030")
    # Her computer and her chosen zone agree, so Django's "hours behind" note stays away.
    expect(page.locator(".timezonewarning")).to_have_count(0)
    publishing = page.locator("fieldset:has(#id_status)")
    publishing.scroll_into_view_if_needed()
    publishing.screenshot(path=screenshot(page, "time-zones-admin-form-1280"))
    page.set_viewport_size(SCREENS["phone"]["viewport"])
    publishing.screenshot(path=screenshot(page, "time-zones-admin-form-390"))
    page.set_viewport_size(SCREENS["desktop"]["viewport"])

    # Saved, the message repeats it; stored, it is 08:00 UTC (London is on summer time).
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .info")).to_contain_text(
        "“A trial opens in Sheffield”: Scheduled: publishes on Monday 1 July 2030 at 09:00, "
        "London time"
    )
    article.refresh_from_db()
    assert article.publish_at == datetime(2030, 7, 1, 8, 0, tzinfo=UTC)
    assert article.status == Article.Status.PUBLISHED


def test_readers_see_who_last_reviewed_an_article_and_when(page, screenshot):
    article = make_article(
        title="Riluzole: what it does and what it does not",
        reviewer_name=CLINICIAN,
        last_reviewed=date(2026, 3, 3),
    )
    for screen in ("phone", "desktop"):
        page.set_viewport_size(SCREENS[screen]["viewport"])
        page.goto(article.get_absolute_url())
        review = page.locator(".article-review")
        expect(review).to_contain_text(f"Reviewed by {CLINICIAN}")
        expect(review).to_contain_text("Last reviewed March 3, 2026")
        assert review.locator("time").get_attribute("datetime") == "2026-03-03"
        screenshot(page, f"time-zones-review-line-{SCREENS[screen]['viewport']['width']}")
