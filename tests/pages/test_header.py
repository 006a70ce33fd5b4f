"""Every page's header says who runs the site, and offers a way to give when there is one."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from pages import editing
from pages.models import SiteDetails

pytestmark = pytest.mark.django_db


def test_the_header_names_the_charity_and_links_its_donation_page():
    details = SiteDetails.load()
    details.name = "Harbor Light ALS Foundation"
    details.donate_url = "https://give.example.org/als"
    editing.save_details(details)
    for path in ("/", "/about/", "/search/"):
        page = Client().get(path)
        assertContains(page, "A service of Harbor Light ALS Foundation")
        assertContains(page, '<a class="site-nav__donate" href="https://give.example.org/als">')


def test_without_a_donation_page_there_is_no_donate_link():
    details = SiteDetails.load()
    details.donate_url = ""
    editing.save_details(details)
    assertNotContains(Client().get("/"), "site-nav__donate")


def test_a_donation_page_must_be_a_web_address():
    details = SiteDetails.load()
    details.donate_url = "javascript:alert(1)"
    with pytest.raises(Exception, match="Enter a valid URL"):
        editing.save_details(details)


def test_the_admin_wears_the_sites_name_logo_and_colours_and_names_its_parts_for_staff(client):
    from tests.factories import make_user

    client.force_login(make_user(is_superuser=True, group="Editors"))
    page = client.get("/admin/")
    assertContains(page, 'class="admin-brand"')
    assertContains(page, "img/logo.svg")
    assertContains(page, "css/admin-brand.css")
    assertContains(page, "Login attempts")
    assertNotContains(page, ">Axes<")
