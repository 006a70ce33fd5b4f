"""What a new comment is checked for before it is stored, and what a moderator is told.

Some things refuse it outright (a flood, an exact duplicate, the site-wide ceiling); others
are noted in its held reasons for a moderator to look closely (links, a blocklisted word, a
first comment, a form sent inhumanly fast, the health-sensitive flags, a question). The
verbs in comments/moderation.py store it.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import cache as cache_for_process

from django.conf import settings
from django.db import connection
from django.utils import timezone

from comments import flags, phrases, rules
from comments.models import Comment, PostInFlight
from comments.text import count_links

Status = Comment.Status


class Refused(Exception):
    """The comment was not stored; `message` tells the reader why and what to do.

    `status` is the HTTP status the page that says so answers with.
    """

    def __init__(self, message, field=None, status=200):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


CEILING_REACHED = (
    "So many comments are arriving just now that we have paused new ones for a few "
    "minutes. Please press “Post comment” again in a few minutes: your comment is still here."
)


@dataclass(frozen=True)
class Writer:
    """What a new comment's writer left before, by their email address (staff replies aside)."""

    approved: bool = False  # a comment of theirs was approved: they are "known" (`is_known`)
    earlier: bool = False  # they left any comment before, whatever became of it
    waiting: int = 0  # how many of theirs still wait for review (counted up to WAITING_CAP)


WAITING_CAP = 100  # "100 waiting" says enough; counting further costs every post


@dataclass(frozen=True)
class Reading:
    """What a comment's own text says, whoever wrote it. On SQLite it is read before the
    post's transaction, so that the patterns run while other posts store theirs
    (comments/turns.py)."""

    flagged: list  # the FlagCategory rows it matched, urgent ones first
    is_question: bool
    before: list  # held reasons that come before the writer's (a robot's field, a fast form)
    after: list  # and after it (links, blocklisted words); the flags' reasons come last


def read(comment, *, form_age=None, honeypot=False):
    """Read `comment`'s name and text for everything screen() notes that does not depend on
    what its writer left before; return a Reading."""
    flagged = flags.matching(f"{comment.name}\n{comment.body}")
    before = []
    if honeypot:
        before.append("Filled in the hidden field that only robots see")
    if form_age is not None and form_age < settings.COMMENTS_MIN_SECONDS:
        before.append(f"Sent {form_age:.1f} seconds after the page loaded: too fast for a person")
    after = []
    links = count_links(comment.body) + count_links(comment.name)
    if links > settings.COMMENTS_MAX_LINKS:
        after.append(f"Contains {links} links (more than {settings.COMMENTS_MAX_LINKS})")
    for phrase in blocked_phrases_in(f"{comment.name} {comment.email} {comment.body}"):
        after.append(f"Contains the blocklisted word “{phrase}”")
    return Reading(flagged, flags.asks_a_question(comment.body), before, after)


def screen(comment, *, form_age=None, honeypot=False, writer=None, reading=None):
    """Note in `comment` what a moderator should know; return the flag categories it matched.

    That is its health-sensitive flags (and whether one is urgent), whether it asks a
    question, and every reason to look closely, in held_reasons. `writer` is what its writer
    left before (a Writer), when the caller has already asked; `reading`, what read() found
    in its text with the same form_age and honeypot, when the caller has already read it.
    """
    if reading is None:
        reading = read(comment, form_age=form_age, honeypot=honeypot)
    if writer is None:
        writer = writer_of(comment.email)
    comment.flags = [category.name for category in reading.flagged]
    comment.is_urgent = any(category.is_urgent for category in reading.flagged)
    comment.is_question = reading.is_question
    comment.held_reasons = [
        *_reasons(reading, writer),
        *(flags.reason(category) for category in reading.flagged),
    ]
    return reading.flagged


def _reasons(reading, writer):
    """The held reasons before the flags': the form's, the writer's, then the text's."""
    newcomer = newcomer_reason(writer)
    return [*reading.before, *([newcomer] if newcomer else []), *reading.after]


