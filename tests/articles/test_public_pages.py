import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles import publishing
from articles.models import Category, Tag
from tests.factories import image_upload, make_article, make_image
from tests.visits import get_counting_queries

pytestmark = pytest.mark.django_db


def test_home_lists_the_newest_article_first_with_its_details(client):
    make_article(title="Older study", slug="older")
    newest = make_article(title="Newest study", summary="A short summary.", image=make_image())
    newest.comment_count = 3
    publishing.save(newest)
    page = client.get("/").content.decode()
    assert page.index("Newest study") < page.index("Older study")
    assert "A short summary." in page
    assert newest.author.get_full_name() in page
    assert newest.publish_at.strftime("%B") in page
    assert "3 comments" in page
    assert 'type="image/webp"' in page


def test_home_pages_ten_articles_at_a_time(client):
    for number in range(12):
        make_article(title=f"Story number {number:02d}")
    first, second = client.get("/"), client.get("/?page=2")
    assert len(first.context["article_list"]) == 10
    assert len(second.context["article_list"]) == 2
    assertContains(first, "Older articles")
    assertContains(second, "Newer articles")


def test_a_page_number_past_the_end_is_not_found(client):
    make_article()
    assert client.get("/?page=99").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_the_article_page_shows_byline_reading_time_picture_and_body(client):
    image = make_image(caption="Samples in the freezer", credit="Photo: Lab team")
    article = make_article(
        title="A careful study",
        body="<h2>What they found</h2><p>" + "Results " * 500 + "</p>",
        image=image,
    )
    response = client.get(article.get_absolute_url())
    assertContains(response, '<h1 class="article__title">A careful study</h1>', html=False)
    assertContains(response, f"By {article.author.get_full_name()}")
    assertContains(response, "3 min read")
    assertContains(response, "Samples in the freezer")
    assertContains(response, "Photo: Lab team")
    assertContains(response, "<h2>What they found</h2>")
    assertContains(response, 'width="640" height="360"')
    assertContains(response, 'fetchpriority="high"')
    assertContains(response, "Research")


def test_previous_and_next_articles_are_linked(client):
    make_article(title="First in time")
    middle = make_article(title="Second in time")
    make_article(title="Third in time")
    response = client.get(middle.get_absolute_url())
    content = response.content.decode()
    assert 'rel="prev"' in content and "First in time" in content
    assert 'rel="next"' in content and "Third in time" in content


def test_body_images_from_the_library_get_renditions_size_and_lazy_loading(client):
    image = make_image(file=image_upload(size=(1600, 900)))
    article = make_article(
        body=f'<figure><img src="{image.url}" alt="In the lab" data-file="{image.pk}">'
        "<figcaption>Lab work</figcaption></figure><p>Text</p>"
    )
    response = client.get(article.get_absolute_url())
    assertContains(response, 'alt="In the lab"')
    assertContains(response, 'width="1600" height="900"')
    assertContains(response, 'loading="lazy"')
    assertContains(response, "480w")


def test_a_category_page_lists_only_its_articles(client):
    community = Category.objects.get(slug="community")
    make_article(title="Family walk raises funds", category=community)
    make_article(title="Lab result")
    response = client.get("/category/community/")
    assertContains(response, "Family walk raises funds")
    assertNotContains(response, "Lab result")
    assertContains(response, community.description)


def test_an_unknown_category_or_tag_is_not_found(client):
    assert client.get("/category/nothing/").status_code == 404
    assert client.get("/tag/nothing/").status_code == 404


def test_a_tag_page_lists_tagged_articles(client):
    tag = Tag.objects.create(name="SOD1", slug="sod1")
    make_article(title="Tagged one").tags.add(tag)
    make_article(title="Untagged one")
    response = client.get("/tag/sod1/")
    assertContains(response, "Tagged one")
    assertNotContains(response, "Untagged one")


@pytest.mark.parametrize(
    "query", ["neurofilament", "NEUROFILAMENT", "blood neurofilament", "summary-word"]
)
def test_search_finds_words_in_title_summary_and_body(client, query):
    make_article(
        title="A blood test",
        summary="summary-word appears here",
        body="<p>Neurofilament light rises when nerves are damaged.</p>",
    )
    make_article(title="Unrelated", summary="Nothing", body="<p>Nothing at all.</p>")
    response = client.get("/search/", {"q": query})
    assertContains(response, "A blood test")
    assertNotContains(response, "Unrelated")


def test_search_does_not_match_html_tag_names(client):
    make_article(title="Plain", body="<p><strong>Bold</strong> text</p>")
    response = client.get("/search/", {"q": "strong"})
    assertContains(response, "0 articles found")


@pytest.mark.parametrize("query", ["", "   ", "\x00", "a" * 5000, "<script>alert(1)</script>"])
def test_odd_searches_get_a_page_not_an_error(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)</script>")


def test_search_shows_how_many_articles_it_found(client):
    make_article(title="Tofersen one")
    make_article(title="Tofersen two")
    assertContains(client.get("/search/?q=tofersen"), "2 articles found for “tofersen”")


def test_pages_carry_canonical_and_open_graph_tags(client):
    article = make_article(image=make_image())
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in content
    assert '<meta property="og:type" content="article">' in content
    assert f'<meta property="og:title" content="{article.title}">' in content
    assert '<meta property="og:image" content="http://testserver/media/renditions/' in content


def test_an_unknown_address_gets_the_friendly_not_found_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assertContains(response, "We can’t find that page", status_code=404)
    assertContains(response, 'name="q"', status_code=404)


def test_a_server_error_shows_the_apology_page_and_no_traceback(monkeypatch):
    from django.test import Client

    from articles.views import ArticleListView

    def broken(view):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(ArticleListView, "get_queryset", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)
    assertNotContains(response, "the database fell over", status_code=500)


def test_the_home_page_runs_the_same_queries_with_many_articles(
    client, django_assert_max_num_queries
):
    for _ in range(2):
        make_article(image=make_image())
    page, few = get_counting_queries(client, "/")
    assert page.status_code == 200
    for _ in range(10):
        make_article(image=make_image())
    with django_assert_max_num_queries(few):
        client.get("/")


def test_the_article_page_runs_the_same_queries_however_many_articles_exist(
    client, django_assert_max_num_queries
):
    article = make_article(image=make_image())
    page, few = get_counting_queries(client, article.get_absolute_url())
    assert page.status_code == 200
    for _ in range(15):
        make_article(image=make_image())
    with django_assert_max_num_queries(few):
        client.get(article.get_absolute_url())
