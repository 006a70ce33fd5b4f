"""An app's placeholder gives each visitor of a shared page their own piece of it.

The pages here are this module's own (it is their URLconf), so that the hook is tested as any
app above the page cache would use it.
"""

import logging

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from pytest_django.asserts import assertContains

from pagecache import placeholders
from pagecache.serving import cached_page
from tests.visits import served_from_cache, stored_for_everyone

pytestmark = pytest.mark.django_db


@cached_page
def greeting(request):
    return HttpResponse(f"<p>Hello {placeholders.per_visitor(request, 'greeting', 'friend')}!</p>")


@cached_page
def anonymous_greeting(request):
    return HttpResponse(f"<p>Hello {placeholders.per_visitor(request, 'greeting')}!</p>")


urlpatterns = [path("hello/", greeting), path("hello-stranger/", anonymous_greeting)]


def greet(request, argument):
    return f"{argument or 'stranger'} at {request.META['REMOTE_ADDR']}"


@pytest.fixture(autouse=True)
def greeting_placeholder(settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    # What a test registers is forgotten after it.
    monkeypatch.setattr(placeholders, "_fillers", dict(placeholders._fillers))
    placeholders.register("greeting", greet)


def visit(url, address):
    return Client(REMOTE_ADDR=address).get(url)


def test_each_visitor_of_a_cached_page_gets_their_own_piece_of_it():
    first = visit("/hello/", "198.51.100.1")
    second = visit("/hello/", "198.51.100.2")
    assert stored_for_everyone(first) and served_from_cache(second)
    assertContains(first, "<p>Hello friend at 198.51.100.1!</p>")
    assertContains(second, "<p>Hello friend at 198.51.100.2!</p>")


def test_a_placeholder_written_without_an_argument_gets_an_empty_one():
    for address in ("198.51.100.1", "198.51.100.2"):  # stored, then served
        assertContains(visit("/hello-stranger/", address), f"Hello stranger at {address}!")


def test_a_visitor_the_cache_does_not_serve_gets_their_own_piece_too():
    page = visit("/hello/?view=mine", "198.51.100.3")  # rendered for them alone
    assertContains(page, "<p>Hello friend at 198.51.100.3!</p>")


def test_a_marker_whose_placeholder_is_gone_is_left_empty_and_named_in_a_warning(caplog):
    visit("/hello/", "198.51.100.1")  # stored while "greeting" was registered
    del placeholders._fillers["greeting"]  # as after a release that dropped it
    with caplog.at_level(logging.WARNING, logger="alsblog.pagecache"):
        page = visit("/hello/", "198.51.100.2")
    assert page.content == b"<p>Hello !</p>"
    assert "'greeting'" in caplog.records[0].getMessage()


def test_a_placeholder_name_is_lowercase_letters_and_underscores():
    placeholders.register("reading_time", greet)  # accepted
    with pytest.raises(ValueError, match="'Reading-Time'"):
        placeholders.register("Reading-Time", greet)


def test_a_placeholder_argument_is_letters_digits_dashes_and_underscores():
    with pytest.raises(ValueError, match="'two words'"):
        placeholders.per_visitor(None, "greeting", "two words")
