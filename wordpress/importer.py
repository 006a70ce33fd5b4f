"""Import a WordPress export: authors, categories, tags, images, posts, threaded comments,
and the old addresses as redirects. All or nothing, and again without duplicates. Its parts:
library.py the images, conversations.py the comments, addresses.py the old addresses,
report.py what it did.

The export is read twice, as a stream (wordpress/wxr.py): the first pass learns the site,
its people, terms and images, and where each post will live; the second stores the posts
and their comments, with links between posts already pointing at their new addresses.
Nothing goes through the comment rules or the mail queue; the page cache is marked stale
once, at the end.
"""

import html
import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from articles import publishing
from articles.models import Article, Category, Tag
from comments import moderation
from wordpress import bodies, wxr
from wordpress.addresses import address, redirect_old_addresses, same_host
from wordpress.conversations import Conversations
from wordpress.library import Library
from wordpress.models import Imported
from wordpress.report import ImportFailed, Report, Rollback
from wordpress.wxr import parse_date

# An article saved here later than this after the import wrote it was edited by staff.
EDIT_MARGIN = timedelta(seconds=2)
Kind = Imported.Kind


@dataclass
class PostPlace:
    """Where a WordPress post will live here, learnt in the first pass."""

    slug: str
    link: str
    title: str


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
        self.posts = {}  # post id -> PostPlace
        self.links = {}  # old absolute address -> new path
        self.library = Library(self.uploads, self.report)
        self.conversations = Conversations(self.report, self.staff_ids)
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
                redirect_old_addresses(self.links, self.categories, self.tags, self.report)
                # The comment counts, and the cached pages marked stale.
                moderation.refresh_counts(self.conversations.articles_with_comments)
                if dry_run:
                    raise Rollback
        except Rollback:
            self.library.remove_stored_files()
        except wxr.NotAnExport as problem:
            self.library.remove_stored_files()
            raise ImportFailed(str(problem)) from None
        except BaseException:
            self.library.remove_stored_files()
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
                    self.library.site = self.conversations.site = self.site
            elif kind == "author":
                self._author(data)
            elif kind in ("category", "tag"):
                pass  # made when a post uses one: an unused term would be an empty page here
            elif data.type == "attachment":
                self.library.attachment(data)
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
            self.links[address(item.link)] = new
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
            self.conversations.store(item, article)
            return
        author = self.users.get(item.creator) or self._fallback_author(item.creator, title)
        notes = bodies.Notes()
        self._unresolved = notes.unresolved_links
        body = bodies.convert(
            item.content,
            images=self.library.find,
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
        article.image = self.library.images.get(_number(item.meta.get("_thumbnail_id")))
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
        self.conversations.store(item, article)

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
        # Plain text, as a summary is stored: tags dropped, entities (&amp;) made characters.
        excerpt = html.unescape(strip_tags(item.excerpt)).strip()
        if not excerpt:
            first = re.search(r"<p>(.*?)</p>", body, re.DOTALL)
            excerpt = html.unescape(strip_tags(first.group(1) if first else body))
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
        new = new or self.links.get(address(parts.path))
        if new is None and parts.path.strip("/"):
            self._unresolved.append(url)
        return new


def _number(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None
