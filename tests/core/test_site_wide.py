"""What the whole site answers, whatever app: robots.txt, the favicon, uploads, backups' hooks."""

import pytest
from pytest_django.asserts import assertContains

from core.backups import left_out

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assertContains(response, "Disallow: /admin/")
    assertContains(response, "Sitemap: http://testserver/sitemap.xml")


def test_the_favicon_address_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_uploads_are_served_by_the_app_only_when_it_is_told_to(client, settings):
    from tests.factories import make_image

    image = make_image()
    assert client.get(image.url).status_code == 200
    settings.SERVE_MEDIA = False
    assert client.get(image.url).status_code == 404


def test_backups_leave_out_what_is_rebuilt_or_only_meant_for_the_site_it_came_from():
    assert {"contenttypes", "sessions", "pagecache.publicversion", "comments.postinflight"} <= set(
        left_out()
    )
