"""Each mapping rule and each bad input of the WordPress importer, on small exports."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Image
from comments.models import Comment
from tests.factories import image_bytes
from wordpress import bodies

pytestmark = pytest.mark.django_db
SITE = "https://old.example.org"


def wxr(*items, authors=""):
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old site</title><link>{SITE}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{SITE}</wp:base_site_url><wp:base_blog_url>{SITE}</wp:base_blog_url>
  {authors or "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ann</wp:author_login><wp:author_email>ann@old.example.org</wp:author_email><wp:author_display_name>Ann</wp:author_display_name><wp:author_first_name>Ann</wp:author_first_name><wp:author_last_name>Lee</wp:author_last_name></wp:author>"}
  {"".join(items)}
</channel></rss>"""


def post(wp_id, title, content="<p>Text.</p>", *, status="publish", kind="post", slug=None,
         date="2025-05-14 10:00:00", password="", comments="", meta=""):  # fmt: skip
    slug = slug if slug is not None else title.lower().replace(" ", "-")
    return f"""<item><title>{title}</title>
  <link>{SITE}/2025/05/14/{slug}/</link><dc:creator>ann</dc:creator>
  <content:encoded><![CDATA[{content}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>{wp_id}</wp:post_id><wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>
  <wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>
  <wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{kind}</wp:post_type>
  <wp:post_password>{password}</wp:post_password>
  <category domain="category" nicename="news"><![CDATA[News]]></category>
  {meta}{comments}</item>"""


def comment(wp_id, content, *, approved="1", kind="comment", parent=0, user=0):
    return f"""<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>
  <wp:comment_author>Reader {wp_id}</wp:comment_author><wp:comment_author_email>r{wp_id}@example.com</wp:comment_author_email>
  <wp:comment_author_url></wp:comment_author_url><wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>
  <wp:comment_date>2025-05-15 10:00:00</wp:comment_date><wp:comment_date_gmt>2025-05-15 10:00:00</wp:comment_date_gmt>
  <wp:comment_content><![CDATA[{content}]]></wp:comment_content><wp:comment_approved>{approved}</wp:comment_approved>
  <wp:comment_type>{kind}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>
  <wp:comment_user_id>{user}</wp:comment_user_id></wp:comment>"""


def attachment(wp_id, path, alt="A picture"):
    return f"""<item><title>{Path(path).stem}</title><dc:creator>ann</dc:creator>
  <content:encoded><![CDATA[]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>{wp_id}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
  <wp:attachment_url>{SITE}/wp-content/uploads/{path}</wp:attachment_url>
  <wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{path}</wp:meta_value></wp:postmeta>
  <wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>{alt}</wp:meta_value></wp:postmeta>
  </item>"""


def run(tmp_path, text, *args, uploads=None):
    export = tmp_path / "export.xml"
    export.write_text(text, "utf-8")
    options = ["--uploads", str(uploads)] if uploads else []
    out = io.StringIO()
    call_command("import_wordpress", str(export), *options, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(tmp_path, text, **kwargs):
    with pytest.raises(CommandError) as error:
        run(tmp_path, text, **kwargs)
    assert not Article.objects.exists() and not Comment.objects.exists()
    return str(error.value)


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2025" / "05"
    folder.mkdir(parents=True)
    (folder / "walk.jpg").write_bytes(image_bytes())
    return tmp_path / "uploads"


def test_private_and_password_protected_posts_become_drafts_in_the_report(tmp_path):
    report = run(tmp_path, wxr(post(1, "Private one", status="private"),
                               post(2, "Locked one", password="secret")))  # fmt: skip
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}
    assert "“Private one” was private in WordPress" in report
    assert "“Locked one” was password-protected in WordPress" in report


def test_a_post_pending_review_waits_for_review_here_too_unless_it_has_a_password(tmp_path):
    report = run(tmp_path, wxr(post(1, "Ready one", status="pending"),
                               post(2, "Locked ready one", status="pending", password="secret")))  # fmt: skip
    assert Article.objects.get(title="Ready one").status == Article.Status.REVIEW
    assert Article.objects.get(title="Locked ready one").status == Article.Status.DRAFT
    assert "articles waiting for review            1" in report
    assert not Article.objects.published().exists()


