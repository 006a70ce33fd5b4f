"""About, Contact, Privacy and Accessibility: staff-written pages at fixed addresses."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from pages import editing
from pages.models import Page, SiteDetails
from subscriptions import signups
from tests.factories import make_user
from tests.visits import served_from_cache

pytestmark = pytest.mark.django_db
ADDRESSES = ["/about/", "/contact/", "/privacy/", "/accessibility/"]


def footer_links(response):
    html = response.content.decode()
    nav = html[html.index('class="site-details__pages"') :]
    return re.findall(r'<a href="([^"]+)"', nav[: nav.index("</nav>")])


def change_url(page):
    return reverse("admin:pages_page_change", args=[page.pk])


def page_form(page, **overrides):
    fields = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": page.body,
        "position": page.position,
        "in_footer": "on" if page.in_footer else "",
        "is_published": "on" if page.is_published else "",
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value != ""}


@pytest.fixture
def editor(client):
    client.force_login(make_user(group="Editors"))
    return client


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("/about/", "About this site"),
        ("/contact/", "Contact us"),
        ("/privacy/", "Privacy"),
        ("/accessibility/", "Accessibility statement"),
    ],
)
def test_a_fresh_site_has_the_four_pages_at_their_addresses(client, address, heading):
    page = client.get(address)
    assertContains(page, f'<h1 class="page-title">{heading}</h1>', html=True)
    assertContains(page, f"<title>{heading} · ALS Research News</title>", html=True)


def test_every_footer_link_of_a_fresh_site_opens_a_page(client):
    links = footer_links(client.get("/"))
    assert links == ADDRESSES
    assert all(client.get(link).status_code == 200 for link in links)


def test_the_accessibility_statement_says_what_the_site_does(client):
    page = client.get("/accessibility/")
    for promise in ("keyboard", "Skip to main content", "draft", "no time limits"):
        assertContains(page, promise)


def test_other_addresses_are_not_pages(client):
    assert client.get("/terms/").status_code == 404
    assert client.get("/about-us/").status_code == 404


def test_the_contact_page_shows_the_helpline_hours_email_and_address(client):
    details = SiteDetails.load()
    details.helpline, details.helpline_hours = "(800) 555-0142", "Weekdays, 9 to 5"
    details.email, details.address = "help@example.org", "200 Wharf Street\nBoston, MA 02110"
    editing.save_details(details)
    html = client.get("/contact/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert '<a class="contact-details__link" href="tel:8005550142">(800) 555-0142</a>' in main
    assert "Weekdays, 9 to 5" in main
    assert 'href="mailto:help@example.org">help@example.org</a>' in main
    assert "200 Wharf Street<br>Boston, MA 02110" in main


def test_a_contact_page_with_no_details_yet_says_so(client):
    assertContains(client.get("/contact/"), "Our contact details will be here soon.")


def test_the_privacy_page_states_the_keeping_periods_the_code_obeys(client, settings):
    page = client.get("/privacy/")
    assertContains(page, "What this site stores, and for how long")
    assertContains(page, f"are deleted after {settings.COMMENTS_KEEP_METADATA_DAYS} days")
    assertContains(page, f"within {signups.CONFIRM_MAX_AGE.days} days")
    assertContains(page, "is kept for 1 day to limit")
    assertContains(page, "tried again for up to 3 days")


def test_the_privacy_page_follows_the_settings_when_they_change(client, settings, monkeypatch):
    settings.COMMENTS_KEEP_METADATA_DAYS = 30
    monkeypatch.setattr(signups, "CONFIRM_MAX_AGE", timedelta(days=3))
    monkeypatch.setattr(signups, "SIGNUP_LOG_KEPT", timedelta(days=2))
    page = client.get("/privacy/")
    assertContains(page, "are deleted after 30 days")
    assertContains(page, "privately for 30 days")
    assertContains(page, "within 3 days")
    assertContains(page, "is kept for 2 days to limit")
    assertNotContains(page, "90 days")


def test_the_privacy_page_tells_readers_where_to_ask_for_their_data(client):
    details = SiteDetails.load()
    details.email = "privacy@example.org"
    editing.save_details(details)
    assertContains(client.get("/privacy/"), 'write to <a href="mailto:privacy@example.org">')


def test_an_editor_rewrites_a_page_and_readers_see_it_at_once_cleaned(editor):
    reader = Client()
    reader.get("/about/")
    assert served_from_cache(reader.get("/about/"))
    about = Page.objects.get(slug="about")
    body = (
        '<p>We are <strong>new</strong> here.</p><script>alert(1)</script><p onclick="x()">Hi</p>'
    )
    response = editor.post(change_url(about), page_form(about, body=body))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = reader.get("/about/")
    assertContains(page, "We are <strong>new</strong> here.")
    assertNotContains(page, "<script>alert")
    assertNotContains(page, "onclick")
    assert "<script>" not in Page.objects.get(slug="about").body


def test_a_page_taken_down_answers_not_found_and_leaves_the_footer(editor):
    reader = Client()
    assert "/contact/" in footer_links(reader.get("/"))
    contact = Page.objects.get(slug="contact")
    response = editor.post(change_url(contact), page_form(contact, is_published=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert reader.get("/contact/").status_code == 404
    assert "/contact/" not in footer_links(reader.get("/"))


def test_a_page_kept_out_of_the_footer_still_opens(editor):
    privacy = Page.objects.get(slug="privacy")
    editor.post(change_url(privacy), page_form(privacy, in_footer=""))
    reader = Client()
    assert "/privacy/" not in footer_links(reader.get("/"))
    assert reader.get("/privacy/").status_code == 200


def test_the_footer_links_follow_the_pages_positions(editor):
    accessibility = Page.objects.get(slug="accessibility")
    editor.post(change_url(accessibility), page_form(accessibility, position=0))
    assert footer_links(Client().get("/"))[0] == "/accessibility/"


def test_a_deleted_page_is_gone_from_its_address_and_the_footer(editor):
    reader = Client()
    reader.get("/about/")
    about = Page.objects.get(slug="about")
    editor.post(reverse("admin:pages_page_delete", args=[about.pk]), {"post": "yes"})
    assert reader.get("/about/").status_code == 404
    assert "/about/" not in footer_links(reader.get("/"))


def test_two_pages_cannot_share_an_address(editor):
    response = editor.post(
        reverse("admin:pages_page_add"),
        {"title": "Another about", "slug": "about", "position": 5, "is_published": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]


def test_the_sitemap_lists_the_published_pages(client):
    Page.objects.filter(slug="contact").update(is_published=False)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/about/</loc>" in sitemap and "/privacy/</loc>" in sitemap
    assert "/contact/</loc>" not in sitemap
