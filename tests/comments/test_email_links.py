"""Approve and Reject links in moderators' emails, and the daily moderator digest."""

import io
import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from comments import email_links
from comments.models import Comment, Event, ModeratorSettings
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


@pytest.fixture
def moderator():
    return make_user(group="Moderators", first_name="Grace", email="grace@example.org")


@pytest.fixture
def comment(article):
    return make_comment(article, status=Status.PENDING, body="Is there a trial near Boston?")


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def link(moderator, comment, act="approve"):
    return path_of(email_links.for_moderator(moderator, [comment])[comment.pk][act])


def test_opening_a_link_shows_one_button_and_changes_nothing(client, moderator, comment):
    response = client.get(link(moderator, comment))
    assert response.status_code == 200
    assert "Approve this comment" in response.content.decode()
    assert "Is there a trial near Boston?" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_pressing_the_button_approves_as_that_moderator_without_logging_in(
    client, moderator, comment
):
    response = client.post(link(moderator, comment))
    assert "The comment is approved" in response.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Status.APPROVED, moderator)
    event = Event.objects.get(comment=comment, kind=Event.Kind.APPROVED)
    assert (event.by, event.via) == (moderator, Event.Via.EMAIL)


def test_a_reject_link_rejects(client, moderator, comment):
    client.post(link(moderator, comment, "reject"))
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED


def test_a_link_works_once(client, moderator, comment):
    url = link(moderator, comment)
    client.post(url)
    again = client.post(url)
    assert again.status_code == 410
    assert "You have already used this link" in again.content.decode()
    assert Event.objects.filter(kind=Event.Kind.APPROVED).count() == 1


def test_a_link_to_a_comment_that_changed_since_does_nothing(client, moderator, comment):
    url = link(moderator, comment, "approve")
    other = make_user(group="Moderators")
    client.post(link(other, comment, "reject"))
    response = client.post(url)
    assert response.status_code == 410
    assert "changed since the email was sent: it is now rejected" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED


def test_an_expired_link_does_nothing(client, moderator, comment, monkeypatch):
    url = link(moderator, comment)
    later = time.time() + timedelta(hours=73).total_seconds()
    monkeypatch.setattr(time, "time", lambda: later)  # signed links read this clock
    response = client.post(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_tampered_link_does_nothing(client, moderator, comment):
    url = link(moderator, comment)
    response = client.post(url[:-3] + "xyz/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_deactivated_moderators_links_stop_working(client, moderator, comment):
    url = link(moderator, comment)
    moderator.is_active = False
    moderator.save()
    response = client.post(url)
    assert response.status_code == 410
    assert "cannot moderate" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_link_for_a_deleted_comment_says_so(client, moderator, comment):
    url = link(moderator, comment)
    comment.delete()
    response = client.get(url)
    assert "has been deleted" in response.content.decode()


def test_the_held_comment_email_carries_working_links(client, moderator, comment, deliver):
    from comments import notifications
    from outbox import queue as outbox

    outbox.enqueue(notifications.comment_held, comment_id=comment.pk)
    deliver()
    (message,) = mail.outbox
    approve = re.search(r"Approve it: (\S+)", message.body).group(1)
    client.post(path_of(approve))
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_the_daily_digest_lists_what_waits_oldest_first_to_those_who_chose_it(
    article, moderator, deliver, clock
):
    ModeratorSettings.objects.create(user=moderator, alerts=ModeratorSettings.Alerts.DAILY)
    make_user(group="Moderators", email="each@example.org")  # chose an email per comment
    older = make_comment(article, status=Status.PENDING, body="The older question?")
    clock.advance(days=2)
    make_comment(article, status=Status.PENDING, body="The newer question?", is_urgent=True)
    call_command("send_moderator_digest", stdout=io.StringIO())
    call_command("send_moderator_digest", stdout=io.StringIO())  # twice: sent once
    deliver()
    (digest,) = mail.outbox
    assert digest.to == ["grace@example.org"]
    assert digest.subject == "2 comment(s) waiting for review, 1 urgent"
    body = digest.body
    assert body.index("The older question?") < body.index("The newer question?")
    assert "waiting " in body
    assert "Urgent: 1" in body
    approve = re.search(r"Approve: (\S+)", body).group(1)
    assert email_links.read(approve.rsplit("/", 2)[-2])[1] == older


def test_no_digest_when_nothing_waits(moderator, deliver):
    ModeratorSettings.objects.create(user=moderator, alerts=ModeratorSettings.Alerts.DAILY)
    call_command("send_moderator_digest", stdout=io.StringIO())
    deliver()
    assert mail.outbox == []


def test_a_moderator_no_longer_in_a_moderating_group_loses_their_links(client, moderator, comment):
    url = link(moderator, comment)
    moderator.groups.clear()
    response = client.post(url)
    assert response.status_code == 410
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_the_button_needs_the_pages_csrf_token(moderator, comment):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(link(moderator, comment))
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_signed_link_with_the_wrong_kinds_of_values_gets_the_invalid_page(client, comment):
    from django.core import signing

    token = signing.dumps({"m": [1], "c": {}, "a": ["approve"], "f": 3}, salt=email_links.SALT)
    response = client.get(f"/comments/moderate/{token}/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_an_urgent_comment_is_never_approved_from_an_email(client, moderator, article):
    # Its guidance says to answer the writer first and not to publish it as it is: the email
    # offers no Approve, and an Approve link made for it anyway does nothing.
    urgent = make_comment(
        article, status=Status.PENDING, is_urgent=True, body="Some nights I want to die."
    )
    for method in (client.get, client.post):
        response = method(link(moderator, urgent))
        assert response.status_code == 410
        assert "This comment is urgent" in response.content.decode()
    urgent.refresh_from_db()
    assert urgent.status == Status.PENDING
    from comments import notifications

    messages = notifications.comment_held(urgent.pk)
    assert messages
    for message in messages:
        assert "Approve it" not in message.text and "Answer the writer first" in message.text
        assert "Approve</a>" not in message.html and "Reject</a>" in message.html
