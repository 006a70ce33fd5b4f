"""Importing a real WordPress 6.1 export (site-a.xml) with its uploads folder."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article, Category, Image, Tag
from comments.models import Comment
from wordpress.conversations import HELD
from wordpress.models import OldLink

pytestmark = pytest.mark.django_db
HERE = Path(__file__).resolve().parent / "site-a"
EXPORT = HERE / "site-a.xml"
UPLOADS = HERE / "uploads"


def run(*args, export=EXPORT, uploads=UPLOADS):
    out = io.StringIO()
    options = ["--uploads", str(uploads)] if uploads else []
    call_command("import_wordpress", str(export), *options, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def imported():
    return run()


def article(slug):
    return Article.objects.get(slug=slug)


def test_the_report_counts_what_came_in_by_kind(imported):
    future = timezone.now() < SCHEDULED_FOR
    for line in (
        f"articles published                    {13 if future else 14}",
        f"articles scheduled                     {1 if future else 0}",
        "articles as drafts                     1",
        "articles waiting for review            0",
        "comments approved                     54",
        "comments waiting for review            5",
        "staff replies                          6",
        "images                                11",
        "authors                                3",
    ):
        assert line in imported
    assert "page “About us”: pages are not articles" in imported
    assert "a pingback" in imported


SCHEDULED_FOR = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # post 30, "future" in WordPress


def test_posts_become_articles_by_status_and_date(imported):
    still_future = timezone.now() < SCHEDULED_FOR
    assert Article.objects.published().count() == 13 + (0 if still_future else 1)
    assert Article.objects.get(publish_at=SCHEDULED_FOR).status == Article.Status.PUBLISHED
    walk = article("spring-walk-2026")
    assert walk.publish_at.isoformat() == "2026-05-11T13:45:00+00:00"
    assert walk.author.username == "twieczorek"
    scheduled = Article.objects.get(publish_at=SCHEDULED_FOR)
    draft = Article.objects.get(status=Article.Status.DRAFT)
    assert draft.publish_at is None  # its zero date did not break anything
    assert draft.slug  # WordPress gave it none
    assert Client().get(draft.get_absolute_url()).status_code == 404
    if still_future:
        assert Client().get(scheduled.get_absolute_url()).status_code == 404


def test_classic_posts_get_their_paragraphs_and_line_breaks(imported):
    body = article("welcome-to-our-new-research-news-page").body
    assert body.startswith("<p>Welcome to the new home of our research news.")
    assert "<p>Nadia Grant<br>" in body


def test_block_editor_comments_go_and_their_html_stays(imported):
    body = article("clinical-trials-explained").body
    assert "wp:" not in body
    assert "<h2>The phases</h2>" in body
    assert "<li><strong>Phase 1</strong> asks" in body


def test_a_caption_shortcode_becomes_a_figure_of_a_library_image(imported):
    body = article("spring-walk-2026").body
    assert "[caption" not in body
    image = Image.objects.get(title="spring-walk-start")
    assert f'data-file="{image.pk}"' in body
    assert "<figcaption>The start line on the harbour wall.</figcaption>" in body
    assert "harbourals.example/wp-content" not in body


def test_images_enter_the_library_with_alt_text_renditions_and_no_old_addresses(imported):
    image = Image.objects.get(title="biomarker-lab")
    assert image.alt_text == "Drawing of test tubes in a rack, in blue and white"
    assert (image.width, image.height) == (400, 300)
    assert image.renditions["jpeg"]  # resized as any upload is
    assert article("what-is-a-biomarker").image == image  # the featured image
    for body in Article.objects.values_list("body", flat=True):
        assert "wp-content/uploads" not in body


def test_links_between_old_posts_point_at_the_new_articles(imported):
    body = article("write-to-your-mp-home-adaptations").body
    assert 'href="/articles/clinical-trials-explained/"' in body
    assert "Dear [MP name]" in body  # brackets in text are not shortcodes
    assert "links to https://www.harbourals.example/about-us/ on the old site" in imported


def test_categories_and_tags_come_across(imported):
    trials = article("clinical-trials-explained")
    assert trials.category.slug == "clinical-trials"
    # Its second category, Research, is a tag of it: an article has one category.
    assert {tag.slug for tag in trials.tags.all()} == {
        "research-explained",
        "taking-part",
        "research",
    }
    assert Tag.objects.count() == 18
    assert not Category.objects.filter(slug="uncategorized").exists()  # WordPress's, unused
    assert "was also in Research: an article has one category here, so those are tags" in imported


def test_comments_keep_their_status_threads_and_staff_badges(imported):
    trials = article("clinical-trials-explained")
    assert trials.comments.approved().count() == 37
    pending = trials.comments.pending()
    assert pending.count() == 3
    assert all(comment.held_reasons == [HELD] for comment in pending)
    assert trials.comment_count == 37
    staff = Comment.objects.filter(is_staff_reply=True)
    assert staff.count() == 6
    assert all(reply.staff_author and reply.parent_id for reply in staff)
    assert max(Comment.objects.values_list("depth", flat=True)) == 2  # deeper ones attach at 2
    # Each reply knows the first comment of its conversation, so pages keep threads whole.
    for reply in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        first = reply.parent
        while first.parent_id:
            first = first.parent
        assert reply.thread_id == first.pk
    assert not Comment.objects.filter(body__contains="<").exists()


def test_html_in_comments_becomes_plain_text_with_link_addresses_kept(imported):
    linked = Comment.objects.filter(body__contains="(http").first()
    assert linked is not None
    assert "<a" not in linked.body


def test_the_public_page_shows_the_conversation(imported):
    page = Client().get("/articles/clinical-trials-explained/").content.decode()
    assert page.count('class="comment__badge">Staff<') >= 1
    assert HELD not in page


def test_importing_again_duplicates_nothing_and_updates_what_changed(imported, tmp_path):
    counts = (Article.objects.count(), Comment.objects.count(), Image.objects.count())
    changed = tmp_path / "site-a.xml"
    changed.write_text(
        EXPORT.read_text().replace("we dared hope", "we dared hope: thank you"), "utf-8"
    )
    report = run(export=changed)
    assert (Article.objects.count(), Comment.objects.count(), Image.objects.count()) == counts
    assert article("spring-walk-2026").title.endswith("thank you")
    assert "were already here and were updated" in report


def test_old_addresses_redirect_to_their_new_pages(imported):
    client = Client()
    cases = {
        "/2026/02/24/clinical-trials-explained/": "/articles/clinical-trials-explained/",
        "/2026/02/24/clinical-trials-explained": "/articles/clinical-trials-explained/",
        "/?p=10": "/articles/clinical-trials-explained/",
        "/?p=10&preview=true": "/articles/clinical-trials-explained/",
        "/2026/02/24/clinical-trials-explained/?replytocom=51": (
            "/articles/clinical-trials-explained/"
        ),
        "/feed/": "/feed/rss/",
    }
    for old, new in cases.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get("/category/clinical-trials/").status_code == 200  # the same address here
    assert client.get("/tag/genetics/").status_code == 200
    assert client.get("/2026/99/99/no-such-post/").status_code == 404
    assert OldLink.objects.filter(old_path="/?p=29").exists()  # the draft, once published


def test_a_dry_run_prints_the_report_and_writes_nothing(settings):
    report = run("--dry-run")
    assert report.startswith("Dry run: nothing was written.")
    assert "articles published                    13" in report
    assert not Article.objects.exists() and not Image.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_without_the_uploads_folder_images_are_reported_not_fetched():
    report = run(uploads=None)
    assert "image 2026/01/biomarker-lab.jpg: no --uploads folder was given" in report
    assert not Image.objects.exists()
    assert Article.objects.count() == 15


def test_summaries_come_from_the_excerpt_and_captions_from_the_attachment(imported):
    assert article("clinical-trials-explained").summary.startswith("What the phases of a trial")
    assert Image.objects.get(title="neurofilament-levels").caption == (
        "Illustrative chart, not real data."
    )


def test_imported_authors_are_staff_authors_without_a_password(imported):
    from django.contrib.auth import get_user_model

    nadia = get_user_model().objects.get(username="ngrant")
    assert nadia.is_staff and not nadia.has_usable_password()
    assert list(nadia.groups.values_list("name", flat=True)) == ["Authors"]
    assert nadia.get_full_name() == "Nadia Grant"


def test_importing_again_leaves_what_staff_changed_here(imported):
    from django.contrib.auth import get_user_model

    from comments import moderation, privacy

    editor = get_user_model().objects.get(username="ngrant")
    walk = article("spring-walk-2026")
    walk.title = "Our spring walk: the results"
    publishing_save(walk)
    spam = Comment.objects.filter(article=walk).first()
    moderation.mark_spam(Comment.objects.filter(pk=spam.pk), by=editor)
    erased = Comment.objects.filter(article=article("clinical-trials-explained")).first()
    privacy.anonymise(erased.email)
    deleted = Comment.objects.exclude(pk__in=[spam.pk, erased.pk]).first()
    deleted_text = deleted.body
    deleted.delete()
    report = run()
    assert article("spring-walk-2026").title == "Our spring walk: the results"
    assert (
        "“Our spring walk raised more than we dared hope” was changed here since it was imported"
        in report
    )
    assert Comment.objects.get(pk=spam.pk).status == Comment.Status.SPAM
    assert Comment.objects.get(pk=erased.pk).name == "Anonymous"
    assert not Comment.objects.filter(body=deleted_text).exists()
    assert "deleted here since it was imported" in report


def publishing_save(article_):
    import time

    from articles import publishing

    time.sleep(2.1)  # later than the import's own write, as a person's edit would be
    publishing.save(article_)


def test_old_addresses_cost_ordinary_pages_no_query(imported, django_assert_num_queries):
    client = Client()
    client.get("/")  # the page cache now holds it
    with django_assert_num_queries(1):  # the public version, as before any import
        assert client.get("/").status_code == 200
