"""Health-sensitive flags: which FlagCategory lists a comment's text matches.

Staff edit the lists in the admin (seeded by migration 0005). Phrases match as whole words
ignoring case, with plain escaped patterns, so they run in linear time. Patterns are regular
expressions from staff: they are checked when saved (FlagCategory.clean) and matched with a
time limit (the `regex` package's timeout), so a slow pattern cannot hang a request. A
pattern that runs out of time counts as a match: the comment is held for a person to read,
and the log says which pattern to fix.
"""

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
    return text.translate(_QUOTES).lower()


def compile_pattern(pattern):
    """Compile a staff pattern; raise ValidationError with a message saying what is wrong."""
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as error:
        raise ValidationError(f"“{pattern}” is not a valid regular expression: {error}.") from None


def phrase_in(phrase, text):
    return re.search(rf"(?<!\w){re.escape(normalise(phrase))}(?!\w)", text) is not None


def pattern_in(pattern, text):
    try:
        return compile_pattern(pattern).search(text, timeout=PATTERN_SECONDS) is not None
    except TimeoutError:
        log.warning("Flag pattern %r took too long on a comment; treated as a match", pattern)
        return True
    except ValidationError:
        log.warning("Flag pattern %r is not a valid regular expression; skipped", pattern)
        return False


def matches(category, text):
    """Does `text` (already normalised) match `category`'s phrases or patterns?"""
    return any(phrase_in(phrase, text) for phrase in category.phrase_list()) or any(
        pattern_in(pattern, text) for pattern in category.pattern_list()
    )


def matching(text, categories=None):
    """The active FlagCategory rows whose lists match `text`, urgent ones first."""
    from comments import rules

    if categories is None:
        categories = rules.flag_categories()
    text = normalise(text)
    return [category for category in categories if matches(category, text)]


def reason(category):
    """The held reason a match adds, in words a moderator reads in the queue."""
    if category.is_urgent:
        return f"Urgent, health-sensitive: {category.name}"
    return f"Health-sensitive: {category.name}"


# A question: a question mark, or a sentence that opens as questions do: a question word
# ("How…", "Where…", but not "What a wonderful…"), or a verb before its subject ("Can I…",
# "Is there…", "Does anyone…"; not "Can't thank you enough" or "Will be following").
_SENTENCE_START = r"(?:^|[.!\n]\s*)"
_SUBJECT = (
    r"(?:i|you|we|they|he|she|it|anyone|anybody|someone|somebody|there|this|that|my|your|"
    r"our|the|a|an|people|patients)"
)
_QUESTION = re.compile(
    rf"\?|{_SENTENCE_START}(?:(?:how|where|when|why|who|which|whose)\b(?!\s+a\b)|"
    rf"what\b(?!\s+(?:a|an)\b)|"
    rf"(?:can|could|is|are|does|do|did|should|would|will|has|have|may|might)(?!['’])\s+{_SUBJECT}\b)",
    re.IGNORECASE,
)


def asks_a_question(text):
    return _QUESTION.search(text.translate(_QUOTES)) is not None
