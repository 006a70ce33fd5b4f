"""Only real images are stored, re-encoded under random names, and served as images."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage

from articles.admin.forms import ImageUploadForm
from tests.factories import image_bytes, make_image

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'
HTML = b"<!doctype html><script>alert(1)</script>"


def upload(name, content, content_type="image/jpeg"):
    form = ImageUploadForm(
        {"title": "x", "alt_text": "x"}, {"file": SimpleUploadedFile(name, content, content_type)}
    )
    return form


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("drawing.svg", SVG, "image/svg+xml"),
        ("photo.jpg", SVG, "image/jpeg"),
        ("page.html", HTML, "text/html"),
        ("photo.png", HTML, "image/png"),
        ("empty.jpg", b"", "image/jpeg"),
        ("truncated.jpg", image_bytes()[:200], "image/jpeg"),
        ("script.js", b"alert(1)", "application/javascript"),
        ("doc.pdf", b"%PDF-1.4 fake", "application/pdf"),
    ],
)
def test_anything_but_a_real_image_is_refused_with_a_clear_message(name, content, content_type):
    form = upload(name, content, content_type)
    assert not form.is_valid()
    assert "file" in form.errors


def test_a_gif_carrying_html_is_re_encoded_so_the_html_is_gone():
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 64), (200, 0, 0)).save(buffer, format="GIF")
    polyglot = buffer.getvalue() + b"<script>alert('polyglot')</script>"
    form = upload("funny.gif", polyglot, "image/gif")
    assert form.is_valid(), form.errors
    image = form.save()
    with default_storage.open(image.file.name) as stored:
        assert b"<script>" not in stored.read()


def test_uploads_are_served_as_images_with_sniffing_turned_off():
    image = make_image()
    for name in (image.file.name, image.renditions["webp"][0][1]):
        response = Client().get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] in ("image/jpeg", "image/webp")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_media_address_cannot_reach_outside_the_upload_folder():
    for path in ("/media/../alsblog/settings.py", "/media/%2e%2e/manage.py", "/media//etc/passwd"):
        response = Client().get(path)
        assert response.status_code in (400, 404)  # refused as suspicious, or not found
        assert b"SECRET_KEY" not in response.content and b"root:" not in response.content


def test_uploads_are_not_served_by_the_app_unless_asked(settings):
    image = make_image()
    settings.SERVE_MEDIA = False
    assert Client().get(f"/media/{image.file.name}").status_code == 404
