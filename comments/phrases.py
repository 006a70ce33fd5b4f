"""The one phrase matcher: staff's words and patterns found in what readers write.

Both the blocklist and the health-sensitive flags use it, so both see a phone's curly
apostrophe as the plain one ("can’t" matches "can't"). Phrases match as whole words,
ignoring case, with plain escaped patterns, so they run in linear time. Patterns are
regular expressions from staff: checked when saved, and matched with a time limit (the
`regex` package's timeout), so a slow pattern cannot hang a request. A pattern that runs out
of time counts as a match: the comment is held for a person to read, and the log says which
pattern to fix.
"""

import functools
import logging
import re

import regex
from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

# Time a single pattern may take on one comment (at most 5,000 characters of text).
PATTERN_SECONDS = 0.05
# Curly quotes and apostrophes as phones type them, folded so "can’t" matches "can't".
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text):
    """`text` as phrases are matched against it: lowercase, with straight quotes."""
    return text.translate(_QUOTES).lower()


def straight_quotes(text):
    return text.translate(_QUOTES)


def contains(phrase, text):
    """Is `phrase` in `text` (already normalised) as whole words?"""
    return _whole_words(phrase).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _whole_words(phrase):
    """`phrase` as a compiled pattern, kept: every comment posted is read for each phrase."""
    return re.compile(rf"(?<!\w){re.escape(normalise(phrase))}(?!\w)")


def compile_pattern(pattern):
    """Compile a staff pattern; raise ValidationError with a message saying what is wrong."""
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as error:
        raise ValidationError(f"“{pattern}” is not a valid regular expression: {error}.") from None


def pattern_matches(pattern, text):
    """Does staff's `pattern` match `text`? Too slow counts as yes; invalid, as no."""
    try:
        return compile_pattern(pattern).search(text, timeout=PATTERN_SECONDS) is not None
    except TimeoutError:
        log.warning("Flag pattern %r took too long on a comment; treated as a match", pattern)
        return True
    except ValidationError:
        log.warning("Flag pattern %r is not a valid regular expression; skipped", pattern)
        return False
