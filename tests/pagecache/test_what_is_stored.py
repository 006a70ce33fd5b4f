"""Only a plain page is stored for everyone: never an error, a redirect or a page with a cookie.

The pages here are this module's own (it is their URLconf), as any app above the page cache
would wrap its views.
"""

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect
from django.test import Client
from django.urls import path

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
