"""A WordPress post's stored text, made into the HTML of an article body.

WordPress stores classic-editor posts without paragraphs (it adds them when displaying,
with wpautop) and block-editor posts with <!-- wp:... --> comments around plain HTML; both
may hold shortcodes. What comes out is ordinary HTML for articles.sanitize (which
publishing.save applies): paragraphs, figures of library images, plain links.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

BLOCK = (
    r"(?:table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    r"blockquote|address|p|h[1-6]|hr|fieldset|legend|section|article|aside|header|footer|nav|"
    r"figure|figcaption|details|summary)"
)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
MORE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)
SHORTCODE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\]")
ATTRIBUTE = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
# A tag whose attribute values may hold ">" ("a > b" in an alt text).
TAG_BODY = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
IMG = re.compile(rf"<img\b{TAG_BODY}>", re.IGNORECASE)
IFRAME = re.compile(rf"<iframe\b({TAG_BODY})>.*?</iframe>", re.IGNORECASE | re.DOTALL)
# WordPress's copies of an upload: "-300x225" sizes, "-scaled" big images, "-e1612…" edits.
SIZE_SUFFIX = re.compile(r"(?:-\d+x\d+|-scaled|-e\d{10,})+(?=\.\w+$)")
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
KNOWN = {"caption", "wp_caption", "gallery", "embed"}


@dataclass
class Notes:
    """What converting a body found for the report: unknown shortcodes, dropped images."""

    shortcodes: set = field(default_factory=set)
    foreign_images: list = field(default_factory=list)
    missing_images: list = field(default_factory=list)
    images_without_alt: set = field(default_factory=set)
    unresolved_links: list = field(default_factory=list)
    embeds_dropped: list = field(default_factory=list)


def attributes(text):
    found = {}
    for name, double, single, bare in ATTRIBUTE.findall(text or ""):
        found[name.lower()] = html.unescape(double or single or bare)
    return found


def convert(text, *, images, links, site_url, notes):
    """The article body for WordPress's stored `text`.

    `images(path, attachment_id)` returns the library Image for a file under the old
    uploads folder (or None); `links(url)` returns the new address for an old link of the
    site (or None); `notes` collects what the report lists.
    """
    text = MORE.sub("", text.replace("\r\n", "\n"))
    block_editor = "<!-- wp:" in text
    text = BLOCK_COMMENT.sub("", text)
    text = _embeds(text, notes=notes)
    text = _shortcodes(text, images=images, notes=notes)
    if not block_editor:
        text = autop(text)
    text = _images(text, images=images, site_url=site_url, notes=notes)
    text = _links(text, links=links)
    return text.strip()


def autop(text):
    """WordPress's wpautop, as far as articles need it: blank lines make paragraphs, a
    single newline a line break, and block elements are left as they are."""
    text = text.strip()
    if not text:
        return ""
    text = re.sub(rf"(<{BLOCK}[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</{BLOCK}>)", r"\1\n\n", text, flags=re.IGNORECASE)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if re.match(rf"</?{BLOCK}[\s/>]", chunk, flags=re.IGNORECASE):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    return "\n".join(out)


EMBED_BLOCK = re.compile(
    r'<figure class="wp-block-embed[^"]*">\s*<div class="wp-block-embed__wrapper">\s*(\S+?)\s*'
    r"</div>\s*(?:<figcaption[^>]*>.*?</figcaption>\s*)?</figure>",
    re.DOTALL,
)


def _embeds(text, *, notes):
    """Embedded videos and posts from other sites become plain links (no outside requests)."""
    text = EMBED_BLOCK.sub(lambda m: _link_paragraph(m.group(1)), text)

    def iframe(match):
        src = attributes(match.group(1)).get("src", "")
        if not src.startswith(("http://", "https://", "//")):
            notes.embeds_dropped.append("an embedded frame with no address was removed.")
            return ""
        notes.embeds_dropped.append(f"an embedded frame became a link ({src}).")
        return _link_paragraph("https:" + src if src.startswith("//") else src)

    text = IFRAME.sub(iframe, text)

    def media(match):
        attrs = attributes(match.group(2))
        src = next(
            (attrs[k] for k in ("src", "mp4", "mp3", "m4a", "webm", "ogg") if k in attrs), ""
        )
        src = src or match.group(3).strip()
        if not src:
            notes.embeds_dropped.append(f"a [{match.group(1)}] with no file was removed.")
            return ""
        notes.embeds_dropped.append(f"a [{match.group(1)}] became a link to its file ({src}).")
        return _link_paragraph(src)

    text = re.sub(r"\[(video|audio)([^\]]*)\](?:(.*?)\[/\1\])?", media, text, flags=re.DOTALL)
    text = re.sub(
        r"\[embed[^\]]*\]\s*(\S+?)\s*\[/embed\]", lambda m: _link_paragraph(m.group(1)), text
    )
    # A classic-editor oEmbed: a web address alone on its line.
    return re.sub(
        r"(?m)^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", lambda m: _link_paragraph(m.group(1)), text
    )


def _link_paragraph(url):
    url = html.unescape(url)
    safe = html.escape(url, quote=True)
    return f'\n\n<p><a href="{safe}">{safe}</a></p>\n\n'


def _shortcodes(text, *, images, notes):
    text = re.sub(
        r"\[(?:wp_)?caption([^\]]*)\](.*?)\[/(?:wp_)?caption\]",
        lambda m: _caption(attributes(m.group(1)), m.group(2)),
        text,
        flags=re.DOTALL,
    )
    text = re.sub(
        r"\[gallery([^\]]*)\]",
        lambda m: _gallery(attributes(m.group(1)), images=images, notes=notes),
        text,
    )
    closing = {name.lower() for slash, name, _ in SHORTCODE.findall(text) if slash}

    def unknown(match):
        slash, name, args = match.groups()
        looks_like_one = (
            slash
            or "=" in args
            or args.rstrip().endswith("/")
            or name.lower() in closing
            or "_" in name  # [donate_button], [contact-form-7]: names, not words
            or "-" in name
            or _alone_on_its_line(match)  # a plugin's button or form, put in its own line
        )
        if name.lower() in KNOWN or not looks_like_one:
            return match.group(0)  # "[sic]" or "Dear [MP name]": text, not a shortcode
        notes.shortcodes.add(name.lower())
        return ""  # the shortcode goes; any text it wrapped stays

    return SHORTCODE.sub(unknown, text)


def _alone_on_its_line(match):
    text = match.string
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start : len(text) if end == -1 else end]
    return re.sub(r"</?p>", "", line).strip() == match.group(0)


def _caption(attrs, inner):
    inner = inner.strip()
    picture = IMG.search(inner)
    if not picture:
        return inner
    caption = re.sub(rf"<a\b{TAG_BODY}>\s*<img\b{TAG_BODY}>\s*</a>|<img\b{TAG_BODY}>", "", inner)
    caption = caption.strip()
    caption = caption or attrs.get("caption", "")
    id_match = re.search(r"attachment_(\d+)", attrs.get("id", ""))
    img = picture.group(0)
    if id_match and "wp-image-" not in img:
        img = img.replace("<img", f'<img class="wp-image-{id_match.group(1)}"', 1)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{img}{figcaption}</figure>\n\n"


def _gallery(attrs, *, images, notes):
    if not attrs.get("ids", "").strip():
        notes.embeds_dropped.append(
            "a [gallery] without a list of images was removed: add its pictures by hand."
        )
        return ""
    figures = []
    for raw in attrs.get("ids", "").split(","):
        if not raw.strip().isdigit():
            continue
        image = images(None, int(raw))
        if image is None:
            notes.missing_images.append(f"gallery image {raw.strip()}")
            continue
        figures.append(_figure(image, image.alt_text, image.caption))
    return "\n\n" + "\n".join(figures) + "\n\n" if figures else ""


def _figure(image, alt, caption=""):
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img src="{html.escape(image.url)}" alt="{html.escape(alt)}" '
        f'data-file="{image.pk}">{figcaption}</figure>'
    )


def _images(text, *, images, site_url, notes):
    """Each <img> of the old uploads folder becomes one of the library; others are dropped."""
    site_host = urlsplit(site_url).netloc.lower().removeprefix("www.")

    def replace(match):
        attrs = attributes(match.group(0)[4:-1])
        if "data-file" in attrs:
            return match.group(0)  # already one of the library's (a gallery's, say)
        src = attrs.get("src", "")
        parts = urlsplit("https:" + src if src.startswith("//") else src)
        host = parts.netloc.lower().removeprefix("www.")
        if host and host != site_host:
            notes.foreign_images.append(src)
            return ""
        marker = "/wp-content/uploads/"
        path = ""
        if marker in parts.path:
            path = SIZE_SUFFIX.sub("", unquote(parts.path.split(marker, 1)[1]))
        wp_id = WP_IMAGE_CLASS.search(attrs.get("class", ""))
        image = images(path or None, int(wp_id.group(1)) if wp_id else None)
        if image is None:
            notes.missing_images.append(src)
            return ""
        alt = attrs.get("alt", "") or image.alt_text
        if not alt:
            notes.images_without_alt.add(image.title)
        return (
            f'<img src="{html.escape(image.url)}" alt="{html.escape(alt)}" data-file="{image.pk}">'
        )

    text = IMG.sub(replace, text)
    # A link around a picture pointed at the file itself: the picture is enough.
    text = re.sub(rf"<a\b{TAG_BODY}>\s*(<img\b{TAG_BODY}>)\s*</a>", r"\1", text)

    # Pictures in a paragraph move out of it, each a figure, after the paragraph's text.
    def paragraph(match):
        inner = match.group(1)
        pictures = IMG.findall(inner)
        if not pictures:
            return match.group(0)
        words = IMG.sub("", inner).strip()
        words = re.sub(r"^(?:<br>\s*)+|(?:\s*<br>)+$", "", words).strip()
        figures = "".join(f"<figure>{picture}</figure>" for picture in pictures)
        return (f"<p>{words}</p>" if words else "") + figures

    text = re.sub(r"<p>((?:(?!</p>).)*)</p>", paragraph, text, flags=re.DOTALL)
    # Block-editor figures keep their caption; their classes and wrappers go.
    text = re.sub(r"<figure\b[^>]*>", "<figure>", text)
    return re.sub(r"<p>\s*(?:<br>\s*)*</p>", "", text)


def _links(text, *, links):
    def replace(match):
        quote, url = match.group(1), html.unescape(match.group(2))
        new = links(url)
        return f"href={quote}{html.escape(new)}{quote}" if new else match.group(0)

    return re.sub(r"""href=(["'])(.*?)\1""", replace, text)


def comment_text(text):
    """A WordPress comment's HTML as the plain text our comments store.

    Links keep their address as text ("the trial (https://…)"), tags go, entities become
    characters; line breaks and blank lines between paragraphs stay.
    """

    def link(match):
        href = attributes(match.group(1)).get("href", "")
        label = re.sub(r"<[^>]+>", "", match.group(2)).strip()
        if not href or href == label:
            return label or href
        return f"{label} ({href})" if label else href

    text = re.sub(rf"<a\b({TAG_BODY})>(.*?)</a>", link, text, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<li\b[^<>]*>", "\n- ", text, flags=re.IGNORECASE)
    text = re.sub(r"</(?:p|li|blockquote|div|h[1-6])>\s*", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?[a-zA-Z][^<>]*>", "", text)  # "a < b" is text, not a tag
    text = re.sub(r"\n{3,}", "\n\n", text)
    return html.unescape(text).strip()
