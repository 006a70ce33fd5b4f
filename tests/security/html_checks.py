"""Find anything in a page that could run script: the test of "nothing executes"."""

import html
from html.parser import HTMLParser

NEVER = {"iframe", "object", "embed", "base", "svg", "math", "style", "template", "frame"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))
        if tag in ("br", "p"):
            self.text.append("\n")  # a line break is white space to the reader

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def elements(markup):
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.found


def text_of(markup):
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.text).split())


def dangers(markup):
    """Return what in `markup` could run script; an empty list means nothing can."""
    problems = []
    for tag, attributes in elements(markup):
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            problems.append(f"<script {attributes}>")
        if tag in NEVER:
            problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            problems.append("<meta http-equiv>")
        for name, value in attributes.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            cleaned = "".join(html.unescape(value or "").split()).lower()
            if name in URL_ATTRIBUTES and cleaned.startswith(BAD_SCHEMES):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


def between(markup, start, end):
    return markup.split(start, 1)[1].split(end, 1)[0]
