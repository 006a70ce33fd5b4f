"""Submit for review: an Author says "ready", editors hear of it, publish it or send it back."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow
from articles.models import Article, Category, ReviewStep, Revision, Tag
from outbox.models import Email
from tests.factories import NO_SOURCES, make_article, make_draft, make_user
from tests.mailserver import html_of, text_of

pytestmark = pytest.mark.django_db
Status = Article.Status
Kind = ReviewStep.Kind
CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")
WAITING = f"{CHANGELIST}?status__exact=review"


@pytest.fixture
def author():
    return make_user(
        group="Authors", first_name="Amira", last_name="Haddad", email="amira@example.org"
    )


@pytest.fixture
def editor():
    return make_user(
        group="Editors", first_name="Daniel", last_name="Okafor", email="daniel@example.org"
    )


@pytest.fixture
def draft(author):
    return make_draft(author=author, title="A new clinic opens")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def send_back_url(article):
    return reverse("admin:articles_article_send_back", args=[article.pk])


def article_form(article=None, **overrides):
    """What the article's admin page sends (an Author's page has no status field)."""
    fields = {
        "title": article.title if article else "New findings",
        "slug": article.slug if article else "new-findings",
        "summary": "A summary.",
        "body": "<p>The body.</p>",
        "category": Category.objects.get(slug="research").pk,
        "publish_at_0": "",
        "publish_at_1": "",
        "comments_open": "on",
        **NO_SOURCES,
    }
    if article is not None:
        fields["author"] = article.author.pk
    fields.update(overrides)
    return fields


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def subject(message):
    return " ".join(message["Subject"].split())  # unfolded: long headers wrap


def submitted(article, by, note=""):
    workflow.submit(article, by=by, note=note)
    article.refresh_from_db()
    return article


# The steps ------------------------------------------------------------------------------


def test_a_submitted_draft_waits_for_review_and_readers_still_cannot_see_it(draft, author):
    submitted(draft, author, note="Please check the trial's name.")
    assert draft.status == Status.REVIEW
    assert draft.get_status_display() == "Waiting for review"
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert not Article.objects.scheduled().filter(pk=draft.pk).exists()
    reader = Client()
    assert reader.get(draft.get_absolute_url()).status_code == 404
    assertNotContains(reader.get("/"), "A new clinic opens")
    assertNotContains(reader.get("/feed/rss/"), "A new clinic opens")
    assertNotContains(reader.get("/sitemap.xml"), draft.slug)
    (step,) = draft.review_steps.all()
    assert (step.kind, step.by, step.note) == (
        Kind.SUBMITTED,
        author,
        "Please check the trial's name.",
    )


def test_its_author_previews_a_waiting_article_with_a_notice_saying_so(draft, author):
    submitted(draft, author)
    page = logged_in(author).get(draft.get_absolute_url())
    assertContains(page, "This article is waiting for review: readers cannot see it.")


def test_every_editor_with_an_address_but_the_submitter_gets_one_email_with_the_note_and_a_link(
    draft, author, editor, smtp_server, deliver, settings
):
    other = make_user(group="Editors", email="priya@example.org")
    make_user(group="Editors", email="")  # no address
    make_user(group="Editors", email="gone@example.org", is_active=False)
    make_user(group="Moderators", email="grace@example.org")
    make_user(group="Authors", email="colleague@example.org")
    submitted(draft, author, note="Is the headline too strong?")
    deliver()
    assert sorted(m["To"] for m in smtp_server.messages) == [editor.email, other.email]
    message = smtp_server.to(editor.email)[0]
    assert subject(message) == "Waiting for review: “A new clinic opens” by Amira Haddad"
    assert message["Reply-To"] == "amira@example.org"
    text = text_of(message)
    assert "Amira Haddad submitted “A new clinic opens” for review." in text
    assert "Is the headline too strong?" in text
    link = f"{settings.SITE_URL.rstrip('/')}{change_url(draft)}"
    assert link in text and link in html_of(message)
    assert ", New York time</p>" in html_of(message)  # the time says which zone it is in
    deliver()
    assert len(smtp_server.messages) == 2  # the worker running again sends nothing twice


def test_an_editor_who_submits_their_own_draft_is_not_emailed_about_it(editor, deliver):
    colleague = make_user(group="Editors", email="priya@example.org")
    article = make_draft(author=editor)
    submitted(article, editor)
    deliver()
    assert [message.to for message in mail.outbox] == [[colleague.email]]


def test_a_submission_that_rolls_back_emails_no_one(draft, author, editor, deliver):
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.submit(draft, by=author)
        raise RuntimeError("the request failed after submitting")
    deliver()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert mail.outbox == [] and not Email.objects.exists()


def test_an_article_sent_back_before_the_worker_came_brings_editors_no_waiting_email(
    draft, author, editor, deliver
):
    submitted(draft, author)
    workflow.send_back(draft, by=editor, note="Add the trial's registration number.")
    deliver()
    assert [message.to for message in mail.outbox] == [[author.email]]


def test_sending_back_returns_the_article_to_draft_keeps_the_note_and_emails_the_author(
    draft, author, editor, smtp_server, deliver, settings
):
    submitted(draft, author)
    workflow.send_back(draft, by=editor, note="  Add the trial's registration number.  ")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    step = draft.review_steps.first()
    assert (step.kind, step.by, step.note) == (
        Kind.SENT_BACK, editor, "Add the trial's registration number."
    )  # fmt: skip
    assert draft.state_label == "Sent back"
    deliver()
    (message,) = smtp_server.to(author.email)
    assert subject(message) == "“A new clinic opens” was sent back to you by Daniel Okafor"
    assert message["Reply-To"] == "daniel@example.org"
    text = text_of(message)
    assert "Add the trial's registration number." in text
    assert f"{settings.SITE_URL.rstrip('/')}{change_url(draft)}" in text


def test_a_sent_back_note_cannot_be_empty(draft, author, editor):
    submitted(draft, author)
    with pytest.raises(workflow.Refused) as refusal:
        workflow.send_back(draft, by=editor, note="   ")
    assert refusal.value.field == "note"
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_only_a_waiting_article_is_sent_back(draft, editor):
    with pytest.raises(workflow.Refused, match="is not waiting for review"):
        workflow.send_back(draft, by=editor, note="Change it.")
    published = make_article()
    with pytest.raises(workflow.Refused):
        workflow.send_back(published, by=editor, note="Change it.")
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert not ReviewStep.objects.exists()


def test_an_author_cannot_send_back_even_their_own_article(draft, author):
    submitted(draft, author)
    with pytest.raises(workflow.Refused, match="Only editors"):
        workflow.send_back(draft, by=author, note="Never mind.")
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_only_a_draft_the_submitter_may_change_is_submitted(author, deliver):
    published = make_article(author=author)
    with pytest.raises(workflow.Refused, match="cannot be submitted"):
        workflow.submit(published, by=author)
    colleagues = make_draft()
    with pytest.raises(workflow.Refused):
        workflow.submit(colleagues, by=author)
    waiting = submitted(make_draft(author=author), author)
    with pytest.raises(workflow.Refused):
        workflow.submit(waiting, by=author)
    published.refresh_from_db()
    colleagues.refresh_from_db()
    assert (published.status, colleagues.status) == (Status.PUBLISHED, Status.DRAFT)
    assert ReviewStep.objects.count() == 1


# The admin: Authors -----------------------------------------------------------------------


def test_an_author_gets_submit_for_review_with_a_note_box_and_an_editor_does_not(
    draft, author, editor
):
    for page in (logged_in(author).get(ADD), logged_in(author).get(change_url(draft))):
        assertContains(page, 'name="_submit_for_review"')
        assertContains(page, "Note to the editors (optional)")
        assertNotContains(page, "Sent back by")
    assertNotContains(logged_in(editor).get(change_url(draft)), 'name="_submit_for_review"')


def test_an_author_writes_and_submits_a_new_article_in_one_press_and_cannot_publish_it(
    author, editor, deliver
):
    client = logged_in(author)
    response = client.post(
        ADD,
        article_form(
            status="published", review_note="First one: be gentle.", _submit_for_review="1"
        ),
        follow=True,
    )
    article = Article.objects.get(slug="new-findings")
    assert article.status == Status.REVIEW
    assert article.author == author
    assertContains(response, "“New findings” is waiting for review: the editors have been emailed")
    assert response.redirect_chain[-1][0] == change_url(article)
    assert article.review_steps.get().note == "First one: be gentle."
    deliver()
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_an_author_editing_a_waiting_article_keeps_it_waiting(draft, author):
    submitted(draft, author)
    client = logged_in(author)
    page = client.get(change_url(draft))
    assertContains(page, "You can still edit it: saving keeps it waiting.")
    client.post(change_url(draft), article_form(draft, title="A new clinic opens its doors"))
    draft.refresh_from_db()
    assert draft.title == "A new clinic opens its doors"
    assert draft.status == Status.REVIEW


def test_an_article_without_a_body_is_not_submitted(author):
    page = logged_in(author).post(ADD, article_form(body="<p> </p>", _submit_for_review="1"))
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["body"] == [
        "An article needs a body before it is submitted for review."
    ]
    assert not Article.objects.exists()


def test_submitting_what_no_longer_is_a_draft_says_so_and_keeps_the_edit(draft, author):
    submitted(draft, author)  # from another tab, say
    response = logged_in(author).post(
        change_url(draft), article_form(draft, title="Changed", _submit_for_review="1"), follow=True
    )
    assert response.status_code == 200
    assertContains(response, "cannot be submitted for review: it is waiting for review")
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Changed", Status.REVIEW)
    assert draft.review_steps.count() == 1  # and so one email to the editors, not two


def test_a_sent_back_author_sees_the_note_until_they_submit_again(draft, author, editor):
    submitted(draft, author)
    workflow.send_back(draft, by=editor, note="Name the hospital in the first line.")
    client = logged_in(author)
    page = client.get(change_url(draft))
    assertContains(page, "Sent back by Daniel Okafor on")
    assertContains(page, "Name the hospital in the first line.")
    assertContains(client.get(CHANGELIST), "Sent back")
    client.post(change_url(draft), article_form(draft, _submit_for_review="1"))
    page = client.get(change_url(draft))
    assertNotContains(page, "Sent back by Daniel Okafor on")  # kept in the history below
    assertContains(page, "Waiting for review")


# The admin: editors -----------------------------------------------------------------------


def test_editors_find_waiting_articles_under_the_filter_and_by_a_count(draft, author, editor):
    other = submitted(make_draft(author=author, title="Trial results are in"), author)
    submitted(draft, author)
    make_draft(title="Still being written")
    make_article(title="Already out")
    client = logged_in(editor)
    listing = client.get(WAITING)
    assert {a.title for a in listing.context["cl"].result_list} == {other.title, draft.title}
    assertContains(listing, "Articles waiting for review")
    assertNotContains(listing, "Still being written")
    assertNotContains(listing, "Already out")
    assertContains(client.get(CHANGELIST), "2 articles waiting for review")
    index = client.get(reverse("admin:index"))
    assertContains(index, "2 articles waiting for review")
    assertContains(index, f'href="{change_url(draft)}"')
    assertContains(client.get(CHANGELIST + "?status__exact=draft"), "Waiting for review")


def test_authors_see_no_count_of_what_waits(draft, author):
    submitted(draft, author)
    assertNotContains(logged_in(author).get(reverse("admin:index")), "waiting for review</strong>")


def test_an_editor_sees_the_authors_note_and_a_send_back_button_on_a_waiting_article(
    draft, author, editor
):
    submitted(draft, author, note="Is the headline too strong?")
    page = logged_in(editor).get(change_url(draft))
    assertContains(page, "Submitted by Amira Haddad on")
    assertContains(page, "Is the headline too strong?")
    assertContains(page, f'href="{send_back_url(draft)}"')
    assertNotContains(logged_in(author).get(change_url(draft)), send_back_url(draft))


def test_an_editor_sends_an_article_back_with_a_note(draft, author, editor, deliver):
    submitted(draft, author)
    client = logged_in(editor)
    form = client.get(send_back_url(draft))
    assertContains(form, "What should the author change?")
    response = client.post(send_back_url(draft), {"note": "Shorten the summary."}, follow=True)
    assert response.redirect_chain[-1][0] == WAITING
    assertContains(response, "“A new clinic opens” is back with Amira Haddad as a draft")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.review_steps.first().note == "Shorten the summary."
    deliver()
    assert [message.to for message in mail.outbox] == [[author.email]]


def test_an_empty_or_overlong_note_is_refused_next_to_the_field_keeping_what_was_typed(
    draft, author, editor
):
    submitted(draft, author)
    client = logged_in(editor)
    empty = client.post(send_back_url(draft), {"note": "  "})
    assert empty.context["form"].errors["note"] == ["Write what the author should change."]
    long_note = "Please rework this. " * 101
    overlong = client.post(send_back_url(draft), {"note": long_note})
    assert overlong.context["form"].errors["note"]
    assertContains(overlong, long_note.strip()[:200])
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_sending_back_an_article_that_is_not_waiting_is_refused_with_a_message(
    draft, author, editor
):
    client = logged_in(editor)
    for response in (
        client.get(send_back_url(draft), follow=True),
        client.post(send_back_url(draft), {"note": "Change it."}, follow=True),
    ):
        assert response.status_code == 200
        assertContains(response, "is not waiting for review (it is draft): nothing was sent back.")
    assert not ReviewStep.objects.exists()


def test_an_author_may_not_open_the_send_back_form(draft, author):
    submitted(draft, author)
    response = logged_in(author).post(send_back_url(draft), {"note": "Approved by me."})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_an_editor_cannot_mark_a_draft_waiting_by_its_status_field(draft, editor):
    response = logged_in(editor).post(change_url(draft), article_form(draft, status="review"))
    assert "status" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_editor_publishes_a_waiting_article_and_its_history_says_who(draft, author, editor):
    submitted(draft, author)
    client = logged_in(editor)
    client.post(change_url(draft), article_form(draft, status="published"))
    draft.refresh_from_db()
    assert draft.is_public
    step = draft.review_steps.first()
    assert (step.kind, step.by) == (Kind.PUBLISHED, editor)


def test_the_article_page_lists_its_review_history(draft, author, editor):
    submitted(draft, author, note="First go.")
    workflow.send_back(draft, by=editor, note="Shorten it.")
    submitted(draft, author, note="Shorter now.")
    page = logged_in(editor).get(change_url(draft))
    assertContains(page, "Review history (3 steps)")
    history = page.content.decode().split("Review history (")[1]
    assert history.index("Shorter now.") < history.index("Shorten it.") < history.index("First go.")
    assertContains(page, "Sent back to the author</strong> by Daniel Okafor")


def test_the_publish_action_publishes_waiting_articles_and_notes_it(draft, author, editor):
    submitted(draft, author)
    logged_in(editor).post(CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_public
    assert draft.review_steps.first().kind == Kind.PUBLISHED


def test_no_email_goes_to_an_author_who_sent_back_their_own_article_or_has_left(editor, deliver):
    own = submitted(make_draft(author=editor), editor)
    workflow.send_back(own, by=editor, note="Note to self: shorten it.")
    leaver = make_user(group="Authors", email="left@example.org")
    gone = submitted(make_draft(author=leaver), leaver)
    leaver.is_active = False
    leaver.save()
    workflow.send_back(gone, by=editor, note="Shorten it.")
    deliver()
    assert [m.to for m in mail.outbox if "sent back" in m.subject] == []


def test_each_review_step_keeps_a_revision_by_whoever_took_it(draft, author, editor):
    sod1 = Tag.objects.create(name="SOD1", slug="sod1")
    form = article_form(draft, title="Ready now", tags=[sod1.pk], _submit_for_review="1")
    logged_in(author).post(change_url(draft), form)
    workflow.send_back(draft, by=editor, note="Name the trial.")
    draft.refresh_from_db()
    workflow.submit(draft, by=author)
    workflow.publish_now(Article.objects.filter(pk=draft.pk), by=editor)
    kept = [
        (r.created_by, r.data["status"], r.data["title"])
        for r in Revision.objects.filter(article=draft).exclude(kind="autosave").order_by("pk")
    ][-4:]
    assert kept == [
        (author, "review", "Ready now"),
        (editor, "draft", "Ready now"),
        (author, "review", "Ready now"),
        (editor, "published", "Ready now"),
    ]
    submitted_revision = Revision.objects.filter(article=draft, created_by=author).first()
    assert submitted_revision.data["tags"] == [sod1.pk]


def test_an_editor_who_submits_a_new_article_with_any_status_gets_it_waiting_not_an_error(
    editor,
):
    form = article_form(status="published", _submit_for_review="1", author=editor.pk)
    response = logged_in(editor).post(ADD, form)
    assert response.status_code == 302
    assert Article.objects.get(slug="new-findings").status == Status.REVIEW
