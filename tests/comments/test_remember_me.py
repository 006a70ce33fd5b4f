"""The comment form: "Remember me" on this device, the site's own messages, few Tab stops."""

import re

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from comments.visitor import DEVICE_COOKIE
from tests.factories import form_data, make_article, make_comment, post_url
from tests.visits import served_from_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


def field_value(content, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', content)
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    return value.group(1) if value else ""


def remember_box_ticked(content):
    return bool(re.search(r'<input type="checkbox" name="remember"[^>]*\bchecked', content))


def test_remember_me_starts_unticked_and_the_details_last_only_the_visit(article):
    reader = Client()
    page = reader.get(article.get_absolute_url()).content.decode()
    assert 'name="remember"' in page and not remember_box_ticked(page)
    response = reader.post(post_url(article), form_data(article))
    assert DEVICE_COOKIE not in response.cookies
    # A new browser on this device, with the session gone: nothing is filled in.
    later = Client()
    later.cookies.update({k: v for k, v in reader.cookies.items() if k == DEVICE_COOKIE})
    content = later.get(article.get_absolute_url()).content.decode()
    assert field_value(content, "name") == "" and field_value(content, "email") == ""


def test_ticked_the_name_and_email_fill_the_form_on_later_visits_in_a_page_of_their_own(
    article,
):
    reader = Client()
    response = reader.post(
        post_url(article), form_data(article, name='Ann "O\'Neil" <b>', remember="on")
    )
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["max-age"] == 365 * 24 * 60 * 60 and cookie["httponly"]
    later = Client()
    later.cookies[DEVICE_COOKIE] = cookie.value
    Client().get(article.get_absolute_url())  # the page is cached for everyone
    page = later.get(article.get_absolute_url())
    # Rendered for this device alone: never the shared copy, never kept by a shared cache.
    assert not served_from_cache(page) and page["X-Page-Cache"] == "bypass"
    assert "private" in page["Cache-Control"]
    content = page.content.decode()
    assert field_value(content, "name") == "Ann &quot;O&#x27;Neil&quot; &lt;b&gt;"
    assert field_value(content, "email") == "marisol@example.com"
    assert remember_box_ticked(content)
    # Everyone else's copy of the same cached page holds none of it.
    stranger = Client().get(article.get_absolute_url()).content.decode()
    assert "marisol@example.com" not in stranger and not remember_box_ticked(stranger)


def test_a_forged_remember_cookie_fills_in_nothing(article):
    forger = Client()
    forger.cookies[DEVICE_COOKIE] = '{"name": "Mallory", "email": "m@example.com"}'
    content = forger.get(article.get_absolute_url()).content.decode()
    assert "Mallory" not in content and not remember_box_ticked(content)


def test_posting_with_the_box_unticked_forgets_the_device(article, no_flood_wait):
    reader = Client()
    reader.post(post_url(article), form_data(article, remember="on"))
    assert reader.cookies[DEVICE_COOKIE].value
    response = reader.post(post_url(article), form_data(article, body="Second thought"))
    assert response.cookies[DEVICE_COOKIE].value == ""  # deleted


def test_the_form_uses_the_sites_own_messages_with_a_summary_linked_to_each_field(article):
    response = Client().post(post_url(article), form_data(article, name="", email="nope"))
    content = response.content.decode()
    assert re.search(r'<form id="comment-form-fields"[^>]*\snovalidate', content)
    start = content.index('class="error-summary"')
    summary = content[start : content.index("</ul>", start)]
    assert 'href="#id_name"' in summary and 'href="#id_email"' in summary
    assert "This does not look like an email address" in summary
    assertContains(response, 'id="comment-errors" tabindex="-1" role="alert"')


def test_the_comment_box_comes_first_and_comment_dates_are_not_tab_stops(client, article):
    comment = make_comment(article, name="Early Bird")
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.index('name="body"') < content.index('name="name"')
    header = re.search(r'<header class="comment__header">(.*?)</header>', content, re.S).group(1)
    assert "<a " not in header and f"comment-{comment.pk}" in content
    assert re.search(r'<time class="comment__date" datetime=', content)
    assert '<a class="skip-link" href="#comment-form">Join the conversation</a>' in content


def test_a_copy_of_a_visits_cookie_is_honoured_for_two_days_at_most(article, monkeypatch):
    from django.core import signing

    from comments import visitor

    writer = Client()
    writer.post(post_url(article), form_data(article, body="Mine, waiting"))
    assertContains(writer.get(article.get_absolute_url()), "Mine, waiting")
    later = signing.time.time() + visitor.VISIT_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assertNotContains(writer.get(article.get_absolute_url()), "Mine, waiting")
