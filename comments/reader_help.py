"""Help for the writer of a held comment, shown the moment they post it.

A flag category (comments/models.py, FlagCategory) may carry words written for the reader
whose comment it holds: the distress category's tell them how to reach someone now. Staff
write them as plain text with three small conventions, which the admin explains beside the
field and shows as a preview:

- a blank line starts a new paragraph; lines that start with "- " make a list;
- [words](address) is a link, to a web page (https://), a phone number to call (tel:), to
  text (sms:) or an email address (mailto:);
- {helpline} is the charity's helpline from the site details, a number to call with its
  opening hours. A line that holds it is left out while the site details have no helpline.

The same words go into the page (as HTML, every character escaped but the links made here)
and into the email acknowledging the comment (as plain text, each address written out).
One reading of them serves the check made when staff save them, the page and the email, so
what the admin accepts is what readers get.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# A link as [words](address). An address may hold one level of brackets (a web page named
# "ALS_(disease)") and, for a phone number, spaces ("tel:+1 617 555 0142").
_ADDRESS = r"(?:[^()\n]|\([^()\n]*\))+"
_TOKEN = re.compile(
    rf"\[(?P<words>[^\[\]\n]+)\]\((?P<address>{_ADDRESS})\)|\{{(?P<name>[^{{}}\n]*)\}}"
)
# What is left of a link that does not read as one: "](", or "] (" before an address.
_BROKEN_LINK = re.compile(r"\]\s*\(")
PLACEHOLDERS = {"helpline"}
PHONE_SCHEMES = ("tel:", "sms:")
SCHEMES = ("https://", "mailto:", *PHONE_SCHEMES)
BULLET = re.compile(r"^[-*]\s+")


@dataclass(frozen=True)
class Help:
    """What one category tells the writer: a heading, the words as HTML and as text."""

    heading: str
    html: str
    text: str


def problems(text):
    """What is wrong with reader text `text`, in sentences for the admin; [] if nothing."""
    found, rest = [], text
    for match in _TOKEN.finditer(text):
        rest = rest.replace(match.group(0), " ", 1)
        if match.group("words") is not None:
            problem = _address_problem(match.group("address").strip())
            if problem:
                found.append(problem)
        elif match.group("name").strip() not in PLACEHOLDERS:
            found.append(
                f"“{match.group(0)}” is not something the site can fill in: the one it knows "
                "is {helpline}."
            )
    if _BROKEN_LINK.search(rest):
        found.append(
            "A link is not written as [words](address): put the words in square brackets and "
            "the address straight after them in round brackets, with no space between."
        )
    return found


def validate(text):
    found = problems(text)
    if found:
        raise ValidationError(found)


def render(heading, text, details):
    """Help with `heading` and `text`, the helpline filled in from site `details`."""
    blocks = _blocks(_lines_with_helpline(text, details))
    return Help(
        heading=heading,
        html=mark_safe("".join(_html_block(kind, lines, details) for kind, lines in blocks)),
        text="\n\n".join(_text_block(kind, lines, details) for kind, lines in blocks),
    )


def for_flags(flag_names, categories, details):
    """The Help of each category among `categories` named in `flag_names` that has words
    for the reader, in the categories' order (urgent first)."""
    named = set(flag_names)
    return [
        render(category.reader_heading, category.reader_text, details)
        for category in categories
        if category.name in named and category.reader_text.strip()
    ]


def for_staff(categories, details):
    """[(category, Help)]: each of `categories`' guidance for moderators, written as the
    writer's help is ({helpline} filled in from site `details`, its lines kept as lines)."""
    return [
        (category, render(category.name, category.guidance, details)) for category in categories
    ]


def _address_problem(address):
    lowered = address.lower()
    if not lowered.startswith(SCHEMES):
        return (
            f"“{address}” is not an address a reader can open: start it with https:// (a web "
            "page), tel: (a number to call), sms: (a number to text) or mailto: (an email "
            "address)."
        )
    _scheme, _, rest = address.partition(":")
    if lowered.startswith(PHONE_SCHEMES):
        if not _digits(rest) or re.search(r"[^\d\s+().-]", rest):
            return f"“{address}” is not a phone number: write it in digits, e.g. tel:988."
    elif not rest.strip("/") or re.search(r"\s", address):
        return f"“{address}” is not a whole address, or has a space in it."
    return ""