def test_trashed_posts_are_skipped_and_reported(tmp_path):
    report = run(tmp_path, wxr(post(1, "Binned", status="trash")))
    assert not Article.objects.exists()
    assert "post “Binned”: it was in the WordPress trash" in report


def test_comment_statuses_and_kinds_map_as_they_should(tmp_path):
    comments = "".join([
        comment(1, "Approved one"), comment(2, "Pending one", approved="0"),
        comment(3, "Spam one", approved="spam"), comment(4, "Binned one", approved="trash"),
        comment(5, "A pingback", kind="pingback"), comment(6, "Editorial note", kind="note"),
    ])  # fmt: skip
    report = run(tmp_path, wxr(post(1, "Talk", comments=comments)))
    assert sorted(Comment.objects.values_list("body", "status")) == [
        ("Approved one", "approved"), ("Pending one", "pending"),
    ]  # fmt: skip
    assert "comment 3 on “Talk”: spam" in report and "a pingback" in report
    assert "Editorial note" not in report  # notes are never imported, nor listed


def test_threads_deeper_than_three_levels_attach_at_the_deepest(tmp_path):
    comments = "".join(comment(n, f"Level {n}", parent=n - 1 if n > 1 else 0) for n in range(1, 6))
    run(tmp_path, wxr(post(1, "Deep", comments=comments)))
    depths = dict(Comment.objects.values_list("body", "depth"))
    assert depths == {"Level 1": 0, "Level 2": 1, "Level 3": 2, "Level 4": 2, "Level 5": 2}
    level5 = Comment.objects.get(body="Level 5")
    assert level5.parent.body == "Level 4"


def test_a_comment_by_an_imported_author_is_a_staff_reply(tmp_path):
    comments = comment(1, "A question?") + comment(2, "Our answer.", parent=1, user=1)
    run(tmp_path, wxr(post(1, "Asked", comments=comments)))
    answer = Comment.objects.get(body="Our answer.")
    assert answer.is_staff_reply and answer.staff_author.username == "ann"
    assert answer.name == "Ann Lee"


def test_html_in_a_comment_becomes_text_and_long_comments_are_kept_whole(tmp_path):
    long = "word " * 1200
    comments = comment(1, 'See <a href="https://trial.example">the trial</a>, <b>now</b>.')
    comments += comment(2, long)
    report = run(tmp_path, wxr(post(1, "Linked", comments=comments)))
    assert Comment.objects.get(pk__isnull=False, body__startswith="See").body == (
        "See the trial (https://trial.example), now."
    )
    assert len(Comment.objects.get(body__startswith="word").body) == len(long.strip())
    assert "longer than the form allows" in report


def test_the_draft_zero_date_does_not_break_parsing(tmp_path):
    run(tmp_path, wxr(post(1, "Unfinished", status="draft", slug="", date="0000-00-00 00:00:00")))
    draft = Article.objects.get()
    assert draft.status == Article.Status.DRAFT and draft.publish_at is None
    assert draft.slug == "unfinished"


def test_bodies_convert_galleries_embeds_and_unknown_shortcodes():
    class Picture:
        def __init__(self, pk):
            self.pk, self.url, self.alt_text, self.caption, self.title = (
                pk, f"/media/{pk}.jpg", f"Alt {pk}", "", f"p{pk}",
            )  # fmt: skip

    library = {7: Picture(7), 8: Picture(8)}
    notes = bodies.Notes()
    html = bodies.convert(
        'Intro\n\n[gallery ids="7,8"]\n\nhttps://www.youtube.com/watch?v=abc\n\n'
        '[su_box title="x"]Kept words[/su_box] and [sic]\n\n'
        '<img src="https://elsewhere.example/a.png" alt="x">',
        images=lambda path, wp_id: library.get(wp_id),
        links=lambda url: None,
        site_url=SITE,
        notes=notes,
    )
    assert '<figure><img src="/media/7.jpg" alt="Alt 7" data-file="7"></figure>' in html
    assert 'data-file="8"' in html
    assert '<a href="https://www.youtube.com/watch?v=abc">' in html
    assert "Kept words and [sic]" in html and "su_box" not in html
    assert notes.shortcodes == {"su_box"}
    assert notes.foreign_images == ["https://elsewhere.example/a.png"]
    assert "elsewhere.example" not in html


