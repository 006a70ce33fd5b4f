"""Only a plain page is stored for everyone: never an error, a redirect or a page with a cookie.

The pages here are this module's own (it is their URLconf), as any app above the page cache
would wrap its views.
"""

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect
from django.test import Client
from django.urls import path, re_path

from core.middleware import admin_prefix
from pagecache import placeholders
from pagecache.serving import cached_page
from tests.visits import served_from_cache, stored_for_everyone

pytestmark = pytest.mark.django_db
remembered = {"visits": 0}


@cached_page
def welcome_back(request):
    remembered["visits"] += 1
    response = HttpResponse(f"<p>Welcome, visitor number {remembered['visits']}</p>")
    response.set_cookie("seen", str(remembered["visits"]))
    return response


@cached_page
def not_here(request):
    return HttpResponseNotFound("<p>Nothing here</p>")


@cached_page
def moved(request):
    return redirect("/elsewhere/")


urlpatterns = [path("welcome/", welcome_back), path("gone/", not_here), path("moved/", moved)]


@pytest.fixture(autouse=True)
def these_pages(settings):
    admin_prefix()  # read from the site's URLconf, once per process, as it is in production
    settings.ROOT_URLCONF = __name__
    remembered["visits"] = 0


def test_a_page_that_sets_a_cookie_is_never_stored_so_no_one_gets_anothers_cookie():
    first = Client().get("/welcome/")
    second = Client().get("/welcome/")
    assert not stored_for_everyone(first) and not served_from_cache(second)
    assert first.cookies["seen"].value == "1" and second.cookies["seen"].value == "2"
    assert b"visitor number 2" in second.content


@pytest.mark.parametrize("url, status", [("/gone/", 404), ("/moved/", 302)])
def test_an_error_or_a_redirect_is_never_stored(url, status):
    first = Client().get(url)
    second = Client().get(url)
    assert first.status_code == second.status_code == status
    assert not stored_for_everyone(first) and not served_from_cache(second)


# A piece of the page each visitor gets their own of, as an app would register one.
placeholders.register("visitor_token", lambda request, argument: "t" * 64)


@cached_page
def missing_with_a_form(request):
    token = placeholders.per_visitor(request, "visitor_token")
    return HttpResponseNotFound(f"<p>token={token}</p>")


@cached_page
def numbered(request, number):
    return HttpResponse(f"<p>Page {number}</p>")


@cached_page
def page_a(request):
    return HttpResponse("<p>A</p>")


@cached_page
def page_b(request):
    return HttpResponse("<p>B</p>")


urlpatterns += [
    path("missing-form/", missing_with_a_form),
    re_path(r"^numbered/(\d+)/$", numbered),
    path("a/", page_a),
    path("b/", page_b),
]


def test_a_page_answered_for_this_visitor_alone_says_so_and_has_its_pieces_filled_in():
    response = Client().get("/missing-form/")
    assert response.status_code == 404
    assert response["X-Page-Cache"] == "bypass"
    token = response.content.decode().split("token=")[1].split("<")[0]
    assert len(token) == 64 and not token.startswith(placeholders.PREFIX)


def test_a_view_given_its_address_by_position_is_served_too():
    assert b"Page 7" in Client().get("/numbered/7/").content
    assert b"Page 7" in Client().get("/numbered/7/").content  # from the cache


def test_two_pages_of_one_version_never_share_an_etag():
    assert Client().get("/a/")["ETag"] != Client().get("/b/")["ETag"]


def test_a_page_rendered_for_one_visitor_says_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor"))
    assert client.get("/a/")["X-Page-Cache"] == "bypass"


def test_a_view_given_its_address_by_position_is_rendered_for_a_logged_in_visitor_too(
    client, django_user_model
):
    client.force_login(django_user_model.objects.create_user("editor"))
    assert b"Page 7" in client.get("/numbered/7/").content
