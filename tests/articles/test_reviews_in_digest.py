"""The moderators' daily digest names the articles due for review, to those who edit them."""

import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from comments.models import Comment, ModeratorSettings
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

CLINICIAN = "Dr Ana Ruiz, consultant neurologist"


def daily(user):
    ModeratorSettings.objects.create(user=user, alerts=ModeratorSettings.Alerts.DAILY)
    return user


@pytest.fixture
def editor():
    return daily(make_user(group="Editors", email="daniel@example.org"))


def due_article(title, reviewed=date(2024, 3, 3)):
    return make_article(title=title, reviewer_name=CLINICIAN, last_reviewed=reviewed)


def send_digest(deliver):
    call_command("send_moderator_digest", stdout=io.StringIO())
    deliver()


def test_articles_due_make_a_digest_on_a_day_no_comment_waits(editor, deliver):
    article = due_article("Riluzole explained")
    make_article(title="Fresh review", reviewer_name=CLINICIAN, last_reviewed=date.today())
    send_digest(deliver)
    (digest,) = mail.outbox
    assert digest.to == ["daniel@example.org"]
    assert digest.subject == "1 article(s) due for review"
    assert "Comments waiting for review" not in digest.body
    assert "Articles due for review: 1" in digest.body
    assert "- Riluzole explained (last reviewed March 3, 2024): https://" in digest.body
    assert f"/admin/articles/article/{article.pk}/change/" in digest.body
    assert "Fresh review" not in digest.body
    html = digest.alternatives[0][0]
    assert re.search(
        rf'/admin/articles/article/{article.pk}/change/"[^>]*>Riluzole explained</a>', html
    )


def test_comments_and_articles_due_share_one_digest(editor, deliver):
    due_article("Riluzole explained")
    make_comment(make_article(), status=Comment.Status.PENDING, body="When is the next trial?")
    send_digest(deliver)
    (digest,) = mail.outbox
    assert digest.subject == "1 comment(s) waiting for review; 1 article(s) due for review"
    assert digest.body.index("When is the next trial?") < digest.body.index("Riluzole explained")


def test_a_moderator_who_cannot_edit_articles_hears_nothing_of_them(deliver):
    daily(make_user(group="Moderators", email="grace@example.org"))
    due_article("Riluzole explained")
    send_digest(deliver)
    assert mail.outbox == []


def test_the_digest_lists_ten_articles_due_and_counts_the_rest(editor, deliver):
    for number in range(12):
        due_article(f"Old article {number:02}", reviewed=date(2024, 1, 1 + number))
    send_digest(deliver)
    (digest,) = mail.outbox
    assert digest.subject == "12 article(s) due for review"
    assert "Old article 00" in digest.body and "Old article 09" in digest.body
    assert "Old article 10" not in digest.body
    assert "And 2 more: https://" in digest.body
    assert "/admin/articles/article/?review=due" in digest.body


def test_no_digest_when_no_comment_waits_and_no_article_is_due(editor, deliver):
    make_article(reviewer_name=CLINICIAN, last_reviewed=date.today())
    send_digest(deliver)
    assert mail.outbox == []