def test_inline_images_of_the_old_site_enter_the_library(tmp_path, uploads):
    body = f'Look:\n\n<img class="wp-image-9" src="{SITE}/wp-content/uploads/2025/05/walk-300x225.jpg" alt="">'
    report = run(tmp_path, wxr(attachment(9, "2025/05/walk.jpg", alt="Walkers at the start"),
                               post(1, "Walk", body)), uploads=uploads)  # fmt: skip
    image = Image.objects.get()
    assert f'data-file="{image.pk}"' in Article.objects.get().body
    assert 'alt="Walkers at the start"' in Article.objects.get().body
    assert "images                                 1" in report


def test_an_image_the_uploads_folder_lacks_is_reported(tmp_path, uploads):
    report = run(tmp_path, wxr(attachment(9, "2025/05/gone.jpg")), uploads=uploads)
    assert "image 2025/05/gone.jpg: the uploads folder has no such file" in report


def test_a_file_that_is_not_an_image_stops_the_import_and_writes_nothing(tmp_path, uploads):
    (uploads / "2025" / "05" / "fake.jpg").write_text("not a picture")
    message = refused(tmp_path, wxr(post(1, "First"), attachment(9, "2025/05/fake.jpg")),
                      uploads=uploads)  # fmt: skip
    assert "fake.jpg" in message and "Nothing was imported" in message
    assert not Image.objects.exists()


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    assert "not a WordPress export" in refused(tmp_path, "<html><body>Hello</body></html>")
    assert "no <wp:wxr_version>" in refused(
        tmp_path, '<rss version="2.0"><channel><item/></channel></rss>'
    )


def test_a_truncated_export_is_refused_and_writes_nothing(tmp_path):
    text = wxr(post(1, "Whole"), post(2, "Cut"))
    message = refused(tmp_path, text[: len(text) - 200])
    assert "not complete" in message


def test_entity_tricks_are_refused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss>&b;</rss>')  # fmt: skip
    assert "entities" in refused(tmp_path, bomb)
    external = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                "<rss>&x;</rss>")  # fmt: skip
    assert "entities" in refused(tmp_path, external)


def test_an_unreadable_uploads_folder_is_refused(tmp_path, uploads):
    if os.geteuid() == 0:
        missing = tmp_path / "nowhere"
        assert "does not exist" in refused(tmp_path, wxr(post(1, "A")), uploads=missing)
        return
    uploads.chmod(0)
    try:
        assert "cannot be read" in refused(tmp_path, wxr(post(1, "A")), uploads=uploads)
    finally:
        uploads.chmod(0o755)


def test_a_failure_half_way_leaves_the_database_as_it_was(tmp_path, uploads, monkeypatch):
    from wordpress.conversations import Conversations

    real = Conversations.store

    def broken(self, item, article):
        if item.id == 2:
            raise RuntimeError("the disk is full")
        return real(self, item, article)

    monkeypatch.setattr(Conversations, "store", broken)
    with pytest.raises(RuntimeError):
        run(tmp_path, wxr(post(1, "First", comments=comment(1, "Hi")), post(2, "Second")))
    assert not Article.objects.exists() and not Comment.objects.exists()


