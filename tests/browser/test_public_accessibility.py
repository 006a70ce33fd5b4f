"""Every kind of public page reads for everyone: axe finds nothing to fix, and nothing scrolls
sideways, on a phone (390 px), a desktop (1280 px) and at 200% zoom.

200% zoom is emulated as a 640 x 450 CSS pixel viewport at a device scale factor of 2: what a
1280 x 900 screen shows when the reader zooms to 200%.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from comments import notifications
from subscriptions import tokens
from subscriptions.models import MailingList, Subscriber, Subscription
from tests.browser.conftest import violations_report
from tests.browser.screens import SCREENS
from tests.factories import make_article, make_conversation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every public page type, by name: its address, or how to make it from `site` (the fixture
# below). Add a page here and it is checked on every screen: the footer's pages go here as
# they arrive, e.g. "about": "/about/".
PUBLIC_PAGES = {
    "home": "/",
    "article": lambda site: site.article.get_absolute_url(),
    "category": lambda site: site.article.category.get_absolute_url(),
    "tag": lambda site: site.article.tags.get().get_absolute_url(),
    "search-found": "/search/?q=tofersen",
    "search-nothing": "/search/?q=zebrafish",
    "subscribe": reverse("subscriptions:subscribe"),
    "subscribe-confirm": lambda site: reverse("subscriptions:confirm", args=[site.confirm]),
    "subscribe-manage": lambda site: reverse("subscriptions:manage", args=[site.manage]),
    "comment-unsubscribe": lambda site: reverse("comments:unsubscribe", args=[site.unsubscribe]),
    "not-found": "/articles/no-such-article/",
    "about": "/about/",
    "contact": "/contact/",
    "privacy": "/privacy/",
    "accessibility": "/accessibility/",
    "paged-conversation": lambda site: f"{site.article.get_absolute_url()}?page=2",
}


@pytest.fixture
def site(settings):
    """What the pages show: articles, a conversation, a subscriber halfway through signing up."""
    settings.COMMENTS_PER_PAGE = 1  # so that the conversation has pages
    make_article(title="Older news from the clinic")
    article = make_conversation()
    subscriber = Subscriber.objects.create(email="rosa@example.com")
    digest, research = MailingList.objects.order_by("-is_digest")[:2]
    Subscription.objects.create(subscriber=subscriber, mailing_list=digest)
    Subscription.objects.create(
        subscriber=subscriber, mailing_list=research, status=Subscription.Status.CONFIRMED
    )
    writer = article.comments.get(name="Marisol")
    return SimpleNamespace(
        article=article,
        confirm=tokens.confirm_token(subscriber, [digest.pk]),
        manage=tokens.manage_token(subscriber),
        unsubscribe=notifications.unsubscribe_token(writer),
    )


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_has_nothing_for_axe_to_report_and_fits_the_screen(
    browser, live_server, axe, screenshot, site, name, screen
):
    address = PUBLIC_PAGES[name]
    path = address(site) if callable(address) else address
    context = browser.new_context(base_url=live_server.url, **SCREENS[screen])
    context.set_default_timeout(15_000)
    tab = context.new_page()
    problems = []  # as the `page` fixture does: a script error or a CSP refusal fails it
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        response = tab.goto(path)
        tab.wait_for_load_state("networkidle")
        expected = 404 if name == "not-found" else 200
        assert response.status == expected, f"{path} answered {response.status}"
        screenshot(tab, f"public-{name}-{screen}")
        results = axe.run(tab)
        sideways = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    finally:
        context.close()
    assert results.violations_count == 0, violations_report(results)
    assert sideways <= 0, f"{path} scrolls {sideways}px sideways at {screen}"
    assert not problems, "\n".join(problems)
