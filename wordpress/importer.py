"""Import a WordPress export: authors, categories, tags, images, posts, threaded comments,
and the old addresses as redirects. All or nothing, and again without duplicates.

The export is read twice, as a stream (wordpress/wxr.py): the first pass learns the site,
its people, terms and images, and where each post will live; the second stores the posts
and their comments, with links between posts already pointing at their new addresses.
Nothing goes through the comment rules or the mail queue; the page cache is marked stale
once, at the end.
"""

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from articles import images as image_files
from articles import publishing
from articles.models import Article, Category, Image, Tag
from comments import moderation
from comments.models import MAX_DEPTH, Comment
from comments.text import render_comment_body
from wordpress import bodies, wxr
from wordpress.models import Imported, OldLink

HELD = "Imported: it was waiting for review in WordPress"
COMMENT_LIMIT = Comment._meta.get_field("body").max_length
Kind = Imported.Kind


class ImportFailed(Exception):
    """The import stopped and wrote nothing; the message names the problem."""


class Rollback(Exception):
    """Raised at the end of a dry run, so that its transaction writes nothing."""


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    skipped: list = field(default_factory=list)  # (what, why)
    todo: list = field(default_factory=list)
    dry_run: bool = False

    def skip(self, what, why):
        self.skipped.append((what, why))

    def lines(self):
        c = self.counts
        head = "Dry run: nothing was written." if self.dry_run else "Import finished."
        out = [head, "", "Imported:"]
        rows = [
            ("articles published", c["published"]),
            ("articles scheduled", c["scheduled"]),
            ("articles as drafts", c["draft"]),
            ("comments approved", c["comment approved"]),
            ("comments waiting for review", c["comment pending"]),
            ("staff replies", c["staff reply"]),
            ("images", c["image"]),
            ("authors", c["author"]),
            ("categories", c["category"]),
            ("tags", c["tag"]),
            ("redirects from old addresses", c["redirect"]),
        ]
        out += [f"  {label:<32} {count:>7,}" for label, count in rows]
        if c["updated"]:
            out.append(f"  ({c['updated']:,} of them were already here and were updated)")
        out += ["", f"Skipped ({len(self.skipped):,}):"]
        out += [f"  - {what}: {why}" for what, why in self.skipped] or ["  nothing"]
        out += ["", f"For staff to do ({len(self.todo):,}):"]
        out += [f"  - {item}" for item in self.todo] or ["  nothing"]
        return out


@dataclass
class PostPlace:
    """Where a WordPress post will live here, learnt in the first pass."""

    slug: str
    link: str
    title: str


def parse_date(text):
    """A WordPress date ("2026-01-08 12:40:00", UTC for the _gmt fields), or None for
    WordPress's zero date, which drafts carry."""
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