def refuse_floods_and_duplicates(comment, place=None):
    """Refuse a flood or a duplicate; return what the writer left before (a Writer).

    One query asks all seven questions, each an indexed EXISTS that stops at its first row,
    or a count that stops at a cap: the site-wide ceiling (COMMENTS_MAX_PER_MINUTE), where a
    flood from many addresses at once, which no per-address rule sees, pauses new comments;
    and the writer's comments still waiting, up to WAITING_CAP. With a `place` under the
    ceiling (place_under_the_ceiling, PostgreSQL) the ceiling was counted there, and the place
    is given up here, in the transaction that stores the comment.

    On PostgreSQL, the same statement first takes the locks that let one post at a time from
    the writer's email address, and from their network address, check and store, across
    every app server: two checked at once would each miss the other, and a comment sent
    twice at one instant would be stored twice. It is a function of migration 0013, taking
    the locks email first, so that two posts never wait on each other in a circle. SQLite's
    IMMEDIATE transactions already let one post at a time check and store.
    """
    now = timezone.now()
    ceiling = settings.COMMENTS_MAX_PER_MINUTE if place is None else 0  # 0: no ceiling
    ops = connection.ops
    minute_ago = ops.adapt_datetimefield_value(now - timedelta(minutes=1))
    since = ops.adapt_datetimefield_value(now - timedelta(seconds=settings.COMMENTS_FLOOD_SECONDS))
    address = ops.adapt_ipaddressfield_value(comment.ip_address)
    email = comment.email.strip().lower()  # as Comment.save() stores it
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                CHECK_POST,
                [
                    place,
                    WRITER_LOCK,
                    email,
                    ADDRESS_LOCK,
                    str(comment.ip_address) if comment.ip_address else None,
                    minute_ago,
                    ceiling,
                    email,
                    since,
                    address,
                    comment.article_id,
                    comment.body,
                    Status.APPROVED,
                    Status.PENDING,
                    WAITING_CAP,
                ],
            )
        else:
            cursor.execute(
                _checks_sql(),
                [
                    minute_ago,
                    ceiling,
                    email,
                    since,
                    address,
                    since,
                    email,
                    comment.article_id,
                    comment.body,
                    email,
                    Status.APPROVED,
                    email,
                    email,
                    Status.PENDING,
                    WAITING_CAP,
                ],
            )
        row = cursor.fetchone()
    last_minute, same_email, same_address, duplicate, known, earlier, waiting = row
    if ceiling and last_minute >= ceiling:
        raise Refused(CEILING_REACHED, status=429)
    if duplicate:  # sent twice, say: waiting and sending it again would not help
        raise Refused("You have already posted this comment on this article.", field="body")
    if same_email or same_address:
        raise Refused(
            f"Please wait {settings.COMMENTS_FLOOD_SECONDS} seconds between comments, then "
            "press “Post comment” again. Your comment is still here."
        )
    return Writer(approved=bool(known), earlier=bool(earlier), waiting=waiting)


# The keys of PostgreSQL's locks that comment posts take, on every app server (any numbers;
# the same everywhere): one for a place under the ceiling, and one for each writer's email
# address and network address, held from the checks to the end of the post's transaction.
CEILING_LOCK = 4_170_001
WRITER_LOCK = 4_170_002
ADDRESS_LOCK = 4_170_003
# A place left by a process that stopped mid-post counts for a minute, and goes after this.
STALE_PLACE = timedelta(minutes=10)
# The post's place given up, the writer's locks and the seven questions (migration 0013).
CHECK_POST = f"SELECT * FROM alsblog_check_post({', '.join(['%s'] * 15)})"


