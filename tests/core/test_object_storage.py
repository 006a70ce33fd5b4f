"""Media in a bucket (MEDIA_S3_BUCKET): what is stored there, and what readers are sent.

A real S3 API answers on 127.0.0.1 (moto's server: one per test process, a bucket per
test), and the settings are those alsblog/settings.py makes of the environment.
"""

import io
import json
import logging
import re
import runpy
import socket
import tarfile
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.endpoint import Endpoint
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.test import Client
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from articles.models import Article, Image
from subscriptions.editions import context_for
from subscriptions.models import Edition, MailingList
from tests.factories import image_bytes, image_upload, make_article, make_image
from tests.wordpress.test_rules import attachment, post, wxr

pytestmark = pytest.mark.django_db
SETTINGS = Path(__file__).resolve().parents[2] / "alsblog" / "settings.py"
VARIABLES = [
    "MEDIA_S3_BUCKET", "MEDIA_S3_ENDPOINT_URL", "MEDIA_S3_REGION", "MEDIA_S3_PREFIX",
    "MEDIA_S3_CUSTOM_DOMAIN", "MEDIA_S3_ACCESS_KEY_ID", "MEDIA_S3_SECRET_ACCESS_KEY",
]  # fmt: skip
PREFIX = "alsblog"  # the site's folder in the bucket


def settings_from(monkeypatch, **environment):
    """The names the settings module sets, read with `environment` (and no other MEDIA_S3_*)."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def answer_at_once(server):
    """Halve each request's time: werkzeug writes a response's head and body apart, and
    without TCP_NODELAY the body waits for the client's delayed ACK (40 ms)."""
    if server is None:
        return  # moto changed: the tests are slower, no less true
    accept = server.get_request

    def get_request():
        connection, address = accept()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    server.get_request = get_request


@pytest.fixture(scope="session")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    requests_log = logging.getLogger("werkzeug")  # a line for each request otherwise
    level, requests_log.level = requests_log.level, logging.WARNING
    server.start()
    answer_at_once(getattr(server, "_server", None))
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    requests_log.setLevel(level)


class Bucket:
    """The bucket as its owner sees it, through boto3 rather than the site's storage."""

    def __init__(self, endpoint):
        self.name = f"media-{uuid.uuid4().hex[:12]}"
        self.client = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )  # fmt: skip
        self.client.create_bucket(Bucket=self.name)
        # As docs/operators.md asks: anyone may read the files (pages name them unsigned).
        public = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                  "Resource": f"arn:aws:s3:::{self.name}/*"}  # fmt: skip
        policy = json.dumps({"Version": "2012-10-17", "Statement": [public]})
        self.client.put_bucket_policy(Bucket=self.name, Policy=policy)

    def stored(self):
        listing = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listing.get("Contents", [])}

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """A new bucket holding the site's media, configured as an operator would."""
    bucket = Bucket(s3_server)
    names = settings_from(
        monkeypatch,
        MEDIA_S3_BUCKET=bucket.name,
        MEDIA_S3_ENDPOINT_URL=s3_server,
        MEDIA_S3_REGION="us-east-1",
        MEDIA_S3_PREFIX=PREFIX,
        MEDIA_S3_ACCESS_KEY_ID="testing",
        MEDIA_S3_SECRET_ACCESS_KEY="testing",
    )
    # A new STORAGES makes Django drop the storages it made before (django.test.signals).
    settings.STORAGES = {**settings.STORAGES, "default": names["STORAGES"]["default"]}
    settings.MEDIA_URL = names["MEDIA_URL"]
    settings.CONTENT_SECURITY_POLICY = names["CONTENT_SECURITY_POLICY"]
    return bucket


def files_of(image):
    """The storage names of `image`: its original and every rendition."""
    renditions = [name for kind in ("webp", "jpeg") for _, name in image.renditions[kind]]
    return {image.file.name, *renditions}


def keys_of(*images):
    return {f"{PREFIX}/{name}" for image in images for name in files_of(image)}


def image_addresses(html):
    """Every address the page's images load: src and each candidate of srcset."""
    found = []
    for value in re.findall(r'\b(?:src|srcset)="([^"]+)"', html):
        found += [candidate.split()[0] for candidate in value.split(",")]
    return found


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read(), response.headers


def refuse_store_requests(*args, **kwargs):
    raise AssertionError("a page asked the object store something while rendering")


