"""pages/editing.py: every path that saves the site details or a page gets the same care."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

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


def test_a_footer_cached_by_a_page_rendered_during_the_change_is_forgotten_once_committed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as committed:
        page = Page.objects.get(slug="about")
        page.title = "Who we are"
        editing.save_page(page)
        # Another request, still seeing the old rows, renders a page and caches its footer.
        cache.set(editing.FOOTER_KEY, {"details": SiteDetails.load(), "links": [("About", "/")]})
    for callback in committed:
        callback()
    assert ("Who we are", "/about/") in editing.footer()["links"]
