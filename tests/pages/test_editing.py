"""pages/editing.py: every path that saves the site details or a page gets the same care."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from pagecache import versions
from pages import editing
from pages.models import Page, SiteDetails

pytestmark = pytest.mark.django_db


def test_a_page_saved_outside_the_admin_is_cleaned_too():
    page = Page.objects.get(slug="about")
    page.body = '<p>Hello</p><script>alert(1)</script><img src="https://tracker.example/x.gif">'
    editing.save_page(page)
    stored = Page.objects.get(slug="about").body
    assert stored.startswith("<p>Hello</p>")
    assert "script" not in stored and "tracker.example" not in stored


def test_details_saved_outside_the_admin_are_checked_too():
    details = SiteDetails.load()
    details.helpline = "call us"
    with pytest.raises(ValidationError, match="Enter the number in digits"):
        editing.save_details(details)
    assert SiteDetails.load().helpline == ""


def test_there_is_only_ever_one_row_of_details():
    editing.save_details(SiteDetails(name="Another charity"))
    assert SiteDetails.objects.get().name == "Another charity"


def footer():
    return editing.footer(versions.current().version)


def test_a_footer_cached_by_a_page_rendered_during_the_change_is_never_shown_after_it(
    django_capture_on_commit_callbacks,
):
    before = versions.current().version
    with django_capture_on_commit_callbacks(execute=True):
        page = Page.objects.get(slug="about")
        page.title = "Who we are"
        editing.save_page(page)
    # Another request, which read the old rows, stores its footer once the change committed.
    cache.set(editing._key(before), {"details": SiteDetails.load(), "links": [("About", "/")]})
    assert ("Who we are", "/about/") in footer()["links"]


def test_no_process_shows_its_own_copy_of_the_footer_after_a_change_elsewhere():
    assert ("About this site", "/about/") in footer()["links"]  # kept in this process's cache
    # Another process's own cache, which no save here reaches.
    kept, expiry = dict(cache._cache), dict(cache._expire_info)
    page = Page.objects.get(slug="about")
    page.title = "Who we are"
    editing.save_page(page)
    cache._cache.update(kept)
    cache._expire_info.update(expiry)
    assert ("Who we are", "/about/") in footer()["links"]
