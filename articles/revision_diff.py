"""A readable comparison of two texts: paragraphs kept, removed and added, word by word.

A body is compared as its plain-text paragraphs, so a change of markup alone shows as no
change to read.
"""

import difflib
import html as html_entities
import re

from django.utils.html import strip_tags

# Where one paragraph of a body ends and the next begins.
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|pre)>|<br\s*/?>|<hr\s*/?>", re.I)
# A word or a mark of punctuation, with the space before it.
WORDS = re.compile(r"\s*(?:\w+|[^\w\s])")


def paragraphs(text, *, html=False):
    """The non-empty paragraphs of `text` (an article body's HTML if `html`)."""
    if html:
        text = BLOCK_END.sub("\n", text or "")
        text = html_entities.unescape(strip_tags(text))
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def text_changes(before, after, *, html=False):
    """Paragraphs of `after` compared with `before`.

    Each is {"kind": "same" | "removed" | "added" | "changed", "parts": [(op, text)]}, op
    being "same", "removed" or "added"; a changed paragraph has its words compared.
    """
    old, new = paragraphs(before, html=html), paragraphs(after, html=html)
    rows = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows += [{"kind": "same", "parts": [("same", line)]} for line in old[a1:a2]]
            continue
        removed, added = old[a1:a2], new[b1:b2]
        # Paragraphs replaced one for one are compared word by word, if they have enough
        # words in common to read that way; the rest are removed and added whole.
        while removed and added:
            before, after = removed[0], added[0]
            if _alike(before, after):
                rows.append({"kind": "changed", "parts": word_changes(before, after)})
                removed.pop(0), added.pop(0)
                continue
            break
        rows += [{"kind": "removed", "parts": [("removed", line)]} for line in removed]
        rows += [{"kind": "added", "parts": [("added", line)]} for line in added]
    return rows


def _alike(before, after):
    words = [[w.strip().lower() for w in WORDS.findall(text)] for text in (before, after)]
    return difflib.SequenceMatcher(a=words[0], b=words[1], autojunk=False).ratio() >= 0.5


def word_changes(before, after):
    """The words of two versions of a paragraph, as [(op, text)]: kept, removed, added."""
    old, new = WORDS.findall(before), WORDS.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(
        a=[w.strip() for w in old], b=[w.strip() for w in new], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(old[a1:a2])))
            continue
        for kind, words in (("removed", old[a1:a2]), ("added", new[b1:b2])):
            if words:
                text = "".join(words)
                if text[0].isspace():  # the space before a change is not part of it
                    parts.append(("same", " "))
                parts.append((kind, text.strip()))
    return _joined(parts)


def _joined(parts):
    joined = []
    for op, text in parts:
        if joined and joined[-1][0] == op == "same":
            joined[-1] = ("same", joined[-1][1] + text)
        else:
            joined.append((op, text))
    return joined