def test_nothing_is_fetched_from_other_sites(tmp_path, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the importer tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    body = '<img src="https://elsewhere.example/b.png" alt="b">'
    report = run(tmp_path, wxr(post(1, "Outside", body)))
    assert "an image from another site was dropped (https://elsewhere.example/b.png)" in report


def test_links_to_old_permalinks_and_post_ids_point_at_the_new_articles(tmp_path):
    body = (
        f'See <a href="{SITE}/2025/05/14/first-news/">the news</a>, '
        '<a href="/2025/05/14/first-news/">again</a> and <a href="/?p=1">once more</a>; '
        '<a href="https://elsewhere.example/2025/05/14/first-news/">elsewhere</a>.'
    )
    run(tmp_path, wxr(post(1, "First news"), post(2, "Second", body)))
    html = Article.objects.get(title="Second").body
    assert html.count('href="/articles/first-news/"') == 3
    assert 'href="https://elsewhere.example/2025/05/14/first-news/"' in html


def test_documents_are_skipped_and_images_without_alt_text_get_their_title(tmp_path, uploads):
    (uploads / "2025" / "05" / "report.pdf").write_bytes(b"%PDF-1.4 a report")
    report = run(tmp_path, wxr(attachment(8, "2025/05/report.pdf"),
                               attachment(9, "2025/05/walk.jpg", alt="")), uploads=uploads)  # fmt: skip
    assert "file 2025/05/report.pdf: not an image (documents are not imported)" in report
    image = Image.objects.get()
    assert image.alt_text == "walk"
    assert "Image “walk” had no alt text: its title stands in" in report


def test_an_attachment_path_cannot_lead_out_of_the_uploads_folder(tmp_path, uploads):
    (tmp_path / "secret.jpg").write_bytes(image_bytes())
    report = run(tmp_path, wxr(attachment(9, "../secret.jpg")), uploads=uploads)
    assert "its path leads out of the uploads folder" in report
    assert not Image.objects.exists()


def test_percent_encoded_names_make_readable_slugs_and_their_old_addresses_work(tmp_path):
    run(tmp_path, wxr(post(1, "Café news", slug="caf%c3%a9-news")))
    news = Article.objects.get()
    assert news.slug == "cafe-news"
    from django.test import Client

    response = Client().get("/2025/05/14/caf%C3%A9-news/")
    assert (response.status_code, response["Location"]) == (301, "/articles/cafe-news/")


def test_tricky_html_keeps_its_words_and_its_pictures(tmp_path, uploads):
    body = (
        f'<p>Two pictures <img class="wp-image-9" alt="a &gt; b" title="x > y" '
        f'src="http://www.old.example.org/wp-content/uploads/2025/05/walk-300x225.jpg"> and '
        f'<img src="{SITE}/wp-content/uploads/2025/05/walk.jpg" alt="again"> in one line.</p>'
        "<script>alert(1)</script>"
        '<iframe src="https://www.youtube.com/embed/xyz"></iframe>\n\n[video src="https://media.example/v.mp4"][/video]'
        "\n\n[gallery]"
    )
    report = run(tmp_path, wxr(attachment(9, "2025/05/walk.jpg"), post(1, "Tricky", body)),
                 uploads=uploads)  # fmt: skip
    html = Article.objects.get().body
    assert "<p>Two pictures  and  in one line.</p>" in html
    assert html.count("<figure>") == 2
    assert 'alt="a &gt; b"' in html and 'alt="again"' in html
    assert "x > y" not in html and 'y"' not in html
    assert "<script" not in html and "alert(1)" not in html
    assert '<a href="https://www.youtube.com/embed/xyz"' in html
    assert '<a href="https://media.example/v.mp4"' in html
    assert "an embedded frame became a link" in report
    assert "a [gallery] without a list of images was removed" in report


def test_long_term_names_sharing_a_beginning_do_not_collide(tmp_path):
    long = "a" * 70
    item = post(1, "Tagged").replace(
        "</item>",
        f'<category domain="post_tag" nicename="{long}-one"><![CDATA[One]]></category>'
        f'<category domain="post_tag" nicename="{long}-two"><![CDATA[Two]]></category></item>',
    )
    run(tmp_path, wxr(item))
    assert Article.objects.get().tags.count() == 2


def test_a_writer_missing_from_the_authors_is_reported_and_reused(tmp_path):
    from tests.factories import make_user

    existing = make_user(username="ghost")
    item = post(1, "Orphan").replace(
        "<dc:creator>ann</dc:creator>", "<dc:creator>ghost</dc:creator>"
    )
    report = run(tmp_path, wxr(item))
    assert Article.objects.get().author == existing
    assert "names ghost as its writer, who is not among the export's authors" in report


def test_an_author_without_a_first_or_last_name_keeps_the_name_the_site_showed(tmp_path):
    authors = ('<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ann</wp:author_login>'
               '<wp:author_email>ann@x.org</wp:author_email><wp:author_display_name>Dr Ann Lee'
               '</wp:author_display_name><wp:author_first_name></wp:author_first_name>'
               '<wp:author_last_name></wp:author_last_name></wp:author>')  # fmt: skip
    run(tmp_path, wxr(post(1, "Byline"), authors=authors))
    assert Article.objects.get().author.get_full_name() == "Dr Ann Lee"


def test_a_trashed_post_leaves_no_old_address_behind(tmp_path):
    from wordpress.models import OldLink

    run(tmp_path, wxr(post(1, "Binned", status="trash")))
    assert not OldLink.objects.filter(new_path__contains="binned").exists()
    assert not OldLink.objects.filter(old_path="/?p=1").exists()


def test_comment_text_keeps_lists_quotes_and_less_than_signs():
    text = bodies.comment_text(
        "<blockquote>quoted</blockquote>reply<ul><li>one</li><li>two</li></ul>a < b and c > d"
    )
    assert "quoted\n\nreply" in text
    assert "- one" in text and "- two" in text
    assert "a < b and c > d" in text


def test_an_article_deleted_here_is_not_imported_again(tmp_path):
    text = wxr(post(1, "Gone", comments=comment(1, "Hi")), post(2, "Kept"))
    run(tmp_path, text)
    Article.objects.get(title="Gone").delete()
    report = run(tmp_path, text)
    assert list(Article.objects.values_list("title", flat=True)) == ["Kept"]
    assert "post “Gone”: deleted here since it was imported" in report


def test_links_to_the_old_site_by_http_or_www_are_rewritten_too(tmp_path):
    old = SITE.replace("https://", "http://www.")
    body = f'<a href="{old}/2025/05/14/first-news/">news</a>'
    run(tmp_path, wxr(post(1, "First news"), post(2, "Second", body)))
    assert 'href="/articles/first-news/"' in Article.objects.get(title="Second").body


@pytest.mark.parametrize(
    "text",
    ["Please give.\n\n[donate_button]\n\nThank you.", "Please give.\n\n[donate]\n\nThank you.",
     "Please give: [contact-form-7] today."],
)  # fmt: skip
def test_an_unknown_shortcode_without_arguments_is_removed_and_reported(text):
    notes = bodies.Notes()
    html = bodies.convert(
        text, images=lambda path, wp_id: None, links=lambda url: None, site_url=SITE, notes=notes
    )
    assert "[" not in html and "Please give" in html
    assert len(notes.shortcodes) == 1


def test_words_in_brackets_within_a_sentence_stay():
    notes = bodies.Notes()
    html = bodies.convert(
        "The drug [sic] was given. Dear [MP name], write to us.",
        images=lambda path, wp_id: None, links=lambda url: None, site_url=SITE, notes=notes,
    )  # fmt: skip
    assert "[sic]" in html and "[MP name]" in html and not notes.shortcodes


def test_an_excerpt_with_entities_becomes_a_plain_summary_shown_once_escaped(tmp_path, client):
    item = post(1, "Care news").replace(
        "<excerpt:encoded><![CDATA[]]>",
        "<excerpt:encoded><![CDATA[Research &amp; care: <em>what&#8217;s</em> new]]>",
    )
    run(tmp_path, wxr(item))
    article = Article.objects.get()
    assert article.summary == "Research & care: what\u2019s new"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Research &amp; care" in page and "&amp;amp;" not in page
    assert 'content="Research &amp; care: what\u2019s new"' in page  # og:description


def test_a_summary_from_the_first_paragraph_has_no_entities_left(tmp_path):
    run(tmp_path, wxr(post(1, "Care news", "<p>Fish &amp; chips &lt;3</p>")))
    assert Article.objects.get().summary == "Fish & chips <3"