class Importer:
    def __init__(self, path, *, uploads=None, progress=None):
        self.path = Path(path)
        self.uploads = Path(uploads) if uploads else None
        self.progress = progress or (lambda done, total: None)
        self.report = Report()
        self.site = ""
        self.users = {}  # login -> User
        self.staff_ids = {}  # WordPress user id -> User
        self.categories = {}  # slug -> Category
        self.tags = {}  # slug -> Tag
        self.images = {}  # attachment id -> Image
        self.images_by_path = {}  # "2026/01/x.jpg" -> Image
        self.posts = {}  # post id -> PostPlace
        self.links = {}  # old absolute address -> new path
        self.stored_files = []  # (name, renditions): removed again if nothing is kept
        self.articles_with_comments = []
        self.total = 0

    # The run --------------------------------------------------------------------------

    def run(self, *, dry_run=False):
        self.report.dry_run = dry_run
        self._check_files()
        self.total = os.path.getsize(self.path)
        try:
            with transaction.atomic():
                self._first_pass()
                self._second_pass()
                self._old_addresses()
                moderation.refresh_counts(self.articles_with_comments)  # and bumps the cache
                if dry_run:
                    raise Rollback
        except Rollback:
            self._remove_stored_files()
        except wxr.NotAnExport as problem:
            self._remove_stored_files()
            raise ImportFailed(str(problem)) from None
        except BaseException:
            self._remove_stored_files()
            raise
        return self.report

    def _check_files(self):
        if not self.path.is_file():
            raise ImportFailed(f"There is no file at {self.path}.")
        if not os.access(self.path, os.R_OK):
            raise ImportFailed(f"{self.path} cannot be read: check its permissions.")
        if self.uploads is not None:
            if not self.uploads.is_dir():
                raise ImportFailed(f"The uploads folder {self.uploads} does not exist.")
            if not os.access(self.uploads, os.R_OK | os.X_OK):
                raise ImportFailed(f"The uploads folder {self.uploads} cannot be read.")

    def _remove_stored_files(self):
        for name, renditions in self.stored_files:
            default_storage.delete(name)
            image_files.delete_renditions(renditions)

    def _records(self, start, end):
        """The export's records, reporting progress between `start` and `end` (of 1)."""
        with open(self.path, "rb") as file:
            for record in wxr.read(file):
                self.progress(start + (end - start) * file.tell() / max(self.total, 1), 1)
                yield record
        self.progress(end, 1)

    # First pass: the site, its people, terms and images, and each post's new place -----

    def _first_pass(self):
        for kind, data in self._records(0, 0.4):
            if kind == "site":
                if data.get("wp:base_site_url") or (data.get("link") and not self.site):
                    self.site = (data.get("wp:base_site_url") or data["link"]).rstrip("/")
            elif kind == "author":
                self._author(data)
            elif kind in ("category", "tag"):
                pass  # made when a post uses one: an unused term would be an empty page here
            elif data.type == "attachment":
                self._attachment(data)
            elif data.type == "post":
                self._place(data)

    def _author(self, data):
        User = get_user_model()
        login = data["login"][:150]
        user = User.objects.filter(username=login).first()
        if user is None and data["email"]:
            user = User.objects.filter(email__iexact=data["email"]).first()
        if user is None:
            user = User(username=login, email=data["email"], is_staff=True)
            user.set_unusable_password()
            user.first_name = data["first_name"][:150]
            user.last_name = data["last_name"][:150]
            user.save()
            user.groups.add(Group.objects.get_or_create(name="Authors")[0])
            self.report.counts["author"] += 1
            self.report.todo.append(
                f"Author {data['display_name'] or login} ({login}) was added as an Author with "
                "no password: set their role and send them a password reset."
            )
        self.users[data["login"]] = user
        self.staff_ids[data["id"]] = user

    def _category(self, slug, name):
        if slug in self.categories or not slug:
            return self.categories.get(slug)
        category = (
            Category.objects.filter(slug=slug).first() or Category.objects.filter(name=name).first()
        )
        if category is None:
            category = Category.objects.create(name=name[:80], slug=slug[:80])
            self.report.counts["category"] += 1
        self.categories[slug] = category
        return category

    def _tag(self, slug, name):
        if slug in self.tags or not slug:
            return self.tags.get(slug)
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name[:60], slug=slug[:60])
            self.report.counts["tag"] += 1
        self.tags[slug] = tag
        return tag

    def _attachment(self, item):
        relative = item.meta.get("_wp_attached_file", "")
        if not relative and item.attachment_url:
            relative = item.attachment_url.split("/wp-content/uploads/", 1)[-1]
        alt = item.meta.get("_wp_attachment_image_alt", "")[:300]
        caption = strip_tags(item.excerpt)[:300]
        title = (item.title or relative)[:200]
        known = Imported.objects.filter(site=self.site, kind=Kind.ATTACHMENT, wordpress_id=item.id)
        image = Image.objects.filter(pk__in=known.values("object_id")).first()
        if image is not None:
            Image.objects.filter(pk=image.pk).update(alt_text=alt, caption=caption, title=title)
            image.alt_text, image.caption, image.title = alt, caption, title
            self.report.counts["updated"] += 1
        else:
            if self.uploads is None:
                self.report.skip(f"image {relative}", "no --uploads folder was given")
                return
            file_path = self.uploads / relative
            if not file_path.is_file():
                self.report.skip(f"image {relative}", "the uploads folder has no such file")
                return
            image = Image(title=title, alt_text=alt, caption=caption)
            try:
                with open(file_path, "rb") as handle:
                    image.file = File(handle, name=file_path.name)
                    image.save()  # cleaned (no EXIF) and resized, as any upload
            except ValidationError as error:
                raise ImportFailed(f"{file_path}: {' '.join(error.messages)}") from None
            except OSError as error:
                raise ImportFailed(f"{file_path} cannot be read: {error.strerror}.") from None
            self.stored_files.append((image.file.name, image.renditions))
            Imported.objects.create(
                site=self.site, kind=Kind.ATTACHMENT, wordpress_id=item.id, object_id=image.pk
            )
            self.report.counts["image"] += 1
        if not alt:
            self.report.todo.append(f"Image “{title}” has no alt text: describe it.")
        self.images[item.id] = image
        self.images_by_path[relative] = image

    def _place(self, item):
        if item.status == "trash":
            return
        known = Imported.objects.filter(site=self.site, kind=Kind.POST, wordpress_id=item.id)
        existing = Article.objects.filter(pk__in=known.values("object_id")).first()
        if existing is not None:
            slug = existing.slug
        else:
            base = slugify(item.name or item.title)[:190] or f"post-{item.id}"
            slug, number = base, 1
            taken = {place.slug for place in self.posts.values()}
            while slug in taken or Article.objects.filter(slug=slug).exists():
                number += 1
                slug = f"{base}-{number}"
        self.posts[item.id] = PostPlace(slug=slug, link=item.link, title=item.title)
        new = reverse("articles:detail", kwargs={"slug": slug})
        if item.link:
            self.links[item.link.rstrip("/")] = new
        self.links[f"{self.site}/?p={item.id}"] = new

    # Second pass: the posts and their comments ----------------------------------------

    def _second_pass(self):
        for kind, data in self._records(0.4, 1):
            if kind != "item":
                continue
            if data.type == "post":
                self._post(data)
            elif data.type == "attachment":
                continue
            elif data.type == "page":
                self.report.skip(f"page “{data.title}”", "pages are not articles")
            elif data.type == "nav_menu_item":
                self.report.counts["menu item"] += 1
            else:
                self.report.skip(f"{data.type} “{data.title}”", "not a post")
        if self.report.counts["menu item"]:
            self.report.skip(
                f"{self.report.counts['menu item']} menu items", "menus are not imported"
            )

    def _post(self, item):
        title = item.title or f"Post {item.id}"
        if item.status == "trash":
            self.report.skip(f"post “{title}”", "it was in the WordPress trash")
            return
        place = self.posts[item.id]
        author = self.users.get(item.creator)
        if author is None:
            author = self._fallback_author(item.creator)
        notes = bodies.Notes()
        self._unresolved = notes.unresolved_links
        body = bodies.convert(
            item.content,
            images=self._find_image,
            links=self._new_link,
            site_url=self.site,
            notes=notes,
        )
        terms = [(domain, slug, name) for domain, slug, name in item.categories]
        categories = [self._category(s, n) for d, s, n in terms if d == "category"]
        categories = [category for category in categories if category is not None]
        tags = [self._tag(s, n) for d, s, n in terms if d == "post_tag"]
        if not categories:
            categories = [self._category("uncategorized", "Uncategorized")]
        known = Imported.objects.filter(site=self.site, kind=Kind.POST, wordpress_id=item.id)
        article = Article.objects.filter(pk__in=known.values("object_id")).first()
        updating = article is not None
        if article is None:
            article = Article(slug=place.slug)
        article.title = title[:200]
        article.author = author
        article.summary = self._summary(item, body)
        article.body = body
        article.category = categories[0]
        article.image = self.images.get(_number(item.meta.get("_thumbnail_id")))
        article.comments_open = item.comment_status != "closed"
        published = parse_date(item.date_gmt)
        self._status(article, item, published, title)
        publishing.save(article)
        article.tags.set([tag for tag in tags if tag is not None])
        if updating:
            self.report.counts["updated"] += 1
        else:
            Imported.objects.create(
                site=self.site, kind=Kind.POST, wordpress_id=item.id, object_id=article.pk
            )
        self._notes(title, notes, extra_categories=categories[1:])
        self._comments(item, article)

    def _status(self, article, item, published, title):
        if item.status in ("publish", "future") and not item.password:
            article.status = Article.Status.PUBLISHED
            article.publish_at = published or timezone.now()
            article.released_at = article.publish_at
            future = article.publish_at > timezone.now()
            self.report.counts["scheduled" if future else "published"] += 1
            return
        article.status = Article.Status.DRAFT
        article.publish_at = None
        self.report.counts["draft"] += 1
        if item.password:
            self.report.todo.append(
                f"“{title}” was password-protected in WordPress: it is a draft here. Decide "
                "whether to publish it."
            )
        elif item.status == "private":
            self.report.todo.append(f"“{title}” was private in WordPress: it is a draft here.")

    def _summary(self, item, body):
        excerpt = strip_tags(item.excerpt).strip()
        if not excerpt:
            first = re.search(r"<p>(.*?)</p>", body, re.DOTALL)
            excerpt = strip_tags(first.group(1)) if first else strip_tags(body)
        return Truncator(" ".join(excerpt.split())).chars(400) or item.title[:400]

    def _notes(self, title, notes, *, extra_categories):
        for name in sorted(notes.shortcodes):
            self.report.todo.append(f"“{title}”: the unknown shortcode [{name}] was removed.")
        for src in notes.foreign_images:
            self.report.todo.append(f"“{title}”: an image from another site was dropped ({src}).")
        for url in notes.unresolved_links:
            self.report.todo.append(
                f"“{title}” links to {url} on the old site, which was not imported: check the link."
            )
        for src in notes.missing_images:
            self.report.todo.append(
                f"“{title}”: an image missing from the uploads was dropped ({src})."
            )
        if extra_categories:
            names = ", ".join(category.name for category in extra_categories)
            self.report.todo.append(
                f"“{title}” was also in {names}: an article has one category here."
            )

    def _fallback_author(self, login):
        User = get_user_model()
        user = self.users.get("") or User.objects.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            user = User(username=(login or "wordpress")[:150], is_staff=True)
            user.set_unusable_password()
            user.save()
        self.users[login] = user
        return user

    def _find_image(self, path, attachment_id):
        if attachment_id is not None and attachment_id in self.images:
            return self.images[attachment_id]
        return self.images_by_path.get(path) if path else None

    def _new_link(self, url):
        if url.startswith("/") and not url.startswith("//"):
            url = self.site + url  # a link written without the site's address
        if not self.site or not url.startswith(self.site) or "/wp-content/" in url:
            return None
        parts = urlsplit(url)
        post_id = parse_qs(parts.query).get("p", [""])[0]
        if post_id.isdigit():
            new = self.links.get(f"{self.site}/?p={post_id}")
        else:
            new = self.links.get(f"{self.site}{parts.path}".rstrip("/"))
        if new is None and parts.path.strip("/"):
            self._unresolved.append(url)
        return new

    # Comments ---------------------------------------------------------------------------

    def _comments(self, item, article):
        """Store `item`'s comments under `article`, a level of the threads at a time."""
        known = dict(
            Imported.objects.filter(
                site=self.site, kind=Kind.COMMENT, wordpress_id__in=[c.id for c in item.comments]
            ).values_list("wordpress_id", "object_id")
        )
        existing = Comment.objects.in_bulk(list(known.values()))
        by_id = {c.id: c for c in item.comments}
        levels = {}
        for wp in item.comments:
            what = f"comment {wp.id} on “{item.title}”"
            if wp.type in ("pingback", "trackback"):
                self.report.skip(what, f"a {wp.type}")
            elif wp.type not in ("comment", ""):
                continue  # WordPress's own notes (type "note" and the like): never imported
            elif wp.approved in ("spam", "trash"):
                self.report.skip(what, "spam" if wp.approved == "spam" else "in the trash")
            else:
                levels.setdefault(_depth(wp, by_id), []).append(wp)
        made = {}
        for depth in sorted(levels):  # parents before their replies
            new, changed = [], []
            for wp in levels[depth]:
                what = f"comment {wp.id} on “{item.title}”"
                if wp.parent and wp.parent not in made:
                    self.report.skip(what, "it answers a comment that was not imported")
                    continue
                comment = existing.get(known.get(wp.id)) or Comment(article=article)
                self._fill_comment(comment, wp, made.get(wp.parent), what)
                (changed if comment.pk else new).append((wp, comment))
                made[wp.id] = comment
            Comment.objects.bulk_create([comment for _, comment in new])
            for _, comment in changed:
                comment.save()
            Imported.objects.bulk_create(
                Imported(site=self.site, kind=Kind.COMMENT, wordpress_id=wp.id, object_id=c.pk)
                for wp, c in new
            )
            self.report.counts["updated"] += len(changed)
        self.articles_with_comments.append(article.pk)

    def _fill_comment(self, comment, wp, parent, what):
        staff = self.staff_ids.get(wp.user_id) if wp.user_id else None
        comment.parent = parent
        comment.depth = 0 if parent is None else min(parent.depth + 1, MAX_DEPTH - 1)
        comment.name = (wp.author or "Anonymous")[:100]
        comment.email = (wp.email or (staff.email if staff else "")).strip().lower()[:254]
        comment.body = bodies.comment_text(wp.content)
        comment.body_html = render_comment_body(comment.body)  # as Comment.save would
        comment.created_at = parse_date(wp.date_gmt) or timezone.now()
        comment.ip_address = wp.ip or None
        comment.is_staff_reply = staff is not None
        comment.staff_author = staff
        if staff is not None:
            comment.name = (staff.get_full_name() or comment.name)[:100]
        if wp.approved == "1":
            comment.status = Comment.Status.APPROVED
            comment.held_reasons = []
            self.report.counts["staff reply" if staff else "comment approved"] += 1
        else:
            comment.status = Comment.Status.PENDING
            comment.held_reasons = [HELD]
            self.report.counts["comment pending"] += 1
        if len(comment.body) > COMMENT_LIMIT:
            self.report.todo.append(
                f"{what} is {len(comment.body):,} characters, longer than the form allows "
                f"({COMMENT_LIMIT:,}); it was kept whole."
            )

    # Old addresses ----------------------------------------------------------------------

    def _old_addresses(self):
        wanted = {}
        for old, new in self.links.items():
            parts = urlsplit(old)
            path = parts.path or "/"
            path = path if path.endswith("/") else path + "/"
            wanted[path + (f"?{parts.query}" if parts.query else "")] = new
            if parts.query:
                wanted[f"/?{parts.query}"] = new
        for slug, category in self.categories.items():
            new = category.get_absolute_url()
            wanted[f"/category/{slug}/"] = new
        for slug, tag in self.tags.items():
            wanted[f"/tag/{slug}/"] = tag.get_absolute_url()
        rss = reverse("articles:rss")
        for old in ("/feed/", "/feed/rss/", "/feed/rss2/", "/?feed=rss2", "/comments/feed/"):
            wanted[old] = rss
        for old, new in wanted.items():
            if old == new:
                continue  # the same address here: nothing to redirect
            _, created = OldLink.objects.update_or_create(
                old_path=old[:500], defaults={"new_path": new}
            )
            self.report.counts["redirect"] += created


def _number(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _depth(comment, by_id, limit=50):
    depth = 0
    while comment.parent and comment.parent in by_id and depth < limit:
        comment = by_id[comment.parent]
        depth += 1
    return depth
