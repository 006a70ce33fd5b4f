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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from articles import images as image_files
from articles import publishing
from articles.models import Article, Category, Image, Tag
from comments import moderation
from comments.models import Comment, depth_under
from comments.text import render_comment_body
from wordpress import bodies, wxr
from wordpress.models import Imported, OldLink

NAME_LENGTH = Comment._meta.get_field("name").max_length
EMAIL_LENGTH = Comment._meta.get_field("email").max_length

HELD = "Imported: it was waiting for review in WordPress"
# An article saved here later than this after the import wrote it was edited by staff.
EDIT_MARGIN = timedelta(seconds=2)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
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
            ("articles waiting for review", c["review"]),
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
            first, last = data["first_name"], data["last_name"]
            if not (first or last) and data["display_name"] != login:
                first = data["display_name"]  # the name the old site showed under posts
            user = self._new_author(login, data["email"], first, last)
        self.users[data["login"]] = user
        self.staff_ids[data["id"]] = user

    def _new_author(self, login, email, first, last):
        User = get_user_model()
        user = User(username=login[:150], email=email, is_staff=True)
        user.first_name, user.last_name = first[:150], last[:150]
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name="Authors")[0])
        self.report.counts["author"] += 1
        self.report.todo.append(
            f"Author {user.get_full_name() or login} ({login}) was added as an Author with "
            "no password: set their role and send them a password reset."
        )
        return user

    def _category(self, slug, name):
        return self._term(Category, self.categories, slug, name, "category")

    def _tag(self, slug, name):
        return self._term(Tag, self.tags, slug, name, "tag")

    def _term(self, model, known, slug, name, kind):
        """The category or tag WordPress calls `slug`, made here the first time it is used."""
        if not slug:
            return None
        if slug in known:
            return known[slug]
        length = model._meta.get_field("slug").max_length
        full = slugify(unquote(slug)) or f"{kind}-{len(known) + 1}"
        ours = full[:length]
        name = (name or ours)[: model._meta.get_field("name").max_length]
        term = model.objects.filter(name=name).first()
        if term is None and len(full) <= length:
            term = model.objects.filter(slug=ours).first()
        if term is None:
            number = 1
            while model.objects.filter(slug=ours).exists():  # a long slug cut to a taken one
                number += 1
                ours = f"{full[: length - len(str(number)) - 1]}-{number}"
            term = model.objects.create(name=name, slug=ours)
            self.report.counts[kind] += 1
        known[slug] = term
        return term

    def _attachment(self, item):
        relative = item.meta.get("_wp_attached_file", "")
        if not relative and item.attachment_url:
            relative = item.attachment_url.split("/wp-content/uploads/", 1)[-1]
        if Path(relative).suffix.lower() not in IMAGE_SUFFIXES:
            self.report.skip(f"file {relative}", "not an image (documents are not imported)")
            return
        alt = item.meta.get("_wp_attachment_image_alt", "").strip()[:300]
        caption = strip_tags(item.excerpt).strip()[:300]
        title = (item.title or Path(relative).stem)[:200]
        known = Imported.objects.filter(
            site=self.site, kind=Kind.ATTACHMENT, wordpress_id=item.id
        ).first()
        image = Image.objects.filter(pk=known.object_id).first() if known else None
        if known and image is None:
            self.report.skip(f"image {relative}", "deleted here since it was imported")
            return
        if image is None:
            image = self._new_image(relative, title=title, alt=alt or title, caption=caption)
            if image is None:
                return
            Imported.objects.create(
                site=self.site, kind=Kind.ATTACHMENT, wordpress_id=item.id, object_id=image.pk
            )
            self.report.counts["image"] += 1
            if not alt:
                self.report.todo.append(
                    f"Image “{title}” had no alt text: its title stands in; describe it."
                )
        self.images[item.id] = image
        self.images_by_path[relative] = image

    def _new_image(self, relative, *, title, alt, caption):
        if self.uploads is None:
            self.report.skip(f"image {relative}", "no --uploads folder was given")
            return None
        file_path = (self.uploads / relative).resolve()
        if not file_path.is_relative_to(self.uploads.resolve()):
            self.report.skip(f"image {relative}", "its path leads out of the uploads folder")
            return None
        if not file_path.is_file():
            self.report.skip(f"image {relative}", "the uploads folder has no such file")
            return None
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
        return image

    def _place(self, item):
        if item.status == "trash":
            return
        known = Imported.objects.filter(
            site=self.site, kind=Kind.POST, wordpress_id=item.id
        ).first()
        existing = Article.objects.filter(pk=known.object_id).first() if known else None
        if known and existing is None:
            return  # deleted here since it was imported: it stays deleted
        if existing is not None:
            slug = existing.slug
        else:
            base = slugify(unquote(item.name) or item.title)[:190] or f"post-{item.id}"
            slug, number = base, 1
            taken = {place.slug for place in self.posts.values()}
            while slug in taken or Article.objects.filter(slug=slug).exists():
                number += 1
                slug = f"{base}-{number}"
        self.posts[item.id] = PostPlace(slug=slug, link=item.link, title=item.title)
        new = reverse("articles:detail", kwargs={"slug": slug})
        if item.link:
            self.links[_address(item.link)] = new
        self.links[f"?p={item.id}"] = new

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
        place = self.posts.get(item.id)
        known = Imported.objects.filter(
            site=self.site, kind=Kind.POST, wordpress_id=item.id
        ).first()
        article = Article.objects.filter(pk=known.object_id).first() if known else None
        if place is None:
            self.report.skip(f"post “{title}”", "deleted here since it was imported")
            return
        if article is not None and article.updated_at > known.written_at + EDIT_MARGIN:
            self.report.todo.append(
                f"“{title}” was changed here since it was imported: it was left as it is."
            )
            self._comments(item, article)
            return
        author = self.users.get(item.creator) or self._fallback_author(item.creator, title)
        notes = bodies.Notes()
        self._unresolved = notes.unresolved_links
        body = bodies.convert(
            item.content,
            images=self._find_image,
            links=self._new_link,
            site_url=self.site,
            notes=notes,
        )
        categories = [self._category(s, n) for d, s, n in item.categories if d == "category"]
        categories = [category for category in categories if category is not None]
        tags = [self._tag(s, n) for d, s, n in item.categories if d == "post_tag"]
        if not categories:
            categories = [self._category("uncategorized", "Uncategorized")]
        # An article has one category: the others become tags of the same name.
        tags += [self._tag(category.slug, category.name) for category in categories[1:]]
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
        # Its tags are saved with it, so that its first revision holds them.
        publishing.save(article, tags={tag for tag in tags if tag is not None})
        if updating:
            known.save()  # its written_at: now
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
        article.publish_at = None
        if item.status == "pending" and not item.password:
            # WordPress's "Pending Review": it waits for an editor here too (no email).
            article.status = Article.Status.REVIEW
            self.report.counts["review"] += 1
            return
        article.status = Article.Status.DRAFT
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
                f"“{title}” was also in {names}: an article has one category here, so "
                "those are tags of it now."
            )
        for name in sorted(notes.images_without_alt):
            self.report.todo.append(f"“{title}”: a picture of “{name}” has no alt text.")
        for what in notes.embeds_dropped:
            self.report.todo.append(f"“{title}”: {what}")

    def _fallback_author(self, login, title):
        """The author of a post whose writer the export does not list among its authors."""
        User = get_user_model()
        login = (login or "wordpress")[:150]
        user = User.objects.filter(username=login).first()
        if user is None:
            user = self._new_author(login, "", "", "")
        self.report.todo.append(
            f"“{title}” names {login} as its writer, who is not among "
            "the export's authors: check its byline."
        )
        self.users[login] = user
        return user

    def _find_image(self, path, attachment_id):
        if attachment_id is not None and attachment_id in self.images:
            return self.images[attachment_id]
        return self.images_by_path.get(path) if path else None

    def _new_link(self, url):
        """The new address of a link to the old site, or None (the link stays as it is)."""
        parts = urlsplit("https:" + url if url.startswith("//") else url)
        if parts.netloc and not same_host(parts.netloc, self.site):
            return None  # another site's
        if not parts.netloc and not url.startswith("/"):
            return None  # "#note-2", "mailto:", a relative link: not a page of the old site
        if "/wp-content/" in parts.path:
            return None
        post_id = parse_qs(parts.query).get("p", [""])[0]
        new = self.links.get(f"?p={post_id}") if post_id.isdigit() else None
        new = new or self.links.get(_address(parts.path))
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
        gone = {wp_id for wp_id, pk in known.items() if pk not in existing}
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
            elif wp.id in gone:
                self.report.skip(what, "deleted here since it was imported")
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
                comment = existing.get(known.get(wp.id))
                if comment is not None and touched_here(comment):
                    made[wp.id] = comment  # moderated, edited or erased here: left as it is
                    continue
                comment = comment or Comment(article=article)
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
        comment.depth = depth_under(parent)
        comment.thread_id = None if parent is None else parent.thread_id or parent.pk
        comment.name = (wp.author or "Anonymous")[:NAME_LENGTH]
        comment.email = (wp.email or (staff.email if staff else "")).strip().lower()[:EMAIL_LENGTH]
        comment.body = bodies.comment_text(wp.content)
        comment.body_html = render_comment_body(comment.body)  # as Comment.save would
        comment.created_at = parse_date(wp.date_gmt) or timezone.now()
        # Kept, like any comment's, only for the keeping period: most imported ones are older.
        kept_since = timezone.now() - timedelta(days=settings.COMMENTS_KEEP_METADATA_DAYS)
        comment.ip_address = (wp.ip or None) if comment.created_at >= kept_since else None
        comment.is_staff_reply = staff is not None
        comment.staff_author = staff
        if staff is not None:
            comment.name = (staff.get_full_name() or comment.name)[:NAME_LENGTH]
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
            if old.startswith("?"):
                wanted[f"/{old}"] = new
            elif old != "/":
                wanted[escape_uri_path(old + "/")] = new
        for slug, category in self.categories.items():
            wanted[escape_uri_path(f"/category/{unquote(slug)}/")] = category.get_absolute_url()
        for slug, tag in self.tags.items():
            wanted[escape_uri_path(f"/tag/{unquote(slug)}/")] = tag.get_absolute_url()
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


def touched_here(comment):
    """Has staff acted on this imported comment here (or erased its writer's details)?
    Importing again must not undo that: a spam decision, a redaction, an erasure."""
    return bool(comment.moderated_at or comment.edited_by_moderator or not comment.email)


def same_host(host, site):
    """Is `host` the old site's, with or without "www."?"""
    ours = urlsplit(site).netloc.lower().removeprefix("www.")
    return host.lower().removeprefix("www.") == ours


def _address(path_or_url):
    """A page's path as the old site's links name it: decoded, without its last slash."""
    path = unquote(urlsplit(path_or_url).path)
    return path.rstrip("/") or "/"


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
