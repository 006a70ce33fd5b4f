"""The RSS and Atom feeds as a feed reader shows them, in Chromium: a description or an HTML
summary is put in the page as HTML, a title, category and author as text. Hostile words in
any of them run nothing and read as written."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from articles import publishing
from articles.models import Category
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="window.ran=1">'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile_article():
    author = make_user(group="Authors", first_name=f"Ann {HOSTILE}", last_name="Lee")
    category = Category.objects.create(name=f"News {HOSTILE}", slug="hostile-news")
    article = make_article(
        title=f"Title {HOSTILE}", summary=f"Odds: a < b & c {HOSTILE}", author=author,
        category=category,
    )  # fmt: skip
    publishing.save(article)
    return article


def rss_items(xml):
    for item in ET.fromstring(xml).iter("item"):
        yield {
            "text": [item.findtext("title"), item.findtext("category"),
                     item.findtext("{http://purl.org/dc/elements/1.1/}creator") or ""],
            "html": item.findtext("description"),
        }  # fmt: skip


def atom_items(xml):
    for entry in ET.fromstring(xml).iter(f"{ATOM}entry"):
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        yield {
            "text": [entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}category").get("term"),
                     entry.findtext(f"{ATOM}author/{ATOM}name")],
            "html": summary.text,
        }  # fmt: skip


SHOW = """(items) => {
  for (const item of items) {
    const card = document.createElement("article");
    for (const text of item.text) {
      const line = document.createElement("p");
      line.textContent = text;
      card.append(line);
    }
    const body = document.createElement("div");
    body.innerHTML = item.html;
    card.append(body);
    document.body.append(card);
  }
}"""


@pytest.mark.parametrize("feed, read", [("/feed/rss/", rss_items), ("/feed/atom/", atom_items)])
def test_a_feed_reader_shows_hostile_words_as_text_and_runs_nothing(
    browser, hostile_article, feed, read
):
    items = list(read(Client().get(feed).content))
    assert items
    tab = browser.new_page()
    try:
        tab.set_content("<!doctype html><title>Reader</title><body></body>")
        tab.evaluate(SHOW, items)
        tab.wait_for_timeout(300)  # an <img src=x> fails at once; its onerror would run now
        assert tab.evaluate("window.ran") is None
        shown = tab.inner_text("body")
        assert f"Odds: a < b & c {HOSTILE}" in shown
        assert f"Title {HOSTILE}" in shown and f"News {HOSTILE}" in shown
        assert tab.locator("img").count() == 0
    finally:
        tab.close()
