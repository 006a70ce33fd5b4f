"""Every change to a comment goes through here (or, to forget what a commenter left, erasing.py).

Nothing a reader writes is public until staff approve it. Submission screens a comment
first (comments/screening.py): some things refuse it outright, others are noted for a
moderator. Emails are queued in the outbox in the same transaction as the change
(outbox/), so a mail failure never loses a comment, and a crash never loses an email.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import publishing
from comments import email_links, notifications, screening, turns
from comments.models import Comment, Event, depth_under
from comments.screening import FIRST_COMMENT, Refused
from core.text import display_name
from outbox import queue as outbox

Status = Comment.Status
Kind = Event.Kind
Via = Event.Via


# One alert to moderators an hour at most, however long a flood lasts.
CEILING_ALERT_SECONDS = 60 * 60


def submit(comment, *, article, form_age=None, honeypot=False, ip_address=None, user_agent=""):
    """Store a reader's unsaved comment as pending (or spam); return it.

    Raises Refused when the comment must not be stored at all.
    """
    comment.article = article
    comment.ip_address = ip_address
    comment.user_agent = (user_agent or "")[:300]
    comment.depth = depth_under(comment.parent)
    try:
        return _store(comment, article=article, form_age=form_age, honeypot=honeypot)
    except Refused as refusal:
        if refusal.status == 429:
            alert_ceiling_reached()
        raise


def _store(comment, *, article, form_age, honeypot):
    reading = None
    if turns.taken():  # posts store one at a time: the text is read before its turn
        reading = screening.read(comment, form_age=form_age, honeypot=honeypot)
    with (
        turns.posts_in_turn(),
        screening.place_under_the_ceiling() as place,
        transaction.atomic(),
    ):
        writer = screening.refuse_floods_and_duplicates(comment, place)
        flagged = screening.screen(
            comment, form_age=form_age, honeypot=honeypot, writer=writer, reading=reading
        )
        if honeypot:
            comment.status = Status.SPAM
        elif (
            settings.COMMENTS_AUTO_APPROVE_KNOWN
            and writer.approved
            and not any(reason != FIRST_COMMENT for reason in comment.held_reasons)
        ):
            comment.status = Status.APPROVED
        else:
            comment.status = Status.PENDING
        # The article and the parent are rows just read: checking they exist costs queries.
        comment.full_clean(exclude=["article", "parent"])
        comment.save()
        if flagged:
            record([comment], Kind.FLAGGED, via=Via.SITE, note=", ".join(comment.flags))
        helping = [c for c in flagged if c.reader_text.strip()]
        if helping:  # the page they land on shows them the help
            headings = [c.reader_heading or c.name for c in helping]
            record([comment], Kind.HELPED, via=Via.SITE, note="; ".join(headings))
        if comment.status == Status.SPAM:
            record([comment], Kind.SPAM, via=Via.SITE, note=comment.held_reasons[0])
        if comment.status == Status.APPROVED:
            record([comment], Kind.APPROVED, via=Via.SITE, note="A known commenter")
            refresh_counts([article.pk])
            if comment.parent_id:
                outbox.enqueue(notifications.replies_published, reply_ids=[comment.pk])
        elif comment.status == Status.PENDING:
            outbox.enqueue(notifications.comment_held, comment_id=comment.pk)
            if comment.notify_replies and helping:
                # The help shown on the page, in the writer's inbox to keep.
                outbox.enqueue(notifications.comment_received, comment_id=comment.pk)
    return comment


def alert_ceiling_reached():
    """Email the moderators, once an hour at most, that new comments are paused."""
    hour = timezone.now().strftime("%Y-%m-%d-%H")
    try:  # an hour from the first alert, whatever the clock says
        first = cache.add("comments:ceiling-alerted", True, CEILING_ALERT_SECONDS)
    except Exception:  # without the cache, the outbox's keys still make it one email
        first = True
    if first:
        with transaction.atomic():
            outbox.enqueue(notifications.ceiling_reached, hour=hour)


def approve(comments, *, by, via=Via.ADMIN):
    """Publish the comments among `comments` that are not yet public; return how many.

    Writers who asked are told their comment is live; writers of the comments the newly
    public ones answer are told of the reply.
    """
    return _moderate(comments, Status.APPROVED, Kind.APPROVED, by=by, via=via)


def reject(comments, *, by, reason=None, via=Via.ADMIN):
    """Reject `comments`. With a `reason`, each writer gets one email with its text."""
    return _moderate(comments, Status.REJECTED, Kind.REJECTED, by=by, via=via, reason=reason)


def mark_spam(comments, *, by, via=Via.ADMIN):
    """Mark `comments` as spam. Their writers are never told."""
    return _moderate(comments, Status.SPAM, Kind.SPAM, by=by, via=via)


def _moderate(comments, status, kind, *, by, via, reason=None):
    with transaction.atomic():
        changing = list(comments.exclude(status=status).only("article", "parent", "status"))
        if not changing:
            return 0
        now = timezone.now()
        ids = [comment.pk for comment in changing]
        Comment.objects.filter(pk__in=ids).update(status=status, moderated_by=by, moderated_at=now)
        record(changing, kind, by=by, via=via, reason=reason, at=now)
        refresh_counts({comment.article_id for comment in changing})
        if status == Status.APPROVED:
            outbox.enqueue(notifications.comments_published, comment_ids=ids)
            replies = [comment.pk for comment in changing if comment.parent_id]
            if replies:
                outbox.enqueue(notifications.replies_published, reply_ids=replies)
        elif status == Status.REJECTED and reason is not None:
            for pk in ids:
                outbox.enqueue(notifications.comment_not_published, comment_id=pk)
    return len(changing)


def record(comments, kind, *, by=None, via=Via.ADMIN, at=None, **details):
    """Add a row to the history of each of `comments`; return the rows."""
    at = at or timezone.now()
    return Event.objects.bulk_create(
        Event(
            comment=comment, comment_number=comment.pk, kind=kind, by=by, via=via, at=at, **details
        )
        for comment in comments
    )


def act_from_email(token):
    """Do what an Approve or Reject link from an email says, once; return (by, comment, act).

    Raises email_links.Unusable when the link has expired, was tampered with or used, the
    comment changed since, or the moderator can no longer moderate.
    """
    with transaction.atomic():
        # The comment is locked before the link is checked: two clicks at once act once.
        Comment.objects.select_for_update().filter(pk=email_links.comment_id(token)).first()
        moderator, comment, act = email_links.read(token)
        do = approve if act == "approve" else reject
        do(Comment.objects.filter(pk=comment.pk), by=moderator, via=Via.EMAIL)
    return moderator, comment, act


def edit_and_approve(comment, *, by, text):
    """Publish `comment` with `text` as what the public reads: a moderator's redaction.

    The writer's own words are kept privately (original_body) until the metadata purge.
    Raises Refused when `text` is empty: remove the comment instead.
    """
    text = text.strip()
    if not text:
        raise Refused(
            "The edited text is empty. Reject the comment instead, or keep some of its words.",
            field="public_text",
        )
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if text != comment.body.strip():
            record([comment], Kind.EDITED, by=by, text_before=comment.body, text_after=text)
            if not comment.edited_by_moderator:
                comment.original_body = comment.body
            comment.body = text
            comment.edited_by_moderator = True
            comment.save(
                update_fields=["body", "body_html", "original_body", "edited_by_moderator"]
            )
        approve(Comment.objects.filter(pk=comment.pk), by=by)
        refresh_counts([comment.article_id])  # an approved comment's text changed too
    return comment


def reply_privately(comment, *, by, body, then_reject=False, reason=None):
    """Answer `comment`'s writer by email, publishing nothing; return the history row.

    The comment stays as it is, or is rejected when `then_reject` (with `reason`, whose
    email is then left out: the private answer says all there is to say).
    """
    body = body.strip()
    if not body:
        raise Refused("Write the answer to send.", field="private_reply")
    if not comment.email:
        raise Refused("This comment has no email address to answer.", field="private_reply")
    with transaction.atomic():
        (event,) = record([comment], Kind.REPLIED_PRIVATELY, by=by, note=body, reason=reason)
        outbox.enqueue(notifications.private_reply, event_id=event.pk)
        # Answered, if it was a question for staff: by email rather than in public.
        Comment.objects.filter(pk=comment.pk).update(answer=Comment.Answer.GIVEN)
        if then_reject:
            reject(Comment.objects.filter(pk=comment.pk), by=by)
    return event


def mark_answer(comments, answer, *, by):
    """Say by hand that `comments` need an answer from staff, or have had one."""
    kind = Kind.NEEDS_ANSWER if answer == Comment.Answer.NEEDED else Kind.ANSWERED
    with transaction.atomic():
        changing = list(comments.exclude(answer=answer).select_related(None).only("pk"))
        Comment.objects.filter(pk__in=[c.pk for c in changing]).update(answer=answer)
        record(changing, kind, by=by)
    return len(changing)


def set_urgent(comments, urgent, *, by):
    """Flag `comments` as urgent (sorted first, with a badge), or take the flag off."""
    kind = Kind.FLAGGED if urgent else Kind.UNFLAGGED
    with transaction.atomic():
        changing = list(comments.exclude(is_urgent=urgent).select_related(None).only("pk"))
        Comment.objects.filter(pk__in=[c.pk for c in changing]).update(is_urgent=urgent)
        record(changing, kind, by=by, note="Urgent")
        if urgent:  # everyone hears of it now, whatever email they chose
            for comment in changing:
                outbox.enqueue(notifications.comment_held, comment_id=comment.pk)
    return len(changing)


def delete(comments, *, by):
    """Delete `comments` (their replies go too); their history keeps a "deleted" row."""
    with transaction.atomic():
        doomed = list(comments.select_related(None).only("pk", "article", "body"))
        record(doomed, Kind.DELETED, by=by, note=_excerpt_of(doomed))
        # Their replies go with them (a cascade): each leaves its own row.
        seen = {comment.pk for comment in doomed}
        frontier, replies = set(seen), []
        while frontier:
            below = list(
                Comment.objects.filter(parent__in=frontier).exclude(pk__in=seen).only("pk")
            )
            replies += below
            frontier = {comment.pk for comment in below}
            seen |= frontier
        record(replies, Kind.DELETED, by=by, note="Deleted with the comment it answered")
        article_ids = {comment.article_id for comment in doomed}
        Comment.objects.filter(pk__in=[comment.pk for comment in doomed]).delete()
        refresh_counts(article_ids)
    return len(doomed)


def _excerpt_of(comments):
    return "" if len(comments) != 1 else comments[0].body[:200]


def reply_problem(parent):
    """Why staff cannot reply under `parent` in public, or "" if they can."""
    if parent.status == Status.REJECTED:
        return "This comment is rejected. Approve it first if you want to answer it in public."
    if parent.status == Status.SPAM:
        return "This comment is marked as spam. Approve it first to answer it in public."
    return ""


def reply(parent, *, by, body):
    """Post `by`'s approved staff reply under `parent`, approving `parent` if it waits.

    Raises Refused for a rejected or spam parent: a reply would publish it.
    """
    problem = reply_problem(parent)
    if problem:
        raise Refused(problem)
    with transaction.atomic():
        if parent.status == Status.PENDING:
            approve(Comment.objects.filter(pk=parent.pk), by=by)
            parent.refresh_from_db()
        name_field = Comment._meta.get_field("name")
        staff_reply = Comment(
            article=parent.article,
            parent=parent,
            depth=depth_under(parent),
            name=display_name(by)[: name_field.max_length],
            email=by.email or settings.DEFAULT_FROM_EMAIL,
            body=body.strip(),
            status=Status.APPROVED,
            is_staff_reply=True,
            staff_author=by,
            moderated_by=by,
            moderated_at=timezone.now(),
        )
        staff_reply.full_clean(exclude=["parent", "email"])
        staff_reply.save()
        record([parent], Kind.REPLIED, by=by, note=staff_reply.body)
        refresh_counts([parent.article_id])
        outbox.enqueue(notifications.replies_published, reply_ids=[staff_reply.pk])
    return staff_reply


def stop_conversation_emails(comment):
    """Stop emails about replies to `comment`; return 1 if they were on, else 0."""
    return Comment.objects.filter(pk=comment.pk, notify_replies=True).update(notify_replies=False)


def stop_reply_emails(email):
    """Turn off reply emails for every comment from `email`; return how many changed."""
    return Comment.objects.filter(email=email.lower(), notify_replies=True).update(
        notify_replies=False
    )


def refresh_counts(article_ids):
    """Store each article's number of approved comments, and mark cached pages stale.

    Every step that changes what the public sees of comments ends here.
    """
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    publishing.set_comment_counts(article_ids, Coalesce(Subquery(approved), Value(0)))
