"""What each visitor of a shared page gets of their own: its per-visitor placeholders.

A cached page is the same bytes for everyone, but the comment form in it carries a
timestamp signed when it is handed out. While a page is rendered for the cache, each such
value is a marker; every response fills the markers in, with one join. (A front cache in
front of the site then keeps the filled page for a while: its timestamp is the same for
everyone it serves. Nothing of one visitor's own goes in a shared page: a visitor the site
knows something of gets pages rendered for them alone, pagecache/serving.py.)

Hook: an app registers a placeholder once, in its AppConfig.ready(),

    placeholders.register("comment_timestamp", lambda request, argument: sign(argument))

and writes `placeholders.per_visitor(request, "comment_timestamp", article.pk)` where the
value goes: outside a render for the cache, that is the visitor's value itself.
"""

import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.crypto import salted_hmac

logger = logging.getLogger("alsblog.pagecache")

# Derived from the secret key, so that no text a reader writes can contain a marker (and be
# filled in with somebody's token).
PREFIX = "pc" + salted_hmac("pagecache", "placeholder").hexdigest()[:24]
NAME = re.compile(r"[a-z_]+")
ARGUMENT = re.compile(r"[0-9A-Za-z_-]*")
MARKER = re.compile(re.escape(PREFIX).encode() + rb"\.([a-z_]+)\.([0-9A-Za-z_-]*)\.")

_fillers = {}
_rendering_for_cache = ContextVar("pagecache_rendering_for_cache", default=False)


def register(name, fill):
    """Hook: `fill(request, argument)` returns the visitor's own text for placeholder `name`."""
    if not NAME.fullmatch(name):
        raise ValueError(f"A placeholder's name is lowercase letters and _: {name!r}")
    _fillers[name] = fill


def per_visitor(request, name, argument=""):
    """The visitor's own value of placeholder `name`; its marker while rendering for the cache."""
    argument = str(argument)
    if not ARGUMENT.fullmatch(argument):
        raise ValueError(f"A placeholder's argument is letters, digits, - and _: {argument!r}")
    if _rendering_for_cache.get():
        return f"{PREFIX}.{name}.{argument}."
    return _fillers[name](request, argument)


def rendering_for_everyone():
    """True while a page is rendered for the cache: nothing of this visitor's may go in it."""
    return _rendering_for_cache.get()


@contextmanager
def rendering_for_cache():
    """Within this block, pages are rendered for everyone: per-visitor values are markers."""
    token = _rendering_for_cache.set(True)
    try:
        yield
    finally:
        _rendering_for_cache.reset(token)


def split(content):
    """Cut `content` at its markers, once when it is cached: [text, name, argument, text, …]."""
    return MARKER.split(content)


def has_any(parts):
    return len(parts) > 1


def fill(request, parts):
    """Join a page's parts, each marker replaced by this visitor's own value."""
    pieces = list(parts)
    for index in range(1, len(pieces), 3):
        name, argument = pieces[index].decode(), pieces[index + 1].decode()
        fill_in = _fillers.get(name)
        if fill_in is None:
            logger.warning("No placeholder %r is registered: left empty", name)
            pieces[index] = b""
        else:
            pieces[index] = fill_in(request, argument).encode()
        pieces[index + 1] = b""
    return b"".join(pieces)
