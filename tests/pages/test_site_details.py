"""The charity's details in every page's footer, edited by staff in the admin."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from pages import editing
from pages.models import Page, SiteDetails
from tests.factories import make_article, make_user
from tests.visits import counting_queries, served_from_cache

pytestmark = pytest.mark.django_db
CHANGE = reverse("admin:pages_sitedetails_change", args=[SiteDetails.SINGLETON])

DETAILS = {
    "name": "Harbor Light ALS Foundation",
    "registration": "A 501(c)(3) nonprofit, EIN 00-0000000",
    "helpline": "+1 (617) 555-0142",
    "helpline_hours": "Weekdays, 9 am to 5 pm",
    "email": "help@example.org",
    "address": "200 Wharf Street\nBoston, MA 02110",
}


@pytest.fixture
def details():
    return editing.save_details(SiteDetails(**DETAILS))


@pytest.fixture
def editor(client):
    client.force_login(make_user(group="Editors"))
    return client


def footer_of(response):
    html = response.content.decode()
    start = html.index('<div class="site-details">')
    return html[start : html.index("</footer>", start)]


@pytest.mark.parametrize(
    "url", ["/", "/search/?q=als", "/about/", "/subscribe/", "/no-such-page/"], ids=str
)
def test_every_public_page_shows_the_charity_in_its_footer(client, details, url):
    footer = footer_of(client.get(url))
    assert "Harbor Light ALS Foundation" in footer
    assert "A 501(c)(3) nonprofit, EIN 00-0000000" in footer
    assert '<a href="tel:+16175550142">+1 (617) 555-0142</a>' in footer
    assert "Weekdays, 9 am to 5 pm" in footer
    assert '<a href="mailto:help@example.org">help@example.org</a>' in footer
    assert "200 Wharf Street<br>Boston, MA 02110" in footer


def test_an_article_page_shows_them_too(client, details):
    assert "tel:+16175550142" in footer_of(client.get(make_article().get_absolute_url()))


def test_a_fresh_site_shows_its_name_and_no_empty_contact_lines(client):
    footer = footer_of(client.get("/"))
    assert SiteDetails.load().name in footer
    assert "tel:" not in footer and "mailto:" not in footer and "Talk to us" not in footer


def test_an_editor_changes_the_helpline_and_cached_pages_show_the_new_number(editor, details):
    reader = Client()
    reader.get("/")
    assert served_from_cache(reader.get("/"))
    form = {**DETAILS, "helpline": "1-800-555-0199"}
    response = editor.post(CHANGE, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = reader.get("/")
    assert not served_from_cache(page)
    assertContains(page, '<a href="tel:18005550199">1-800-555-0199</a>', html=True)
    assertNotContains(page, "617")


def test_the_details_are_read_from_the_database_once_then_from_the_cache(client, details):
    for expected in (1, 0):  # search pages are never cached whole: the footer is rendered
        with counting_queries() as queries:
            client.get("/search/?q=als")
        reads = [q for q in queries.captured_queries if "pages_sitedetails" in q["sql"]]
        assert len(reads) == expected


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("helpline", "1-800-ALS-HELP", "Enter the number in digits"),
        ("helpline", "12 34", "Enter the number in digits"),
        ("email", "help at example.org", "Enter a valid email address."),
        ("name", "", "This field is required."),
    ],
)
def test_bad_details_get_a_message_next_to_the_field_and_change_nothing(
    editor, details, field, value, message
):
    response = editor.post(CHANGE, {**DETAILS, field: value})
    assert response.status_code == 200
    assert any(message in error for error in response.context["adminform"].form.errors[field])
    assert getattr(SiteDetails.load(), field) == DETAILS[field]


def test_the_site_details_list_opens_the_one_row_that_cannot_be_added_or_deleted(editor):
    response = editor.get(reverse("admin:pages_sitedetails_changelist"))
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert editor.get(reverse("admin:pages_sitedetails_add")).status_code == 403
    delete = reverse("admin:pages_sitedetails_delete", args=[SiteDetails.SINGLETON])
    assert editor.get(delete).status_code == 403
    assert SiteDetails.objects.count() == 1


@pytest.mark.parametrize("group", ["Authors", "Moderators"])
def test_only_editors_change_the_site_details_and_pages(client, group):
    client.force_login(make_user(group=group))
    assert client.get(CHANGE).status_code == 403
    page = Page.objects.get(slug="about")
    assert client.get(reverse("admin:pages_page_change", args=[page.pk])).status_code == 403
