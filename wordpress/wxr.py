"""Read a WordPress export (WXR: RSS 2.0 with wp: elements) as a stream of plain records.

The file is parsed with defusedxml's iterparse: no entity expansion, no external entities,
no DTD tricks, and one <item> in memory at a time, however large the export.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
WP_PREFIX = "{http://wordpress.org/export/1."


class NotAnExport(Exception):
    """The file is not a WordPress export, or cannot be read safely; the message says why."""


@dataclass
class Comment:
    id: int
    author: str
    email: str
    url: str
    ip: str
    date_gmt: str
    date: str
    content: str
    approved: str
    type: str
    parent: int
    user_id: int


@dataclass
class Item:
    id: int
    type: str
    status: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    name: str
    date: str
    date_gmt: str
    comment_status: str
    password: str
    parent: int
    attachment_url: str = ""
    categories: list = field(default_factory=list)  # (domain, nicename, name)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


def _local(tag):
    """`tag` without its namespace, with "wp:" kept as a prefix: "wp:post_id", "title"."""
    if tag.startswith("{") and "/excerpt/" in tag.split("}", 1)[0]:
        # Before wp:, whose namespace this one's address begins with.
        return "excerpt:" + tag.split("}", 1)[1]
    if tag.startswith(WP_PREFIX):
        return "wp:" + tag.split("}", 1)[1]
    if tag.startswith(CONTENT):
        return "content:" + tag.split("}", 1)[1]
    if tag.startswith(DC):
        return "dc:" + tag.split("}", 1)[1]
    return tag


def _text(element, name, *, strip=True):
    """The text of `element`'s child `name` ("" if it has none), stripped unless told not."""
    for child in element:
        if _local(child.tag) == name:
            text = child.text or ""
            return text.strip() if strip else text
    return ""


def _number(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


def read(path):
    """Yield ("site", dict), ("author", dict), ("category", dict), ("tag", dict) and
    ("item", Item) records from the export at `path`, in file order.

    Raises NotAnExport for a file that is not WXR, is cut short, or tries entity tricks.
    """
    depth = 0
    seen_rss = seen_version = False
    channel = None
    try:
        for event, element in iterparse(path, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                depth += 1
                if depth == 1:
                    if tag != "rss":
                        raise NotAnExport(
                            f"This is not a WordPress export: the file starts with <{tag}>, "
                            "not <rss>. Export it again from WordPress: Tools › Export."
                        )
                    seen_rss = True
                elif depth == 2 and tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            if tag == "wp:wxr_version":
                seen_version = True
            elif tag in ("wp:base_site_url", "wp:base_blog_url", "link", "title"):
                yield "site", {tag: (element.text or "").strip()}
            elif tag == "wp:author":
                yield (
                    "author",
                    {
                        "id": _number(_text(element, "wp:author_id")),
                        "login": _text(element, "wp:author_login"),
                        "email": _text(element, "wp:author_email"),
                        "display_name": _text(element, "wp:author_display_name"),
                        "first_name": _text(element, "wp:author_first_name"),
                        "last_name": _text(element, "wp:author_last_name"),
                    },
                )
            elif tag == "wp:category":
                yield (
                    "category",
                    {
                        "slug": _text(element, "wp:category_nicename"),
                        "name": _text(element, "wp:cat_name"),
                        "parent": _text(element, "wp:category_parent"),
                    },
                )
            elif tag == "wp:tag":
                yield (
                    "tag",
                    {"slug": _text(element, "wp:tag_slug"), "name": _text(element, "wp:tag_name")},
                )
            elif tag == "item":
                if not seen_version:
                    raise NotAnExport(
                        "This RSS file is not a WordPress export: it has no <wp:wxr_version>."
                    )
                yield "item", _item(element)
            channel.clear()  # what was read is yielded: keep one item in memory at a time
    except ParseError as error:
        raise NotAnExport(
            f"The file is not complete or not well-formed XML ({error}). If it was copied or "
            "downloaded, it may have been cut short: export it again."
        ) from None
    except DefusedXmlException as error:
        raise NotAnExport(
            f"The file was refused because it uses XML entities or external references "
            f"({type(error).__name__}), which a WordPress export never does."
        ) from None
    if not seen_rss or not seen_version:
        raise NotAnExport("This is not a WordPress export: it has no <wp:wxr_version>.")


def _item(element):
    item = Item(
        id=_number(_text(element, "wp:post_id")),
        type=_text(element, "wp:post_type"),
        status=_text(element, "wp:status"),
        title=_text(element, "title"),
        link=_text(element, "link"),
        creator=_text(element, "dc:creator"),
        content=_text(element, "content:encoded", strip=False),
        excerpt=_text(element, "excerpt:encoded"),
        name=_text(element, "wp:post_name"),
        date=_text(element, "wp:post_date"),
        date_gmt=_text(element, "wp:post_date_gmt"),
        comment_status=_text(element, "wp:comment_status"),
        password=_text(element, "wp:post_password"),
        parent=_number(_text(element, "wp:post_parent")),
        attachment_url=_text(element, "wp:attachment_url"),
    )
    for child in element:
        tag = _local(child.tag)
        if tag == "category":
            item.categories.append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        elif tag == "wp:postmeta":
            item.meta[_text(child, "wp:meta_key")] = _text(child, "wp:meta_value")
        elif tag == "wp:comment":
            item.comments.append(
                Comment(
                    id=_number(_text(child, "wp:comment_id")),
                    author=_text(child, "wp:comment_author"),
                    email=_text(child, "wp:comment_author_email"),
                    url=_text(child, "wp:comment_author_url"),
                    ip=_text(child, "wp:comment_author_IP"),
                    date_gmt=_text(child, "wp:comment_date_gmt"),
                    date=_text(child, "wp:comment_date"),
                    content=_text(child, "wp:comment_content", strip=False),
                    approved=_text(child, "wp:comment_approved"),
                    type=_text(child, "wp:comment_type") or "comment",
                    parent=_number(_text(child, "wp:comment_parent")),
                    user_id=_number(_text(child, "wp:comment_user_id")),
                )
            )
    return item


def parse_date(text):
    """A WordPress date ("2026-01-08 12:40:00", UTC for the _gmt fields), or None for
    WordPress's zero date, which drafts carry."""
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None
