"""A reader subscribes from the footer, confirms, gets the digest and leaves with one click."""

import io
import re
import urllib.request

import pytest
from django.core.management import call_command

from tests.browser.conftest import violations_report
from tests.factories import make_article
from tests.mailserver import text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, path):
    return re.search(rf"http://\S+{path}\S+/", text_of(message)).group(0)


def test_a_reader_subscribes_confirms_gets_the_digest_and_unsubscribes_with_one_click(
    page, live_server, settings, smtp_server, deliver, axe, screenshot
):
    settings.SITE_URL = live_server.url
    make_article(title="Tofersen in everyday care")

    # The reader signs up in the footer of the home page, for the weekly digest only.
    page.goto("/")
    page.fill("#footer-subscribe-email", "rosa@example.com")
    page.check("#footer-subscribe-lists_1")  # the weekly digest; every box starts unticked
    page.click(".site-footer #submit-id-subscribe")
    page.wait_for_load_state()
    assert "Check your inbox" in page.locator("h1").inner_text()
    results = axe.run(page)
    assert results.violations_count == 0, violations_report(results)

    # The confirmation email's link opens a page with a button; pressing it confirms.
    deliver()
    confirmation = smtp_server.to("rosa@example.com")[0]
    assert confirmation["Subject"] == "Please confirm your subscription"
    page.goto(link_in(confirmation, "/subscribe/confirm/"))
    page.click("text=Yes, subscribe me")
    assert "You are subscribed" in page.locator("h1").inner_text()
    assert "Weekly blog digest" in page.locator(".lead").inner_text()
    screenshot(page, "subscribed")

    # The page to change what she receives, reached without logging in.
    page.click("text=Change what you receive")
    assert page.is_checked("text=Weekly blog digest: an email each week with the new articles")
    results = axe.run(page)
    assert results.violations_count == 0, violations_report(results)
    screenshot(page, "manage-subscriptions")

    # This week's digest arrives.
    call_command("send_digest", stdout=io.StringIO())
    deliver()
    digest = smtp_server.to("rosa@example.com")[1]
    assert "Tofersen in everyday care" in text_of(digest)

    # Her mail program unsubscribes with one POST, without a cookie or CSRF token.
    one_click = digest["List-Unsubscribe"].strip()[1:-1]
    assert digest["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    request = urllib.request.Request(
        one_click, data=b"List-Unsubscribe=One-Click", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    with urllib.request.urlopen(request) as response:
        assert response.status == 200

    # Next week's digest goes to nobody.
    make_article(title="Another week, another study")
    from subscriptions.models import Edition

    Edition.objects.update(week="2000-01-03")  # as if the first digest was weeks ago
    call_command("send_digest", stdout=io.StringIO())
    deliver()
    assert len(smtp_server.to("rosa@example.com")) == 2


@pytest.mark.parametrize("width", [390, 1280])
def test_the_sign_up_form_reads_well_on_a_phone_and_a_desktop(
    browser, live_server, width, axe, screenshot
):
    article = make_article(title="Tofersen in everyday care")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    tab = context.new_page()
    tab.goto(article.get_absolute_url())
    form = tab.locator(".article-subscribe")
    form.scroll_into_view_if_needed()
    assert form.is_visible()
    results = axe.run(tab)
    assert results.violations_count == 0, violations_report(results)
    screenshot(tab, f"subscribe-form-{width}")
    tab.goto("/subscribe/")
    tab.fill("#page-subscribe-email", "not an address")
    tab.click("main #submit-id-subscribe")
    tab.wait_for_load_state()
    error = tab.locator("#page-subscribe-email").locator("xpath=..")
    assert "This does not look like an email address" in error.inner_text()
    assert tab.input_value("#page-subscribe-email") == "not an address"
    screenshot(tab, f"subscribe-error-{width}")
    context.close()
