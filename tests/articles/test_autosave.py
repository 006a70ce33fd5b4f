"""The article page keeps what a person types as their draft, offers it back, and warns
when someone else is editing the same article."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import autosave, publishing, workflow
from articles.models import Article, Presence, Revision
from tests.articles.editing import change_url, sent_form
from tests.factories import make_article, make_draft, make_user

pytestmark = pytest.mark.django_db
ADD = reverse("admin:articles_article_add")
NEW_AUTOSAVE = reverse("admin:articles_article_autosave_new")


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def typed(article, **overrides):
    return {**sent_form(article, **overrides), "_autosave": "content"}


def hh_mm(moment):
    return f"{timezone.localtime(moment):%H:%M}"


@pytest.fixture
def editor():
    return make_user(group="Editors", first_name="Daniel", last_name="Editor")


@pytest.fixture
def colleague():
    return make_user(group="Editors", first_name="Grace", last_name="Hopper")


def test_an_autosave_keeps_one_draft_per_person_updated_as_they_type(client, editor):
    article = make_article(title="As published")
    client.force_login(editor)
    first = client.post(autosave_url(article), typed(article, title="Half typ"))
    second = client.post(autosave_url(article), typed(article, title="Half typed title"))
    [draft] = Revision.objects.autosaves()
    assert draft.data["title"] == "Half typed title"
    assert (draft.created_by, draft.article) == (editor, article)
    assert (
        first.json()["saved"]
        == second.json()["saved"]
        == f"Draft saved at {hh_mm(draft.created_at)}"
    )


def test_an_autosave_never_touches_the_article_or_its_public_page(client, editor):
    article = make_article(title="As published", body="<p>Readers see this.</p>")
    stored = Article.objects.values().get(pk=article.pk)
    client.force_login(editor)
    client.post(
        autosave_url(article),
        typed(article, title="Not yet", body="<p>Not for readers yet.</p>", status="draft"),
    )
    assert Article.objects.values().get(pk=article.pk) == stored
    client.logout()
    public = client.get(article.get_absolute_url())
    assertContains(public, "Readers see this.")
    assertNotContains(public, "Not for readers yet.")


def test_an_autosave_costs_a_few_queries(client, editor, django_assert_max_num_queries):
    article = make_article()
    client.force_login(editor)
    client.post(autosave_url(article), typed(article, title="Warm up"))
    form = typed(article, title="Typing on")
    # The login (4), the person's time zone, the article, who is editing (3), the typed
    # category, the draft (3), and the transaction's own statements: the same however long
    # the article.
    with django_assert_max_num_queries(15):
        client.post(autosave_url(article), form)


def test_a_heartbeat_alone_keeps_no_draft(client, editor):
    article = make_article()
    client.force_login(editor)
    reply = client.post(autosave_url(article), {**sent_form(article), "_autosave": "heartbeat"})
    assert reply.json() == {"others": []}
    assert not Revision.objects.autosaves().exists()
    assert Presence.objects.filter(article=article, user=editor).exists()


def test_reopening_the_page_offers_the_unsaved_changes_at_their_time(client, editor):
    article = make_article()
    client.force_login(editor)
    client.post(autosave_url(article), typed(article, title="Typed before the tab closed"))
    draft = Revision.objects.autosaves().get()
    page = client.get(change_url(article))
    assertContains(page, f"You have unsaved changes from {hh_mm(draft.created_at)}: restore them?")
    assertContains(page, f'href="?autosave={draft.pk}"')
    assertContains(page, "Discard them")


def test_an_older_draft_is_offered_with_its_date(client, editor):
    article = make_article()
    autosave.store(article, by=editor, data={"title": "Typed yesterday"})
    yesterday = timezone.now() - timedelta(days=1)
    Revision.objects.autosaves().update(created_at=yesterday)
    client.force_login(editor)
    local = timezone.localtime(yesterday)
    expected = f"{local:%-d %B %H:%M}" if local.year == timezone.localdate().year else ""
    assertContains(client.get(change_url(article)), f"unsaved changes from {expected}")


def test_restoring_the_draft_fills_the_form_and_saves_nothing(client, editor):
    article = make_article(title="As published")
    client.force_login(editor)
    client.post(autosave_url(article), typed(article, title="What I had typed"))
    draft = Revision.objects.autosaves().get()
    page = client.get(f"{change_url(article)}?autosave={draft.pk}")
    form = page.context["adminform"].form
    assert form["title"].value() == "What I had typed"
    assertContains(page, f"Your unsaved changes from {hh_mm(draft.created_at)} are in the form")
    assertNotContains(page, "restore them?")
    article.refresh_from_db()
    assert article.title == "As published"


def test_no_one_restores_someone_elses_draft(client, editor, colleague):
    article = make_article(title="As published")
    autosave.store(article, by=colleague, data={"title": "Grace's words"})
    draft = Revision.objects.autosaves().get()
    client.force_login(editor)
    page = client.get(f"{change_url(article)}?autosave={draft.pk}")
    assert page.context["adminform"].form["title"].value() == "As published"
    assertNotContains(page, "unsaved changes")


def test_discarding_the_draft_deletes_it(client, editor):
    article = make_article()
    autosave.store(article, by=editor, data={"title": "Unwanted"})
    client.force_login(editor)
    url = reverse("admin:articles_article_autosave_discard", args=[article.pk])
    response = client.post(url, follow=True)
    assertContains(response, "Your unsaved changes were discarded.")
    assert not Revision.objects.autosaves().exists()


def test_saving_the_article_deletes_the_persons_draft(client, editor):
    article = make_article()
    client.force_login(editor)
    client.post(autosave_url(article), typed(article, title="Typed"))
    response = client.post(change_url(article), sent_form(article, title="Typed"))
    assert response.status_code == 302
    assert not Revision.objects.autosaves().exists()
    assertNotContains(client.get(change_url(article)), "unsaved changes")


def test_an_autosave_from_a_page_opened_before_the_persons_own_save_is_refused(client, editor):
    article = make_article()
    opened_at = article.revisions.first().pk
    client.force_login(editor)
    client.post(change_url(article), sent_form(article, title="Saved in another tab"))
    late = client.post(autosave_url(article), typed(article, opened_at=opened_at, title="Old"))
    assert late.status_code == 409
    assert "you saved this article in another window" in late.json()["error"]
    assert not Revision.objects.autosaves().exists()


def test_a_new_article_is_autosaved_offered_back_and_its_draft_goes_once_saved(client, editor):
    client.force_login(editor)
    form = sent_form(make_draft(), slug="started", title="Started here")
    form.pop("base_revision")
    reply = client.post(NEW_AUTOSAVE, {**form, "_autosave": "content"})
    assert reply.status_code == 200
    draft = Revision.objects.autosaves().get(article=None, created_by=editor)
    assertContains(client.get(ADD), "You have unsaved changes from")
    restored = client.get(f"{ADD}?autosave={draft.pk}")
    assert restored.context["adminform"].form["title"].value() == "Started here"
    assert client.post(ADD, form).status_code == 302
    assert not Revision.objects.autosaves().exists()


def test_an_author_cannot_autosave_their_article_once_it_is_published(client):
    author = make_user(group="Authors")
    article = make_article(author=author)  # the editors' to change now
    client.force_login(author)
    reply = client.post(autosave_url(article), typed(article, title="Still mine?"))
    assert reply.status_code == 403
    assert not Revision.objects.autosaves().exists()


def test_an_author_cannot_autosave_a_colleagues_article(client):
    article = make_draft()
    client.force_login(make_user(group="Authors"))
    reply = client.post(autosave_url(article), typed(article, title="Not mine"))
    assert reply.status_code == 403
    assert not Revision.objects.autosaves().exists()


def test_a_moderator_cannot_autosave_a_new_article(client):
    client.force_login(make_user(group="Moderators"))
    reply = client.post(NEW_AUTOSAVE, {"title": "No", "_autosave": "content"})
    assert reply.status_code == 403
    assert not Revision.objects.autosaves().exists()


def test_someone_opening_the_article_is_warned_that_a_colleague_is_editing(
    client, editor, colleague
):
    article = make_article()
    client.force_login(colleague)
    client.get(change_url(article))
    seen = Presence.objects.get(user=colleague).last_seen
    client.force_login(editor)
    page = client.get(change_url(article))
    assertContains(
        page,
        f"Grace Hopper is also editing this article (last active {hh_mm(seen)}). Changes "
        "saved by one of you may overwrite the other&#x27;s.",
    )
    reply = client.post(autosave_url(article), {"_autosave": "heartbeat"})
    assert reply.json()["others"][0].startswith("Grace Hopper is also editing")


def test_the_warning_ends_two_minutes_after_the_colleague_was_last_seen(
    client, editor, colleague, clock
):
    article = make_article()
    client.force_login(colleague)
    client.get(change_url(article))
    clock.advance(minutes=3)
    client.force_login(editor)
    assertNotContains(client.get(change_url(article)), "is also editing")


def test_saving_over_a_colleagues_newer_save_shows_the_form_again(client, editor, colleague):
    article = make_article(title="The first title")
    opened_at = article.revisions.first().pk
    publishing.save(article, by=colleague)  # Grace saves while Daniel types
    theirs = article.revisions.first()
    client.force_login(editor)
    form = sent_form(article, opened_at=opened_at, title="Daniel's title")
    page = client.post(change_url(article), form)
    assert page.status_code == 200
    assertContains(page, f"Grace Hopper saved this article at {hh_mm(theirs.created_at)}")
    assertContains(page, f"?from={opened_at}&amp;to={theirs.pk}")
    assertContains(page, "Save anyway, replacing their changes")
    assert page.context["adminform"].form["title"].value() == "Daniel's title"
    article.refresh_from_db()
    assert article.title == "The first title"
    saved = client.post(change_url(article), {**form, "save_anyway": "on"})
    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.title == "Daniel's title"


def test_a_persons_own_newer_save_is_no_conflict(client, editor):
    article = make_article(title="The first title")
    opened_at = article.revisions.first().pk
    publishing.save(article, by=editor)
    client.force_login(editor)
    response = client.post(change_url(article), sent_form(article, opened_at=opened_at))
    assert response.status_code == 302


def test_sending_back_or_a_bulk_action_keeps_the_editors_own_unsaved_draft(editor):
    waiting = make_article(title="Waiting", status=Article.Status.REVIEW, publish_at=None)
    listed = make_draft(title="Listed")
    bases = {article: article.revisions.first().pk for article in (waiting, listed)}
    for article, base in bases.items():
        autosave.store(article, by=editor, data={"title": f"{article.title}, fixed"}, base=base)
    workflow.send_back(waiting, by=editor, note="Name the trial.")
    publishing.publish(Article.objects.filter(pk=listed.pk), by=editor)
    assert autosave.own(waiting, editor).data["title"] == "Waiting, fixed"
    assert autosave.own(listed, editor).data["title"] == "Listed, fixed"
    # A later autosave from the same open page is still kept: only a save replaces it.
    assert autosave.store(waiting, by=editor, data={"title": "More"}, base=bases[waiting])
