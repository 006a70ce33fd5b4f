"""Every save keeps a revision; staff compare two and restore one; old ones are pruned."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import publishing, revisions, workflow
from articles.models import Article, Category, Revision, Tag
from articles.revision_diff import text_changes
from tests.articles.editing import change_url, sent_form
from tests.factories import make_article, make_draft, make_user

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")


def compare_url(article, older, newer):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?from={older.pk}&to={newer.pk}"


def restore_url(revision):
    return reverse("admin:articles_article_restore", args=[revision.article_id, revision.pk])


@pytest.fixture
def editor():
    return make_user(group="Editors", first_name="Daniel", last_name="Editor")


@pytest.fixture
def treatments():
    return Tag.objects.create(name="Treatments", slug="treatments")


def test_an_editors_save_keeps_a_revision_of_everything_they_saved(client, editor, treatments):
    article = make_draft(title="Old title")
    client.force_login(editor)
    form = sent_form(article, title="New title", tags=[treatments.pk], status="published")
    response = client.post(change_url(article), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = article.revisions.saved().first()
    assert revision.created_by == editor
    assert revision.kind == Revision.Kind.SAVED
    assert revision.data["title"] == "New title"
    assert revision.data["tags"] == [treatments.pk]  # the tags as finally saved
    assert revision.data["status"] == "published"
    assert revision.data["publish_at"] is not None
    assert revision.data["category"] == article.category_id
    assert article.revisions.saved().count() == 2  # the draft as made, then this save


def test_adding_an_article_keeps_its_first_revision_with_its_tags(client, editor, treatments):
    client.force_login(editor)
    form = sent_form(make_draft(), slug="brand-new", title="Brand new", tags=[treatments.pk])
    form.pop("base_revision")
    response = client.post(reverse("admin:articles_article_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="brand-new")
    [revision] = article.revisions.all()
    assert (revision.created_by, revision.data["tags"]) == (editor, [treatments.pk])


def test_tags_given_to_a_save_are_stored_and_kept_in_its_revision(treatments):
    article = publishing.save(make_draft(), tags=[treatments])
    article.refresh_from_db()
    assert list(article.tags.all()) == [treatments]
    assert article.revisions.first().data["tags"] == [treatments.pk]


def test_publishing_and_returning_to_draft_in_bulk_keep_one_revision_each(
    client, editor, django_assert_num_queries
):
    drafts = [make_draft() for _ in range(3)]
    client.force_login(editor)
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [d.pk for d in drafts]})
    for draft in drafts:
        newest = draft.revisions.first()
        assert (newest.data["status"], newest.created_by) == ("published", editor)
    client.post(
        CHANGELIST, {"action": "return_to_draft", "_selected_action": [d.pk for d in drafts]}
    )
    assert [d.revisions.first().data["status"] for d in drafts] == ["draft"] * 3
    assert Revision.objects.filter(created_by=editor).count() == 6


def test_a_bulk_publish_costs_the_same_queries_for_two_articles_or_five(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_publish(count):
        drafts = [make_draft() for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            publishing.publish(Article.objects.filter(pk__in=[d.pk for d in drafts]), by=editor)
        return len(captured)

    assert queries_to_publish(2) == queries_to_publish(5)


def test_a_save_records_its_revision_and_prunes_in_two_queries(editor):
    article = make_article()
    tags = list(article.tags.all())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        revisions.record(article, by=editor, tag_ids=[tag.pk for tag in tags])
    assert [query["sql"].split()[0] for query in captured] == ["INSERT", "DELETE"]


def test_pruning_keeps_the_newest_and_the_recent_revisions(settings, clock):
    settings.ARTICLES_REVISIONS_KEEP, settings.ARTICLES_REVISIONS_KEEP_DAYS = 2, 10
    clock.advance(days=-30)  # six revisions a month ago, then three this week
    article = make_draft(title="Version 0")
    for number in range(1, 6):
        article.title = f"Version {number}"
        clock.advance(days=1)
        publishing.save(article)
    clock.advance(days=22)
    for number in range(6, 9):
        article.title = f"Version {number}"
        clock.advance(hours=12)
        publishing.save(article)
    titles = [revision.data["title"] for revision in article.revisions.all()]
    # The two newest, and Version 6 for being younger than ten days; nothing else.
    assert titles == ["Version 8", "Version 7", "Version 6"]


def test_the_prune_command_prunes_every_article(settings, clock):
    articles = [make_article(), make_article()]
    for article in articles:
        for _ in range(4):
            publishing.save(article)
    settings.ARTICLES_REVISIONS_KEEP, settings.ARTICLES_REVISIONS_KEEP_DAYS = 2, 1
    clock.advance(days=3)
    call_command("prune_revisions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [article.revisions.count() for article in articles] == [2, 2]


def test_a_save_supersedes_the_same_persons_autosave_but_not_a_colleagues(editor):
    from articles import autosave

    colleague = make_user(group="Editors")
    article = make_article()
    autosave.store(article, by=editor, data={"title": "Mine"})
    autosave.store(article, by=colleague, data={"title": "Theirs"})
    publishing.save(article, by=editor)
    assert [a.created_by for a in article.revisions.autosaves()] == [colleague]


def test_the_change_page_lists_the_revisions_with_who_and_what_changed(client, editor):
    article = make_draft(title="First title")
    client.force_login(editor)
    client.post(change_url(article), sent_form(article, title="Second title"))
    page = client.get(change_url(article))
    assertContains(page, "Revisions")
    assertContains(page, "Daniel Editor")
    assertContains(page, "Changed title")
    assertContains(page, "The first revision kept")
    assertContains(page, "Compare the chosen revisions")


def test_comparing_two_revisions_shows_the_words_removed_and_added(client, editor):
    article = make_article(body="<p>The trial enrolled 40 people.</p><p>It ends in May.</p>")
    older = article.revisions.first()
    article.body = "<p>The trial enrolled 60 people.</p><p>It ends in May.</p>"
    article.category = Category.objects.exclude(pk=article.category_id).first()
    publishing.save(article, by=editor)
    newer = article.revisions.first()
    client.force_login(editor)
    page = client.get(compare_url(article, older, newer))
    html = page.content.decode()
    assert '<del><span class="revision-diff__mark">[removed]</span> 40</del>' in html
    assert '<ins><span class="revision-diff__mark">[added]</span> 60</ins>' in html
    assertContains(page, "It ends in May.")
    assertContains(page, "Category")
    assertContains(page, f"<td>{article.category.name}</td>", html=True)
    assertContains(page, "Restore the revision of")


def test_text_changes_compare_paragraphs_then_words():
    rows = text_changes("<p>One two three.</p><p>Gone.</p>", "<p>One four three.</p>", html=True)
    assert rows == [
        {
            "kind": "changed",
            "parts": [
                ("same", "One "),
                ("removed", "two"),
                ("same", " "),
                ("added", "four"),
                ("same", " three."),
            ],
        },
        {"kind": "removed", "parts": [("removed", "Gone.")]},
    ]


def edit_a_published_article(editor):
    article = make_article(title="The right title", body="<p>The right text.</p>")
    right = article.revisions.first()
    article.title, article.body = "A wrong title", "<p>A slip of the editor.</p>"
    publishing.save(article, by=editor)
    return article, right


def test_restoring_a_revision_puts_its_text_back_on_the_live_page(client, editor):
    article, right = edit_a_published_article(editor)
    client.force_login(editor)
    confirm = client.get(restore_url(right))
    assertContains(confirm, "Restore this revision")
    assertContains(confirm, "it stays published")
    assert client.get(article.get_absolute_url()).content.decode().count("A slip") == 1
    response = client.post(restore_url(right), follow=True)
    assertContains(response, "is restored")
    article.refresh_from_db()
    assert (article.title, article.is_public) == ("The right title", True)
    public = client.get(article.get_absolute_url())
    assertContains(public, "The right text.")
    assertNotContains(public, "A slip of the editor.")
    newest = article.revisions.first()
    assert (newest.kind, newest.created_by) == (Revision.Kind.RESTORED, editor)
    assert newest.data["title"] == "The right title"


def test_the_confirmation_page_changes_nothing(client, editor):
    article, right = edit_a_published_article(editor)
    client.force_login(editor)
    client.get(restore_url(right))
    article.refresh_from_db()
    assert article.title == "A wrong title"


def test_restoring_never_changes_the_address(client, editor):
    article = make_draft(slug="first-address")
    first = article.revisions.first()
    article.slug = "second-address"
    publishing.save(article, by=editor)
    client.force_login(editor)
    client.post(restore_url(first))
    article.refresh_from_db()
    assert article.slug == "second-address"


def test_an_authors_restore_is_a_draft_even_of_a_published_revision(client):
    author = make_user(group="Authors")
    article = make_article(author=author, title="Published once")
    published = article.revisions.first()
    publishing.unpublish(Article.objects.filter(pk=article.pk))  # an editor sent it back
    client.force_login(author)
    response = client.post(restore_url(published))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.revisions.first().kind == Revision.Kind.RESTORED
    assert article.status == Article.Status.DRAFT


def test_restoring_a_published_revision_onto_a_draft_keeps_it_a_draft(client, editor):
    article = make_article(title="Published once")
    published = article.revisions.first()
    publishing.unpublish(Article.objects.filter(pk=article.pk), by=editor)
    client.force_login(editor)
    page = client.get(restore_url(published))
    assertContains(page, "It stays a draft: restoring does not publish it.")
    assertNotContains(page, "Draft → Published")
    client.post(restore_url(published))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not article.is_public


def test_restoring_onto_a_scheduled_article_keeps_its_embargo(client, editor):
    article = make_article(title="Out last week", publish_at=timezone.now() - timedelta(days=7))
    earlier = article.revisions.first()
    embargo = timezone.now() + timedelta(days=2)
    article.title, article.publish_at = "Under embargo", embargo
    publishing.save(article, by=editor)
    client.force_login(editor)
    client.post(restore_url(earlier))
    article.refresh_from_db()
    assert (article.title, article.publish_at, article.is_public) == (
        "Out last week",
        embargo,
        False,
    )


def test_restoring_onto_an_article_waiting_for_review_keeps_it_waiting(client):
    author = make_user(group="Authors")
    article = make_draft(author=author, title="First words")
    first = article.revisions.first()
    article.title, article.status = "Ready", Article.Status.REVIEW
    publishing.save(article, by=author)
    client.force_login(author)
    client.post(restore_url(first))
    article.refresh_from_db()
    assert (article.title, article.status) == ("First words", Article.Status.REVIEW)


def test_a_revision_is_restored_only_through_its_own_articles_address(client):
    author = make_user(group="Authors")
    own = make_draft(author=author, title="My draft")
    live = make_article(title="Live words")
    other_revision = live.revisions.first()
    live.title = "Live words, edited"
    publishing.save(live)
    client.force_login(author)
    wrong = reverse("admin:articles_article_restore", args=[own.pk, other_revision.pk])
    assert client.post(wrong).status_code == 404
    live.refresh_from_db()
    assert live.title == "Live words, edited"


def test_an_author_cannot_restore_an_article_they_may_not_change(client):
    author = make_user(group="Authors")
    article = make_article(author=author, title="Live now")  # editors' to change
    first = article.revisions.first()
    client.force_login(author)
    assert client.post(restore_url(first)).status_code == 403
    assert article.revisions.count() == 1


def test_a_revision_without_a_body_is_not_restored_onto_a_live_article(client, editor):
    article = make_draft(body="")
    empty = article.revisions.first()
    article.body, article.status = "<p>Now it has words.</p>", Article.Status.PUBLISHED
    publishing.save(article, by=editor)
    client.force_login(editor)
    response = client.post(restore_url(empty), follow=True)
    assertContains(response, "The revision was not restored")
    article.refresh_from_db()
    assert article.body == "<p>Now it has words.</p>"


def test_a_picture_deleted_since_is_named_and_the_rest_restored(client, editor):
    from tests.factories import make_image

    picture = make_image()
    article = make_draft(title="With a picture", image=picture)
    first = article.revisions.first()
    article.image, article.title = None, "Without"
    publishing.save(article, by=editor)
    picture.delete()
    client.force_login(editor)
    response = client.post(restore_url(first), follow=True)
    assertContains(response, "Not restored: the revision&#x27;s picture, deleted since.")
    article.refresh_from_db()
    assert (article.title, article.image) == ("With a picture", None)


def test_revisions_are_kept_from_the_moment_the_feature_arrived(clock):
    """Every article already there starts with one revision (migration 0011)."""
    import importlib

    from django.apps import apps

    article = make_article()
    Revision.objects.all().delete()
    migration = importlib.import_module("articles.migrations.0013_revisions")
    migration.first_revisions(apps, None)
    [revision] = article.revisions.all()
    assert revision.data == revisions.snapshot(article)
    assert revision.created_at == article.updated_at


def test_someone_who_may_only_view_sees_the_comparison_without_restore(client):
    author = make_user(group="Authors")
    article = make_article(author=author)
    older = article.revisions.first()
    publishing.save(article, by=make_user(group="Editors"))
    client.force_login(author)
    page = client.get(compare_url(article, older, article.revisions.first()))
    assert page.status_code == 200
    assertNotContains(page, "Restore the revision of")
    assert timezone.now() - timedelta(minutes=1) < article.revisions.first().created_at


def test_restoring_a_draft_time_revision_keeps_a_live_article_live(client, editor):
    article = make_draft(title="Drafted", body="<p>Early words.</p>")
    drafted = article.revisions.first()
    article.status = Article.Status.PUBLISHED
    publishing.save(article, by=editor)
    client.force_login(editor)
    client.post(restore_url(drafted))
    article.refresh_from_db()
    assert article.is_public
    assertContains(client.get(article.get_absolute_url()), "Early words.")


def test_an_author_sees_the_history_of_their_published_article_but_no_restore(client):
    author = make_user(group="Authors")
    article = make_article(author=author)
    publishing.save(article, by=make_user(group="Editors"))
    client.force_login(author)
    page = client.get(change_url(article))
    assertContains(page, "Compare the chosen revisions")
    assertNotContains(page, "/restore/")
    assertNotContains(page, 'id="autosave-status"')


def test_a_paragraph_rewritten_whole_shows_as_removed_then_added():
    rows = text_changes("The drug is approved.", "Oops, pasted the wrong text.")
    assert [row["kind"] for row in rows] == ["removed", "added"]


def test_the_change_page_costs_the_same_queries_with_three_revisions_or_twelve(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_open(saves):
        article = make_article()
        for _ in range(saves):
            publishing.save(article, by=editor)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(change_url(article))
        assert len(page.context["revision_history"]) == saves + 1
        return len(captured)

    client.force_login(editor)
    queries_to_open(1)  # the first page a session opens reads a little more
    assert queries_to_open(2) == queries_to_open(11)


@pytest.mark.parametrize("odd", ["²", "1e3", "-1", "9" * 40, "", "x"])
def test_odd_revision_numbers_in_an_address_get_a_page_not_a_500(client, editor, odd):
    article = make_article()
    client.force_login(editor)
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert client.get(compare, {"from": odd, "to": odd}).status_code in (200, 302)
    assert client.get(change_url(article), {"autosave": odd}).status_code == 200
    autosave_url = reverse("admin:articles_article_autosave", args=[article.pk])
    sent = client.post(autosave_url, {**sent_form(article), "base_revision": odd})
    assert sent.status_code == 200


def test_an_autosave_older_than_the_days_kept_goes_with_the_prune(settings, clock, editor):
    from articles import autosave

    settings.ARTICLES_REVISIONS_KEEP_DAYS = 10
    article, starting = make_article(), None
    autosave.store(article, by=editor, data={"title": "Left for weeks"})
    autosave.store(starting, by=editor, data={"title": "A new one, never saved"})
    clock.advance(days=9)
    call_command("prune_revisions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Revision.objects.autosaves().count() == 2
    clock.advance(days=2)
    call_command("prune_revisions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Revision.objects.autosaves().exists()


def test_the_history_names_each_change_of_status(client, editor):
    author = make_user(group="Authors")
    article = make_draft(author=author, title="Clinic opens")
    workflow.submit(article, by=author)
    article.refresh_from_db()
    workflow.send_back(article, by=editor, note="Name the clinic.")
    article.refresh_from_db()
    article.status, article.publish_at = (
        Article.Status.PUBLISHED,
        timezone.now() + timedelta(days=2),
    )
    publishing.save(article, by=editor)
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    history = page[page.index('class="revision-history') :]
    lines = ["Scheduled", "Sent back to draft", "Submitted for review"]
    assert [history.index(line) for line in lines] == sorted(history.index(line) for line in lines)
    assert "Returned to draft" not in history


def test_the_restore_page_says_a_scheduled_article_keeps_its_time(client, editor):
    article = make_article(publish_at=timezone.now() - timedelta(days=1))
    first = article.revisions.first()
    article.publish_at = timezone.now() + timedelta(days=3)
    publishing.save(article, by=editor)
    client.force_login(editor)
    assertContains(client.get(restore_url(first)), "It stays scheduled, for ")
