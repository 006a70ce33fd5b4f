"""Back up, wipe, restore: the same articles, comments and pictures come back."""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from articles.models import Article, Image
from comments.models import Comment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def snapshot():
    return {
        "articles": sorted(Article.objects.values_list("slug", "title", "status", "body")),
        "comments": sorted(Comment.objects.values_list("name", "email", "body", "status")),
        "images": sorted(Image.objects.values_list("file", flat=True)),
    }


def test_a_backup_restores_the_same_articles_comments_and_media(tmp_path):
    call_command("load_demo", force=True, stdout=io.StringIO())
    before = snapshot()
    assert before["articles"] and before["comments"]
    backup = tmp_path / "site.tar.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    assert backup.stat().st_mode & 0o777 == 0o600  # it holds emails and password hashes

    # After the backup, a comment is approved and its page cached; the restore must drop both.
    article = Article.objects.published().first()
    Comment.objects.create(article=article, name="Later", email="later@example.com",
                           body="Written after the backup", status="approved")  # fmt: skip
    call_command("refresh_pages", stdout=io.StringIO())
    assert "Written after the backup" in Client().get(article.get_absolute_url()).content.decode()

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Article.objects.exists()

    call_command("restore", str(backup), yes=True, stdout=io.StringIO())
    assert snapshot() == before
    for image in Image.objects.all():
        assert default_storage.exists(image.file.name)
        for _, name in image.renditions["webp"]:
            assert default_storage.exists(name)
    page = Client().get(article.get_absolute_url()).content.decode()
    assert article.title in page and "Written after the backup" not in page


def test_restoring_something_that_is_not_a_backup_changes_nothing(tmp_path):
    call_command("load_demo", force=True, stdout=io.StringIO())
    bogus = tmp_path / "bogus.tar.gz"
    import tarfile

    with tarfile.open(bogus, "w:gz"):
        pass
    with pytest.raises(Exception, match="not an alsblog backup"):
        call_command("restore", str(bogus), yes=True)
    assert Article.objects.exists()
    assert Path(settings.MEDIA_ROOT).is_dir()
