"""A WordPress site moved in: its articles, pictures, threads and old links, in Chromium."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SITE_A = Path(__file__).resolve().parents[1] / "wordpress" / "site-a"


@pytest.fixture
def imported():
    call_command(
        "import_wordpress", str(SITE_A / "site-a.xml"), "--uploads", str(SITE_A / "uploads"),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_an_imported_article_reads_as_it_did_with_its_pictures_and_threads(
    page, imported, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    # An old address, followed as a reader's bookmark would be.
    page.goto("/2026/05/11/spring-walk-2026/")
    assert page.url.endswith("/articles/spring-walk-2026/")
    screenshot(page, f"wordpress-article-{'phone' if width == 390 else 'desktop'}")
    figure = page.locator(".article__body figure").first
    assert "The start line on the harbour wall." in figure.inner_text()
    loaded = figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded
    page.goto("/?p=10")
    assert page.url.endswith("/articles/clinical-trials-explained/")
    staff = page.locator(".comment--staff")
    assert staff.count() >= 1
    assert staff.first.locator(".comment__badge").first.text_content() == "Staff"
    replies = page.locator(".comment-list--replies .comment")
    assert replies.count() >= 3
    screenshot(page, f"wordpress-thread-{'phone' if width == 390 else 'desktop'}")