def test_without_a_bucket_uploads_stay_on_the_local_disk(monkeypatch, settings):
    names = settings_from(monkeypatch)
    assert names["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert names["MEDIA_URL"] == "/media/"
    assert names["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == ["'self'", "data:"]

    image = make_image()
    assert isinstance(default_storage, FileSystemStorage)
    for name in files_of(image):
        assert (Path(settings.MEDIA_ROOT) / name).is_file()
    assert Client().get(f"/media/{image.file.name}").status_code == 200


def test_an_uploaded_image_and_its_renditions_are_stored_in_the_bucket(bucket, settings):
    image = make_image(file=image_upload(size=(1000, 600)))
    assert [width for width, _ in image.renditions["jpeg"]] == [480, 800, 1000]
    assert bucket.stored() == keys_of(image)
    assert bucket.read(f"{PREFIX}/{image.file.name}").startswith(b"\xff\xd8")  # a JPEG
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this server's own disk


def test_a_file_saved_under_a_name_already_taken_gets_another(bucket):
    first = default_storage.save("images/photo.jpg", ContentFile(b"first"))
    second = default_storage.save("images/photo.jpg", ContentFile(b"second"))
    assert first == "images/photo.jpg" and second != first
    assert bucket.read(f"{PREFIX}/{first}") == b"first"


def test_the_article_page_loads_its_images_from_the_bucket(bucket, settings, monkeypatch):
    featured = make_image(file=image_upload(size=(1000, 600)))
    placed = make_image(title="Walk", alt_text="Walkers at the start")
    article = make_article(
        image=featured,
        body=f'<p>At the start:</p><figure><img src="{placed.url}" alt="Walkers at the start" '
        f'data-file="{placed.pk}"></figure>',
    )
    # The body keeps the image's address, so that the editor shows it when opened again.
    assert f'src="{placed.url}"' in Article.objects.get().body

    with monkeypatch.context() as patched:
        patched.setattr(Endpoint, "make_request", refuse_store_requests)
        response = Client().get(article.get_absolute_url())
    addresses = image_addresses(response.content.decode())
    renditions = {name for image in (featured, placed) for name in files_of(image)}
    renditions -= {featured.file.name, placed.file.name}
    assert {default_storage.url(name) for name in renditions} <= set(addresses)
    uploads = [address for address in addresses if not address.startswith("/static/")]
    assert all(address.startswith(settings.MEDIA_URL) for address in uploads), uploads

    # What a reader's browser does next: load the picture from the bucket, allowed by the CSP.
    src = next(address for address in uploads if address.endswith(".jpg"))
    body, headers = fetch(src)
    assert body == bucket.read(urlsplit(src).path.removeprefix(f"/{bucket.name}/"))
    assert headers["Content-Type"] == "image/jpeg" and body.startswith(b"\xff\xd8")
    assert "immutable" in headers["Cache-Control"]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(src))
    assert f"img-src 'self' data: {origin}" in response["Content-Security-Policy"]


def test_the_newsletter_shows_the_picture_from_the_bucket(bucket, settings):
    edition = Edition.objects.create(
        mailing_list=MailingList.objects.get(slug="research-matters"), subject="News"
    )
    edition.articles.add(make_article(image=make_image()))
    [shown] = context_for(edition)["articles"]
    assert shown.email_image.startswith(settings.MEDIA_URL)


@pytest.mark.django_db(transaction=True)  # a restore flushes and loads the database itself
def test_a_backup_then_a_restore_bring_the_bucket_s_files_back(bucket, tmp_path, reference_data):
    kept = make_image()
    make_article(image=kept)
    backup = tmp_path / "site.tar.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    with tarfile.open(backup) as archive:
        assert {f"media/{name}" for name in files_of(kept)} <= set(archive.getnames())
    originals = {key: bucket.read(key) for key in keys_of(kept)}

    later = f"{PREFIX}/images/uploaded-after-the-backup.jpg"
    bucket.client.put_object(Bucket=bucket.name, Key=later, Body=image_bytes())
    intact, damaged, *lost = sorted(originals)
    bucket.client.put_object(Bucket=bucket.name, Key=damaged, Body=originals[damaged][:100])
    for key in lost:
        bucket.client.delete_object(Bucket=bucket.name, Key=key)
    call_command("restore", str(backup), yes=True, stdout=io.StringIO())

    assert bucket.stored() == set(originals)  # the later file has gone
    assert {key: bucket.read(key) for key in originals} == originals
    assert list(Image.objects.values_list("file", flat=True)) == [kept.file.name]


def test_the_wordpress_importer_puts_its_images_in_the_bucket(bucket, settings, tmp_path):
    folder = tmp_path / "uploads" / "2025" / "05"
    folder.mkdir(parents=True)
    (folder / "walk.jpg").write_bytes(image_bytes())
    body = (
        '<img class="wp-image-9" src="https://old.example.org/wp-content/uploads/2025/05/walk.jpg">'
    )
    export = tmp_path / "export.xml"
    export.write_text(wxr(attachment(9, "2025/05/walk.jpg"), post(1, "Walk", body)), "utf-8")
    call_command(
        "import_wordpress", str(export), "--uploads", str(tmp_path / "uploads"),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip

    image = Image.objects.get()
    assert bucket.stored() == keys_of(image)
    assert f'src="{settings.MEDIA_URL}{image.file.name}"' in Article.objects.get().body


def test_the_app_serves_no_upload_from_its_own_disk_when_media_is_in_a_bucket(
    bucket, settings, tmp_path, monkeypatch
):
    # Files left on the disk from before the move, and one where the bucket's folder name
    # would lead from the working directory.
    monkeypatch.chdir(tmp_path)
    for folder in (Path(settings.MEDIA_ROOT), tmp_path / PREFIX):
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "old.jpg").write_bytes(image_bytes())
    assert Client().get("/media/images/old.jpg").status_code == 404


@pytest.mark.parametrize(
    "environment, address",
    [
        ({"MEDIA_S3_REGION": "eu-west-1"},
         "https://alsblog-media.s3.eu-west-1.amazonaws.com/images/a.jpg"),
        ({}, "https://alsblog-media.s3.amazonaws.com/images/a.jpg"),
        ({"MEDIA_S3_CUSTOM_DOMAIN": "media.example.org", "MEDIA_S3_PREFIX": "/news/"},
         "https://media.example.org/news/images/a.jpg"),
        ({"MEDIA_S3_ENDPOINT_URL": "https://abc.r2.cloudflarestorage.com"},
         "https://abc.r2.cloudflarestorage.com/alsblog-media/images/a.jpg"),
    ],
)  # fmt: skip
def test_pages_name_files_where_the_store_serves_them_and_the_csp_allows_it(
    monkeypatch, environment, address
):
    names = settings_from(monkeypatch, MEDIA_S3_BUCKET="alsblog-media", **environment)
    storage = S3Storage(**names["STORAGES"]["default"]["OPTIONS"])
    assert storage.url("images/a.jpg") == address == names["MEDIA_URL"] + "images/a.jpg"
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(address))
    assert origin in names["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
