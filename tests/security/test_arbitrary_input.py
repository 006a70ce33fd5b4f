"""Property-based tests: whatever bytes arrive, never a 500 and never a row that breaks a page.

Values go over the wire as a browser or a robot would send them, percent-encoded UTF-8 where
lone surrogates are encoded too (so the server sees invalid UTF-8, not a clean string).
"""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments import moderation
from comments.forms import sign_timestamp
from comments.models import Comment
from tests.factories import SLOW, make_article, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_flood_wait")]

# Any code point at all, surrogates, NUL and other controls included.
anything = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
emails = st.one_of(anything, st.emails().map(str))
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def encode(value):
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def post_raw(client, url, fields):
    body = "&".join(f"{name}={encode(value)}" for name, value in fields.items())
    return client.generic(
        "POST", url, body.encode("ascii"), content_type="application/x-www-form-urlencoded"
    )


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def moderator():
    return make_user(group="Moderators")


@FUZZ
@given(name=anything, email=emails, body=anything, website=st.sampled_from(["", "x"]))
def test_any_comment_gets_an_answer_and_any_stored_one_shows(
    article, moderator, name, email, body, website
):
    import time

    fields = {
        "name": name, "email": email, "body": body, "website": website, "parent": "",
        "timestamp": sign_timestamp(article.pk, now=time.time() - SLOW),
    }  # fmt: skip
    response = post_raw(Client(), f"/articles/{article.slug}/comments/", fields)
    assert response.status_code in (200, 302)
    moderation.approve(Comment.objects.filter(status=Comment.Status.PENDING), by=moderator)
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    assert Client().get("/").status_code == 200


@FUZZ
@given(query=anything)
def test_any_search_gets_a_page(query):
    response = Client().generic("GET", f"/search/?q={encode(query)}")
    assert response.status_code == 200


@FUZZ
@given(value=anything)
def test_any_reply_to_or_page_number_gets_an_answer(article, value):
    assert (
        Client()
        .generic("GET", f"{article.get_absolute_url()}?reply_to={encode(value)}")
        .status_code
        == 200
    )
    assert Client().generic("GET", f"/?page={encode(value)}").status_code in (200, 404)


@pytest.mark.parametrize("size", [5_001, 100_000, 2_000_000])
def test_a_huge_comment_is_refused_with_a_message(article, size):
    import time

    fields = {
        "name": "Big", "email": "big@example.com", "body": "x" * size, "website": "",
        "parent": "", "timestamp": sign_timestamp(article.pk, now=time.time() - SLOW),
    }  # fmt: skip
    response = post_raw(Client(), f"/articles/{article.slug}/comments/", fields)
    assert response.status_code == 200
    assert b"Please keep this under 5,000 characters" in response.content
    assert not Comment.objects.exists()


def test_a_request_body_beyond_the_upload_limit_is_refused_not_crashed(article):
    fields = {"body": "x" * 3_000_000, "name": "Big"}
    response = post_raw(Client(), f"/articles/{article.slug}/comments/", fields)
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/comments/comment/?q=%00",
        "/admin/articles/article/?q=a%00b",
        "/admin/articles/image/picker/?q=%00",
        "/admin/articles/tag/?q=%00",
    ],
)
def test_a_nul_in_an_admin_search_is_not_a_server_error(client, url):
    client.force_login(make_user(group="Editors"))
    assert client.get(url).status_code == 200
