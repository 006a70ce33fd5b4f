"""Pages a front cache or CDN may hold, the surrogate keys they answer to, and the purges
each change queues, sent by the worker to Varnish, Fastly or Cloudflare (here a stand-in that
records what it gets)."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import publishing
from articles.models import Article, Category, Tag
from comments import moderation
from comments.models import Comment
from pages import editing
from pages.models import SiteDetails
from subscriptions.models import MailingList
from tests.factories import make_article, make_comment, make_user
from tests.purge_server import PurgeServer

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

SHARED_PAGES = ["/", "/feed/rss/", "/feed/atom/", "/sitemap.xml", "/about/"]


@pytest.fixture
def article():
    research = Category.objects.get(slug="research")
    article = make_article(title="Tofersen results", category=research)
    publishing.save(article, tags=[Tag.objects.create(name="SOD1", slug="sod1")])
    return article


@pytest.fixture
def purge_api(settings):
    server = PurgeServer().start()
    settings.FRONT_CACHE = "varnish"
    settings.FRONT_CACHE_URLS = [server.url]
    yield server
    server.stop()


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def keys_of(response):
    return set(response["xkey"].split())


def shared_pages(article):
    return [*SHARED_PAGES, article.get_absolute_url(), "/category/research/", "/tag/sod1/"]


# What a front cache may hold.


def test_every_page_everyone_shares_says_a_shared_cache_may_keep_it(article, settings):
    for url in shared_pages(article):
        for response in (Client().get(url), Client().get(url)):  # rendered, then from the cache
            assert response.status_code == 200, url
            assert {"public", "max-age=0"} <= directives(response), url
            assert any(d.startswith("s-maxage=") for d in directives(response)), url
            assert any(d.startswith("stale-while-revalidate=") for d in directives(response))
            assert any(d.startswith("stale-if-error=") for d in directives(response))
            assert "cookie" not in response.get("Vary", "").lower(), url
            assert not response.cookies, url
            assert "site" in keys_of(response), url


def test_a_stray_cookie_changes_nothing_and_the_bytes_are_everyones(article):
    def shown(client):
        content = client.get(article.get_absolute_url()).content
        return re.sub(rb'name="timestamp" value="[^"]+"', b"", content)  # signed as it is served

    plain = Client()
    stray = Client()
    stray.cookies["csrftoken"] = "x" * 32
    stray.cookies["_ga"] = "GA1.2.3"
    assert shown(plain) == shown(stray)
    response = stray.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit" and "public" in directives(response)


@pytest.mark.parametrize("cookie", ["comments_visit", "commenter"])
def test_a_visitor_the_site_knows_something_of_gets_a_page_no_shared_cache_keeps(article, cookie):
    visitor = Client()
    visitor.cookies[cookie] = "anything"
    response = visitor.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "bypass"
    assert {"private", "no-cache"} <= directives(response) and "public" not in directives(response)
    assert "xkey" not in response


def test_staff_never_get_a_page_a_shared_cache_may_keep(article):
    staff = Client()
    staff.force_login(make_user(group="Editors"))
    response = staff.get(article.get_absolute_url())
    assert "public" not in directives(response) and "private" in directives(response)


def test_a_form_sent_is_never_kept_by_a_shared_cache(article):
    response = Client().post(f"/articles/{article.slug}/comments/", {"body": ""})
    assert "public" not in directives(response)


# The keys each page answers to.


def test_an_article_page_answers_to_its_article_and_its_neighbours(article):
    older = make_article(publish_at=article.publish_at - timedelta(days=2))
    newer = make_article(publish_at=article.publish_at + timedelta(hours=2))
    keys = keys_of(Client().get(article.get_absolute_url()))
    assert keys == {"site", f"article-{article.pk}", f"article-{older.pk}", f"article-{newer.pk}"}


def test_a_list_answers_to_its_own_key_and_each_article_it_shows(article):
    other = make_article(category=Category.objects.get(slug="community"))
    home = keys_of(Client().get("/"))
    assert {"site", "lists", f"article-{article.pk}", f"article-{other.pk}"} <= home
    research = keys_of(Client().get("/category/research/"))
    assert research == {"site", f"category-{article.category_id}", f"article-{article.pk}"}
    tag = Tag.objects.get(slug="sod1")
    assert keys_of(Client().get("/tag/sod1/")) == {"site", f"tag-{tag.pk}", f"article-{article.pk}"}
    for url in ("/feed/rss/", "/feed/atom/", "/sitemap.xml"):
        assert keys_of(Client().get(url)) == {"site", "lists"}


def test_a_site_page_answers_to_its_own_key():
    assert keys_of(Client().get("/about/")) == {"site", "page-about"}


# What each change purges, through the worker.


def test_editing_an_article_purges_its_pages_its_lists_and_its_neighbours(
    article, purge_api, deliver
):
    neighbour = make_article(publish_at=article.publish_at - timedelta(days=3))
    deliver()
    purge_api.requests.clear()
    article.title = "Tofersen: the two-year results"
    publishing.save(article)
    deliver()
    (request,) = purge_api.requests
    assert request["method"] == "PURGE"
    tag = Tag.objects.get(slug="sod1")
    assert purge_api.purged_keys() == {
        f"article-{article.pk}", "lists", f"category-{article.category_id}",
        f"tag-{tag.pk}", f"article-{neighbour.pk}",
    }  # fmt: skip


def test_approving_a_comment_purges_the_pages_that_show_its_article(article, purge_api, deliver):
    comment = make_comment(article, status="pending")
    moderator = make_user(group="Moderators")
    deliver()
    purge_api.requests.clear()
    moderation.approve(Comment.objects.filter(pk=comment.pk), by=moderator)
    deliver()
    assert purge_api.purged_keys() == {f"article-{article.pk}"}


def test_the_site_details_and_the_mailing_lists_purge_every_page(purge_api, deliver, client):
    client.force_login(make_user(group="Editors", is_superuser=True))
    deliver()
    purge_api.requests.clear()
    details = SiteDetails.load()
    details.helpline = "+1 617 555 0142"
    editing.save_details(details)
    deliver()
    assert purge_api.purged_keys() == {"site"}
    purge_api.requests.clear()
    listed = MailingList.objects.first()
    Client().get("/")  # cached, offering the list under its old name
    url = f"/admin/subscriptions/mailinglist/{listed.pk}/change/"
    form = {"name": "Research news", "slug": listed.slug, "description": listed.description,
            "is_public": "on", "position": "0"}  # fmt: skip
    if listed.is_digest:
        form["is_digest"] = "on"
    client.post(url, form)
    deliver()
    assert MailingList.objects.get(pk=listed.pk).name == "Research news"
    assert purge_api.purged_keys() == {"site"}
    assert "Research news" in Client().get("/").content.decode()  # the app's own cache too


def test_a_scheduled_article_is_purged_in_at_the_moment_it_goes_public(purge_api, deliver, clock):
    at = timezone.now() + timedelta(hours=3)
    article = make_article(publish_at=at)
    clock.advance(seconds=settings.FRONT_CACHE_PURGE_AGAIN_SECONDS)
    deliver()  # the purges of saving it, both sent
    first = len(purge_api.requests)
    queued = DBTaskResult.objects.filter(status="READY", task_path="pagecache.tasks.purge")
    again = timedelta(seconds=settings.FRONT_CACHE_PURGE_AGAIN_SECONDS)
    assert sorted(queued.values_list("run_after", flat=True)) == [at, at + again]
    clock.advance(seconds=(at - timezone.now()).total_seconds() + 1)
    deliver()
    assert len(purge_api.requests) == first + 1
    del purge_api.requests[:first]
    assert f"article-{article.pk}" in purge_api.purged_keys()


def test_the_first_request_after_a_scheduled_time_purges_nothing_more(purge_api, deliver, clock):
    # The purge queued for that moment names the article's pages; the version rolled on by
    # the first reader after it must not empty the whole front cache as well.
    at = timezone.now() + timedelta(hours=1)
    make_article(publish_at=at)
    clock.advance(hours=1, seconds=settings.FRONT_CACHE_PURGE_AGAIN_SECONDS + 1)
    deliver()  # every purge queued so far, the scheduled ones too
    purge_api.requests.clear()
    assert Client().get("/").status_code == 200  # the first reader after it: a new version
    deliver()
    assert purge_api.requests == []


def test_a_purge_the_front_cache_refuses_is_tried_again_until_it_goes_through(
    article, purge_api, deliver, clock
):
    purge_api.status = 503
    publishing.save(article)
    deliver()
    assert purge_api.requests and not DBTaskResult.objects.filter(status="FAILED").exists()
    waiting = DBTaskResult.objects.filter(status="READY", task_path="pagecache.tasks.purge")
    soon = waiting.filter(run_after__lt=timezone.now() + timedelta(seconds=5))
    assert soon.count() == 1  # queued again, for a little later (beside the second purge)
    purge_api.status = 200
    tries = len(purge_api.requests)
    clock.advance(seconds=5)
    deliver()
    assert len(purge_api.requests) == tries + 1
    assert not soon.exists()


def test_each_purge_is_sent_again_after_a_page_made_before_the_change_could_arrive(
    article, purge_api, deliver, clock
):
    # A reader's request that read the article before the change commits can hand its page
    # to the front cache after the first purge: the second one, later, takes it out.
    wait = settings.FRONT_CACHE_PURGE_AGAIN_SECONDS
    assert wait > VARNISH_WAITS_FOR_A_PAGE_IT_KEEPS
    clock.advance(seconds=wait)
    deliver()
    purge_api.requests.clear()
    publishing.save(article)
    deliver()
    (first,) = purge_api.requests
    clock.advance(seconds=wait - 1)
    deliver()
    assert len(purge_api.requests) == 1  # not yet
    clock.advance(seconds=1)
    deliver()
    assert len(purge_api.requests) == 2
    keys = [keys_purged(request) for request in purge_api.requests]
    assert keys[0] == keys[1] and f"article-{article.pk}" in keys[0].split()


def keys_purged(request):
    return {name.lower(): value for name, value in request["headers"].items()}["xkey-purge"]


def varnish_first_byte_timeout():
    """How long the shipped VCL lets a page it may keep take (vcl_backend_fetch)."""
    vcl = (ROOT / "deploy" / "varnish" / "alsblog.vcl").read_text()
    return int(re.search(r"set bereq\.first_byte_timeout = (\d+)s;", vcl).group(1))


VARNISH_WAITS_FOR_A_PAGE_IT_KEEPS = varnish_first_byte_timeout()


def test_purges_have_a_queue_of_their_own_so_they_never_wait_behind_email(
    article, purge_api, monkeypatch
):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    from outbox.messages import Message
    from outbox.queue import send

    news = Message(key="news-1", kind="newsletter", to="reader@example.com", subject="News",
                   text="A long run of email.")  # fmt: skip
    send([news])
    publishing.save(article)
    tasks = DBTaskResult.objects.filter(status="READY")
    assert set(tasks.values_list("queue_name", "task_path")) >= {
        ("default", "outbox.tasks.deliver"),
        ("purges", "pagecache.tasks.purge"),
    }
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    # The purge worker (docs/operators.md) sends the purge while the email still waits.
    call_command("db_worker", queue_name="purges", batch=True, startup_delay=False, verbosity=0)
    assert f"article-{article.pk}" in purge_api.purged_keys()
    assert tasks.filter(queue_name="default").exists()


def test_without_a_front_cache_nothing_is_queued(article, settings):
    settings.FRONT_CACHE = ""
    publishing.save(article)
    assert not DBTaskResult.objects.filter(task_path="pagecache.tasks.purge").exists()


# The CDNs' purge APIs.


def test_fastly_is_asked_to_purge_the_keys_with_the_services_token(settings, deliver, article):
    server = PurgeServer().start()
    try:
        settings.FRONT_CACHE = "fastly"
        settings.FASTLY_API_URL, settings.FASTLY_SERVICE_ID = server.url, "svc123"
        settings.FASTLY_API_TOKEN = "fastly-token"
        publishing.save(article)
        deliver()
        (request,) = server.requests
    finally:
        server.stop()
    assert (request["method"], request["path"]) == ("POST", "/service/svc123/purge")
    assert request["headers"]["Fastly-Key"] == "fastly-token"
    assert f"article-{article.pk}" in request["headers"]["Surrogate-Key"].split()


def test_cloudflare_is_asked_to_purge_the_tags_thirty_at_a_time(settings, deliver):
    from pagecache import frontcache

    server = PurgeServer().start()
    try:
        settings.FRONT_CACHE = "cloudflare"
        settings.CLOUDFLARE_API_URL, settings.CLOUDFLARE_ZONE_ID = server.url, "zone9"
        settings.CLOUDFLARE_API_TOKEN = "cf-token"
        keys = [f"article-{n}" for n in range(45)]
        frontcache.purge(keys)
        requests = list(server.requests)
        server.body = json.dumps({"success": False, "errors": [{"message": "no"}]}).encode()
        with pytest.raises(frontcache.PurgeFailed, match="did not confirm"):
            frontcache.purge(["site"])
    finally:
        server.stop()
    assert [len(json.loads(r["body"])["tags"]) for r in requests] == [30, 15]
    assert {r["path"] for r in requests} == {"/zones/zone9/purge_cache"}
    assert requests[0]["headers"]["Authorization"] == "Bearer cf-token"
    assert {tag for r in requests for tag in json.loads(r["body"])["tags"]} == set(keys)


def test_an_unpublished_article_is_purged_and_gone_from_every_list(article, purge_api, deliver):
    deliver()
    purge_api.requests.clear()
    publishing.unpublish(Article.objects.filter(pk=article.pk))
    deliver()
    assert purge_api.purged_keys() == {"site"}  # a bulk change: every page
    assert Client().get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "path, status",
    [("/articles/no-such-article/", 404), ("/?page=99", 404), ("/search/?q=tofersen", 200),
     ("/favicon.ico", 301)],
)  # fmt: skip
def test_what_no_purge_reaches_tells_every_cache_not_to_keep_it(article, path, status):
    response = Client().get(path)
    assert response.status_code == status
    assert {"no-cache", "private"} <= directives(response)
