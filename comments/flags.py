"""Health-sensitive flags: which FlagCategory lists a comment's text matches, and questions.

Staff edit the lists in the admin (seeded by migration 0005); they are matched with the one
phrase matcher (comments/phrases.py).
"""

import re

from comments import phrases, rules


def matches(category, text):
    """Does `text` (already normalised) match `category`'s phrases or patterns?"""
    return any(phrases.contains(phrase, text) for phrase in category.phrase_list()) or any(
        phrases.pattern_matches(pattern, text) for pattern in category.pattern_list()
    )


def matching(text, categories=None):
    """The active FlagCategory rows whose lists match `text`, urgent ones first."""
    if categories is None:
        categories = rules.flag_categories()
    text = phrases.normalise(text)
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
    return _QUESTION.search(phrases.straight_quotes(text)) is not None
