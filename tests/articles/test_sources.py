"""An article's sources: listed under its body, each linked, checked in the admin."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Source
from tests.factories import NO_SOURCES, make_article, make_user
from tests.visits import get_counting_queries, served_from_cache

pytestmark = pytest.mark.django_db

TRIAL = {
    "title": "Trial of Antisense Oligonucleotide Tofersen for SOD1 ALS",
    "publication": "New England Journal of Medicine, 2022",
    "doi": "10.1056/NEJMoa2204705",
}


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_form(article, *sources, initial=0):
    """The article's admin form as sent, with `sources` as the rows of its Sources table."""
    fields = {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "status": article.status,
        "publish_at_0": article.publish_at.strftime("%Y-%m-%d") if article.publish_at else "",
        "publish_at_1": article.publish_at.strftime("%H:%M:%S") if article.publish_at else "",
        "comments_open": "on",
        **NO_SOURCES,
        "sources-TOTAL_FORMS": str(len(sources)),
        "sources-INITIAL_FORMS": str(initial),
    }
    for number, source in enumerate(sources):
        row = {"title": "", "publication": "", "url": "", "doi": "", "position": "0", **source}
        fields.update({f"sources-{number}-{name}": value for name, value in row.items()})
        fields[f"sources-{number}-article"] = article.pk
    return fields


@pytest.fixture
def editor(client):
    client.force_login(make_user(group="Editors"))
    return client


def test_readers_see_the_sources_under_the_article_each_linked(client):
    article = make_article()
    Source.objects.create(
        article=article, position=2, title="FDA approval", url="https://www.fda.gov/x"
    )
    Source.objects.create(article=article, position=1, **TRIAL)
    page = client.get(article.get_absolute_url())
    assertContains(
        page,
        '<h2 id="article-sources-heading" class="article-sources__heading">Sources</h2>',
        html=False,
    )
    html = page.content.decode()
    sources = html[html.index('class="article-sources"') : html.index("</section>")]
    assert sources.index(TRIAL["title"]) < sources.index("FDA approval")  # in their order
    assert '<a href="https://doi.org/10.1056/NEJMoa2204705">' in sources
    assert '<a href="https://www.fda.gov/x">FDA approval</a>' in sources
    assert "New England Journal of Medicine, 2022" in sources


def test_an_article_without_sources_shows_no_sources_heading(client):
    page = client.get(make_article().get_absolute_url())
    assertNotContains(page, "article-sources")


def test_sources_cost_the_article_page_one_query_however_many_there_are(
    client, django_assert_max_num_queries
):
    few, many = make_article(), make_article()
    Source.objects.create(article=few, **TRIAL)
    for number in range(12):
        Source.objects.create(article=many, title=f"Paper {number}", doi=f"10.1000/{number}")
    page, queries = get_counting_queries(client, few.get_absolute_url())
    assert page.status_code == 200
    with django_assert_max_num_queries(queries):
        assertContains(client.get(many.get_absolute_url()), "Paper 11")


def test_an_editor_lists_sources_and_readers_see_them_at_once(editor):
    article = make_article()
    reader = Client()
    reader.get(article.get_absolute_url())
    assert served_from_cache(reader.get(article.get_absolute_url()))
    pasted = {**TRIAL, "doi": "https://doi.org/10.1056/NEJMoa2204705", "position": "1"}
    response = editor.post(change_url(article), article_form(article, pasted))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Source.objects.get(article=article).doi == "10.1056/NEJMoa2204705"  # stored bare
    assertContains(reader.get(article.get_absolute_url()), TRIAL["title"])


def test_a_source_taken_off_the_list_leaves_the_page(editor):
    article = make_article()
    source = Source.objects.create(article=article, **TRIAL)
    reader = Client()
    assertContains(reader.get(article.get_absolute_url()), TRIAL["title"])
    row = {**TRIAL, "id": source.pk, "DELETE": "on"}
    response = editor.post(change_url(article), article_form(article, row, initial=1))
    assert response.status_code == 302, response.content.decode()[:3000]
    assertNotContains(reader.get(article.get_absolute_url()), TRIAL["title"])


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"title": "A paper", "doi": "NEJMoa2204705"}, "doi", "Enter a DOI such as 10.1056/"),
        ({"title": "A paper", "doi": "10.1056/has space"}, "doi", "with no spaces"),
        ({"title": "A paper", "url": "javascript:alert(1)"}, "url", "starting with https://"),
        ({"title": "A paper", "url": "ftp://example.org/paper"}, "url", "starting with https://"),
        ({"title": "A paper", "url": "www.nejm.org/paper"}, "url", "starting with https://"),
        ({"title": "A paper"}, "url", "Give a web address or a DOI"),
        ({"doi": "10.1056/NEJMoa2204705"}, "title", "This field is required."),
    ],
    ids=["no-prefix", "space", "javascript", "ftp", "no-scheme", "neither", "no-title"],
)
def test_a_bad_source_gets_a_message_next_to_its_field_and_nothing_is_stored(
    editor, row, field, message
):
    article = make_article()
    response = editor.post(change_url(article), article_form(article, row))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert any(message in error for error in formset.forms[0].errors[field])
    assert not Source.objects.exists()


def test_an_author_cannot_change_the_sources_of_their_published_article(client):
    author = make_user(group="Authors")
    article = make_article(author=author)
    Source.objects.create(article=article, **TRIAL)
    client.force_login(author)
    page = client.get(change_url(article))
    assert page.status_code == 200
    assertNotContains(page, 'name="sources-0-title"')
    assertNotContains(page, 'name="sources-0-DELETE"')


def test_an_author_lists_sources_on_their_own_draft(client):
    author = make_user(group="Authors")
    article = make_article(author=author, status="draft", publish_at=None)
    client.force_login(author)
    response = client.post(change_url(article), article_form(article, TRIAL))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Source.objects.get(article=article).title == TRIAL["title"]