def _href(address):
    """The link's address as the page writes it, or None for one that is not allowed. A
    phone number loses its spaces and brackets, so that phones dial it."""
    if _address_problem(address):
        return None
    scheme, _, rest = address.partition(":")
    if address.lower().startswith(PHONE_SCHEMES):
        return f"{scheme.lower()}:{re.sub(r'[^0-9+]', '', rest)}"
    return address


def _lines_with_helpline(text, details):
    lines = text.replace("\r\n", "\n").split("\n")
    if getattr(details, "helpline", ""):
        return lines
    return [line for line in lines if "{helpline}" not in line.replace(" ", "")]


def _blocks(lines):
    """[(kind, lines)]: kind is "p" for a paragraph or "ul" for a list, in order."""
    blocks = []
    for line in lines:
        line = line.strip()
        if not line:
            blocks.append(None)  # a break between blocks
            continue
        kind = "ul" if BULLET.match(line) else "p"
        last = blocks[-1] if blocks else None
        if last is not None and last[0] == kind:
            last[1].append(BULLET.sub("", line))
        else:
            blocks.append((kind, [BULLET.sub("", line)]))
    return [block for block in blocks if block is not None]


def _html_block(kind, lines, details):
    if kind == "ul":
        items = "".join(f"<li>{_html_line(line, details)}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    return "<p>" + "<br>".join(_html_line(line, details) for line in lines) + "</p>"


def _html_line(line, details):
    """One line as HTML: escaped, with its links and the helpline made here."""
    out, at = [], 0
    for match in _TOKEN.finditer(line):
        out.append(escape(line[at : match.start()]))
        out.append(_html_token(match, details))
        at = match.end()
    out.append(escape(line[at:]))
    return "".join(out)


def _html_token(match, details):
    if match.group("words") is not None:
        address = _href(match.group("address").strip())
        if address is None:
            return escape(match.group(0))
        if address.startswith("https://"):
            return format_html('<a href="{}" rel="noopener">{}</a>', address, match.group("words"))
        return format_html('<a href="{}">{}</a>', address, match.group("words"))
    if match.group("name").strip() == "helpline":
        link = format_html('<a href="{}">{}</a>', details.helpline_link, details.helpline)
        if details.helpline_hours:
            return format_html("{} ({})", link, details.helpline_hours)
        return link
    return escape(match.group(0))


def _text_block(kind, lines, details):
    if kind == "ul":
        return "\n".join(f"- {_text_line(line, details)}" for line in lines)
    return "\n".join(_text_line(line, details) for line in lines)


def _text_line(line, details):
    """One line as plain text: each link's words, with its address when they lack it.

    Links side by side, which the page shows as a row of buttons, are listed with commas.
    """
    out, at = [], 0
    for match in _TOKEN.finditer(line):
        between = line[at : match.start()]
        out.append(", " if at and between.isspace() else between)
        out.append(_text_token(match, details))
        at = match.end()
    out.append(line[at:])
    return "".join(out)


def _text_token(match, details):
    if match.group("words") is not None:
        typed = match.group("address").strip()
        words, address = match.group("words"), _href(typed)
        if address is None:
            return match.group(0)
        scheme, _, rest = address.partition(":")
        if scheme in ("tel", "sms"):
            number = typed.partition(":")[2].strip()
            return words if _digits(rest) in _digits(words) else f"{words} ({number})"
        if scheme == "mailto":
            return words if rest in words else f"{words} ({rest})"
        return words if address in words else f"{words} ({address})"
    if match.group("name").strip() == "helpline":
        hours = f" ({details.helpline_hours})" if details.helpline_hours else ""
        return f"{details.helpline}{hours}"
    return match.group(0)


def _digits(text):
    return re.sub(r"\D", "", text)
