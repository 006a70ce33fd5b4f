"""What the privacy page says the site stores about readers, and for how long.

Hook: each app that stores something about readers says so here, from the settings and
constants its own code obeys, so the privacy page cannot drift from what the code does.
Register a source once, in an AppConfig.ready(): `register(source)`, where `source()`
returns a `Section`. The emails and cookies this app can see for itself are its own.
"""

from dataclasses import dataclass, field

from django.conf import settings

from outbox.delivery import GIVE_UP_AFTER


@dataclass(frozen=True)
class Section:
    """A heading ("If you comment") and what is kept, one plain sentence an item."""

    heading: str
    items: list = field(default_factory=list)
    position: int = 50


_sources = []


def register(source):
    if source not in _sources:
        _sources.append(source)


def sections():
    """Every app's section, in their positions, and then this app's own."""
    found = [source() for source in _sources] + [_emails(), _cookies()]
    return sorted(found, key=lambda section: section.position)


def _emails():
    return Section(
        "Emails we send you",
        [
            "A copy of each email the site sends you (its subject and text, and when it was "
            "sent) is kept as a record of what you were sent, until you ask us to erase "
            "what we hold about you.",
            "An email that cannot be delivered at once is tried again for up to "
            f"{days(GIVE_UP_AFTER.days)}, then given up.",
        ],
        position=80,
    )


def _cookies():
    return Section(
        "Cookies and visits",
        [
            "Pages load nothing from other sites: no advertising, no analytics, no tracking "
            "pixels and no outside fonts.",
            f"A page with a form sets a cookie ({settings.CSRF_COOKIE_NAME}) that stops "
            "other sites from sending the form in your name; it holds a random code and "
            f"nothing about you, and your browser keeps it for "
            f"{days(settings.CSRF_COOKIE_AGE // (24 * 60 * 60))}.",
        ],
        position=90,
    )


def days(count):
    """“1 day”, “90 days”."""
    return f"{count} day" if count == 1 else f"{count} days"
