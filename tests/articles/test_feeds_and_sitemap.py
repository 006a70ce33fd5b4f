import xml.etree.ElementTree as ET

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_rss_feed_lists_published_articles_newest_first(client):
    make_article(title="Older news")
    make_article(title="Newer news", summary="The summary of the newer news.")
    response = client.get("/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Newer news", "Older news"]
    first = channel.find("item")
    assert first.findtext("description") == "The summary of the newer news."
    assert first.findtext("link").startswith("http://testserver/articles/")
    assert first.findtext("category") == "Research"


def test_the_atom_feed_is_valid_and_names_the_author(client):
    article = make_article(title="Atom news")
    root = ET.fromstring(client.get("/feed/atom/").content)
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Atom news"
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == article.author.get_full_name()


def test_the_feed_holds_at_most_twenty_articles(client):
    for _ in range(22):
        make_article()
    channel = ET.fromstring(client.get("/feed/rss/").content).find("channel")
    assert len(channel.findall("item")) == 20


def test_the_sitemap_lists_home_categories_and_published_articles(client):
    article = make_article()
    root = ET.fromstring(client.get("/sitemap.xml").content)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [url.findtext(f"{namespace}loc") for url in root.findall(f"{namespace}url")]
    assert "http://testserver/" in locations
    assert f"http://testserver{article.get_absolute_url()}" in locations
    assert "http://testserver/category/research/" in locations