@contextmanager
def place_under_the_ceiling():
    """Take a place under the site-wide ceiling for a post, across every app server; yield
    its id (None where no place is needed), or refuse the post when the ceiling is reached.

    On PostgreSQL the ceiling is counted, and the place taken, in a statement of its own (a
    function of migration 0012), one post at a time: comments stored in the last minute,
    plus posts that hold a place and are not yet stored. Each post's own checks and insert
    then run beside the others', so that posts from different readers never wait on each
    other. A post that is not stored gives its place back. SQLite's transactions (IMMEDIATE,
    settings.py) already let one post at a time count and store, so the ceiling is counted
    there with the other checks.
    """
    ceiling = settings.COMMENTS_MAX_PER_MINUTE
    if not ceiling or connection.vendor != "postgresql":
        yield None
        return
    now = timezone.now()
    # A place lost in a crash only counts a minute too long: its transaction need not wait
    # for the disk, unless it is part of a larger one, which must.
    wait_for_disk = connection.in_atomic_block or not connection.get_autocommit()
    params = [CEILING_LOCK, ceiling, now, now - timedelta(minutes=1), now - STALE_PLACE]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT alsblog_take_place(%s, %s, %s, %s, %s, %s)", [*params, wait_for_disk]
        )
        row = cursor.fetchone()
    if row[0] is None:
        raise Refused(CEILING_REACHED, status=429)
    place = row[0]
    try:
        yield place
    except BaseException:
        PostInFlight.objects.filter(pk=place).delete()
        raise


@cache_for_process
def _checks_sql():
    """The seven questions of refuse_floods_and_duplicates, as plain SQL, on SQLite (the
    same as PostgreSQL's function asks, migration 0013): it runs for every comment posted,
    where building them with the ORM would cost more than answering them."""
    table = connection.ops.quote_name(Comment._meta.db_table)

    def column(name):
        return connection.ops.quote_name(Comment._meta.get_field(name).column)

    created, email = column("created_at"), column("email")
    writers = f"{email} = %s AND NOT {column('is_staff_reply')}"  # a reader's own comments
    return (
        f"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {created} >= %s "
        f"AND NOT {column('is_staff_reply')} LIMIT %s) AS recent), "
        f"EXISTS (SELECT 1 FROM {table} WHERE {email} = %s AND {created} >= %s), "
        f"EXISTS (SELECT 1 FROM {table} WHERE {column('ip_address')} = %s AND {created} >= %s), "
        f"EXISTS (SELECT 1 FROM {table} WHERE {email} = %s AND {column('article')} = %s "
        f"AND {column('body')} = %s), "
        f"EXISTS (SELECT 1 FROM {table} WHERE {writers} AND {column('status')} = %s), "
        f"EXISTS (SELECT 1 FROM {table} WHERE {writers}), "
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {writers} "
        f"AND {column('status')} = %s LIMIT %s) AS waiting)"
    )


FIRST_COMMENT = "First comment from this email address"
NONE_APPROVED = "No approved comment yet from this email address"


def newcomer_reason(writer):
    """Why a writer with no approved comment is held, true to what they left before: their
    first comment, or none approved yet ("2 earlier ones waiting", "earlier ones not
    published"). None for a known writer."""
    if writer.approved:
        return None
    if not writer.earlier:
        return FIRST_COMMENT
    if writer.waiting:
        count = f"{writer.waiting}{'+' if writer.waiting >= WAITING_CAP else ''}"
        ones = "one" if writer.waiting == 1 else "ones"
        return f"{NONE_APPROVED} ({count} earlier {ones} waiting for review)"
    return f"{NONE_APPROVED} (earlier ones were not published)"


def held_reasons(comment, *, form_age=None, honeypot=False, writer=None):
    """Return why a moderator should look closely at `comment`, in words they can read (its
    flags aside)."""
    reading = read(comment, form_age=form_age, honeypot=honeypot)
    if writer is None:
        writer = writer_of(comment.email)
    return _reasons(reading, writer)


def is_known(email):
    """Has someone with this email address had a comment approved before?"""
    return _comments_from(email).filter(status=Status.APPROVED).exists()


def writer_of(email):
    """What the writer at `email` left before (a Writer), for callers that did not ask with
    refuse_floods_and_duplicates: the demo's comments, say."""
    theirs = _comments_from(email)
    waiting = theirs.filter(status=Status.PENDING)[:WAITING_CAP].count()
    return Writer(approved=is_known(email), earlier=theirs.exists(), waiting=waiting)


def _comments_from(email):
    return Comment.objects.filter(email=email.lower(), is_staff_reply=False)


def blocked_phrases_in(text):
    text = phrases.normalise(text)
    return [phrase for phrase in rules.blocked_phrases() if phrases.contains(phrase, text)]
