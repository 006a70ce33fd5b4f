import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PILImage

from articles.admin.forms import ImageUploadForm
from articles.models import Image
from tests.factories import image_bytes, image_upload, make_image, make_user

pytestmark = pytest.mark.django_db


def form_with(upload, **fields):
    data = {"title": "Lab", "alt_text": "A lab bench", **fields}
    return ImageUploadForm(data, {"file": upload})


def photo_with_location():
    exif = PILImage.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 0.0)
    exif[ExifTags.Base.Make] = "PhoneCo"
    return SimpleUploadedFile("holiday.jpg", image_bytes(size=(2000, 1500), exif=exif))


def test_a_text_file_is_refused_with_a_clear_message():
    form = form_with(SimpleUploadedFile("notes.jpg", b"not an image at all", "image/jpeg"))
    assert not form.is_valid()
    assert "not an image we can use" in form.errors["file"][0]
    assert Image.objects.count() == 0


def test_an_html_file_renamed_to_jpg_is_refused():
    html = SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    assert not form_with(html).is_valid()


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    form = form_with(image_upload(size=(1200, 900)))
    form.files["file"].size = 50_000
    assert not form.is_valid()
    message = form.errors["file"][0]
    assert "at most" in message and "KB" in message


def test_a_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    PILImage.new("1", (12000, 12000)).save(buffer, format="PNG")
    bomb = SimpleUploadedFile("tiny.png", buffer.getvalue(), "image/png")
    assert len(buffer.getvalue()) < 100_000
    form = form_with(bomb)
    assert not form.is_valid()
    assert "pixels" in form.errors["file"][0] or "too large" in form.errors["file"][0]


def test_too_many_pixels_is_refused_with_the_limit(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    form = form_with(image_upload(size=(2000, 1000)))
    assert not form.is_valid()
    assert "2000 × 1000 pixels" in form.errors["file"][0]


def test_alt_text_is_required():
    form = form_with(image_upload(), alt_text="")
    assert not form.is_valid()
    assert "alt_text" in form.errors


def test_location_data_is_removed_from_the_stored_original():
    image = form_with(photo_with_location()).save()
    with default_storage.open(image.file.name) as stored:
        exif = PILImage.open(stored).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert ExifTags.Base.Make not in exif


def test_renditions_are_made_in_webp_and_jpeg_at_several_widths():
    image = make_image(file=image_upload(size=(2000, 1125)))
    assert (image.width, image.height) == (2000, 1125)
    widths = [width for width, _ in image.renditions["webp"]]
    assert widths == [480, 800, 1200, 1600]
    for kind, pil_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        for width, name in image.renditions[kind]:
            with default_storage.open(name) as stored:
                rendition = PILImage.open(stored)
                assert rendition.format == pil_format
                assert rendition.width == width


def test_a_small_image_is_never_enlarged():
    image = make_image(file=image_upload(size=(600, 400)))
    assert [width for width, _ in image.renditions["jpeg"]] == [480, 600]


def test_stored_files_get_random_names_not_the_uploaded_name():
    image = make_image(file=image_upload(name="Jane Doe medical scan.jpg"))
    assert "Jane" not in image.file.name
    assert image.file.name.startswith("images/") and image.file.name.endswith(".jpg")


def test_a_png_with_transparency_gets_a_white_background_in_jpeg():
    buffer = io.BytesIO()
    PILImage.new("RGBA", (500, 300), (0, 0, 0, 0)).save(buffer, format="PNG")
    image = make_image(file=SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png"))
    with default_storage.open(image.renditions["jpeg"][0][1]) as stored:
        assert PILImage.open(stored).getpixel((10, 10)) == (255, 255, 255)


def test_the_admin_shows_the_refusal_next_to_the_field_and_keeps_the_other_fields(client):
    editor = make_user(group="Editors")
    client.force_login(editor)
    response = client.post(
        "/admin/articles/image/add/",
        {
            "title": "Our new lab",
            "alt_text": "Two researchers",
            "file": SimpleUploadedFile("x.jpg", b"nope", "image/jpeg"),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "not an image we can use" in content
    assert 'value="Our new lab"' in content
    assert Image.objects.count() == 0


@pytest.mark.parametrize("size", [(3000, 1), (2000, 2)])
def test_a_very_wide_strip_is_stored_with_renditions_at_least_a_pixel_high(size):
    form = form_with(image_upload(name="strip.png", size=size, image_format="PNG"))
    assert form.is_valid(), form.errors
    image = form.save()
    for width, name in image.renditions["webp"]:
        with default_storage.open(name) as stored, PILImage.open(stored) as rendition:
            assert rendition.size[0] == width and rendition.size[1] >= 1
