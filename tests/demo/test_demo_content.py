from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Article, Image
from demo.articles import TOFERSEN_SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True  # as under `make run`


def test_the_demo_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("load_demo")
    assert not Article.objects.exists()


def test_loading_the_demo_twice_adds_nothing_the_second_time(capsys):
    call_command("load_demo")
    counts = (Article.objects.count(), Image.objects.count(), get_user_model().objects.count())
    call_command("load_demo")
    assert (Article.objects.count(), Image.objects.count(), get_user_model().objects.count()) == (
        counts
    )


def test_the_demo_has_published_waiting_and_scheduled_articles_in_several_categories():
    call_command("load_demo")
    published = Article.objects.published()
    assert published.count() >= 5
    assert published.values("category").distinct().count() >= 2
    assert Article.objects.filter(status="review").exists()
    assert any(article.is_scheduled for article in Article.objects.all())
    assert all(article.image and article.image.renditions for article in Article.objects.all())


def test_the_demo_research_article_is_the_tofersen_story():
    call_command("load_demo")
    article = Article.objects.get(slug=TOFERSEN_SLUG)
    assert article.is_public
    assert "52%" in article.body and "SOD1" in article.body


def test_the_demo_prints_working_staff_logins(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    User = get_user_model()
    for username, group in (
        ("author", "Authors"),
        ("editor", "Editors"),
        ("moderator", "Moderators"),
    ):
        assert username in output
        user = User.objects.get(username=username)
        password = output.split(f"{username} ")[1].split("password: ")[1].split()[0]
        assert user.check_password(password)
        assert user.groups.filter(name=group).exists()
        assert user.is_staff


def test_the_demo_queue_shows_each_kind_of_comment_moderators_meet(capsys):
    from comments.models import Comment

    call_command("load_demo")
    waiting = Comment.objects.pending()
    urgent = waiting.get(is_urgent=True)
    assert "Urgent, health-sensitive: Distress or self-harm" in urgent.held_reasons
    # It arrived minutes ago, as an urgent comment in a looked-after queue would have.
    assert timezone.now() - urgent.created_at < timedelta(hours=1)
    to_redact = waiting.get(name="Dana Whitfield")
    assert to_redact.flags == ["Personal contact or identity details"]
    assert "617 555 0199" in to_redact.body
    assert Comment.objects.questions_for_staff().filter(name="Rosa Alvarez").exists()
    assert waiting.filter(name="Ellen Price", is_question=True).exists()  # to answer privately
    for comment in Comment.objects.all():  # screened as a person's, not as a robot's
        assert not any("hidden field" in reason for reason in comment.held_reasons)


def test_the_demo_charity_has_made_up_details_in_every_footer(client):
    from pages.models import SiteDetails

    call_command("load_demo")
    details = SiteDetails.load()
    assert details.name == "Harbor Light ALS Foundation"
    assert "555 01" in details.helpline  # a number reserved for fiction
    assert details.email.endswith("@example.org")
    assertContains(client.get("/"), f'href="{details.helpline_link}"')


def test_the_demo_articles_cite_their_sources():
    call_command("load_demo")
    article = Article.objects.get(slug=TOFERSEN_SLUG)
    trial = article.sources.get(doi="10.1056/NEJMoa2204705")
    assert trial.link == "https://doi.org/10.1056/NEJMoa2204705"
    assert Article.objects.published().filter(sources__isnull=False).distinct().count() >= 2
    call_command("load_demo")
    assert article.sources.filter(doi="10.1056/NEJMoa2204705").count() == 1  # not twice


def test_the_demo_shows_review_lines_one_article_due_and_one_waiting_for_an_editor(client):
    call_command("load_demo")
    tofersen = client.get(Article.objects.get(slug=TOFERSEN_SLUG).get_absolute_url())
    assert "Reviewed by Dr Helen Marsh, consultant neurologist" in tofersen.text
    assert list(Article.objects.due_for_review().values_list("slug", flat=True)) == [
        "genetic-testing-for-als-questions-to-ask"
    ]
    waiting = Article.objects.get(status="review")
    assert waiting.review_steps.get().note.startswith("Could someone from the clinic team")
    call_command("load_demo")
    assert waiting.review_steps.count() == 1
