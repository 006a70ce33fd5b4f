"""The moderation desk: the steps a moderator takes on one comment's page, and on many at
once from the queue. The steps themselves are comments/moderation.py's."""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction

from comments import moderation
from comments.models import Answer, Comment
from core.when import plural

Status = Comment.Status


@dataclass(frozen=True)
class Step:
    """A step a moderator takes: its button, its verb and the status it gives (None for an
    answer sent privately, which changes no status), and what it says when done."""

    label: str
    verb: object = None
    status: str = None
    done: str = ""


# Every step, by the value its button sends as "step"; a comment's page offers them all
# (but the one giving the status it has), the queue the ones that give a status. After one
# of those the moderator goes back to the queue for the next comment.
STEPS = {
    "approve": Step("Approve", moderation.approve, Comment.Status.APPROVED, "approved"),
    "reject": Step("Reject", moderation.reject, Comment.Status.REJECTED, "rejected"),
    "spam": Step("Mark as spam", moderation.mark_spam, Comment.Status.SPAM, "marked as spam"),
    "private": Step("Send privately"),
}
STATUS_STEPS = {name: step for name, step in STEPS.items() if step.status}


def can_moderate(request):
    return request.user.has_perm("comments.moderate_comment")


def publishes_edit(comment, form):
    """Does the page sent publish the moderator's edit of `comment`'s text? With Approve, with
    a reply (which approves it), or with "Publish reply and edit" on an approved comment."""
    if form.edited_text() is None:
        return False
    if form.step == "approve":
        return True
    reply = form.cleaned_data.get("reply", "").strip()
    return not form.step and (bool(reply) or comment.status == Status.APPROVED)


def take_step(request, comment, form):
    """Do what the button pressed on `comment`'s page asks, with what its `form` holds, and
    tell the moderator what happened."""
    step, data = form.step, form.cleaned_data
    reply = data.get("reply", "").strip()
    edited = form.edited_text() if publishes_edit(comment, form) else None
    if (step or reply or edited) and not can_moderate(request):
        raise PermissionDenied
    if not step and not reply and not edited:
        if form.edited_text():
            messages.warning(
                request,
                "Your edit of the text is not saved yet: press Approve to publish the comment "
                "with it.",
            )
        else:
            messages.info(
                request,
                "Nothing was changed: type a reply, or use Approve, Reject, Mark as spam or "
                "Send privately.",
            )
        return
    try:
        with transaction.atomic():
            _carry_out(request, comment, step, data, edited, reply)
    except moderation.Refused as refusal:  # it changed since the page was sent
        messages.error(request, refusal.message)


def _carry_out(request, comment, step, data, edited, reply):
    by = request.user
    if step == "private":
        moderation.reply_privately(
            comment, by=by, body=data["private_reply"],
            then_reject=data.get("then_reject", False), reason=data.get("reason"),
        )  # fmt: skip
        messages.success(request, f"Your answer to {comment.name} is on its way by email.")
        return
    only = Comment.objects.filter(pk=comment.pk)
    if edited:  # published with the moderator's edit
        public = comment.status == Status.APPROVED
        moderation.edit_and_approve(comment, by=by, text=edited)
        if public:
            messages.success(request, "Your edit of the text is published.")
        else:
            messages.success(request, "The comment is approved with your edit.")
    elif step == "reject":
        run(request, only, step, reason=data.get("reason"))
    elif step:
        run(request, only, step)
    if reply:
        comment.refresh_from_db()
        moderation.reply(comment, by=by, body=reply)
        messages.success(request, f"Your reply to {comment.name} is published.")


def goes_back_to_the_queue(request):
    """After the step `request` took on a comment's page, is the next page the queue?"""
    step = request.POST.get("step", "")
    if step == "private":
        return bool(request.POST.get("then_reject"))
    if step in STATUS_STEPS:
        return True
    return bool(request.POST.get("reply", "").strip()) and "_continue" not in request.POST


def what_was_done(form):
    """The admin history's line for a comment's page that was sent: "" if nothing was done."""
    reply = form.cleaned_data.get("reply", "").strip()
    done = [form.step.capitalize()] if form.step else []
    edit_alone = not form.step and not reply and form.edited_text()
    if edit_alone and form.instance.status == Status.APPROVED:
        done.append("Edited the text")
    if reply:
        done.append(f"Replied: {Comment(body=reply).excerpt}")
    return "; ".join(done)


def run(request, queryset, step, **options):
    chosen = STATUS_STEPS[step]
    # The writers' addresses of those the step changes: a reason goes to those who have one.
    addresses = list(queryset.exclude(status=chosen.status).values_list("email", flat=True))
    count = chosen.verb(queryset, by=request.user, **options)
    messages.success(request, done_message(step, count, addresses, reason=options.get("reason")))


def done_message(step, count, addresses=(), *, reason=None):
    """What a moderator is told after `step` changed `count` comments whose writers have
    `addresses`: how many, and who is emailed, as comments/moderation.py does it (a reason
    is emailed to each writer with an address; no reason, no email; spam, never)."""
    chosen = STATUS_STEPS[step]
    if not count:
        return f"Nothing changed: what you chose was already {chosen.done}."
    done = f"{plural(count, 'comment')} {chosen.done}."
    one = count == 1
    if step == "spam":
        return f"{done} {'Its writer is' if one else 'Their writers are'} never told."
    if step != "reject":
        return done
    whose = "Its writer was" if one else "Their writers were"
    if reason is None:
        return f"{done} {whose} not emailed (no reason was given)."
    reachable = sum(1 for address in addresses if address)
    if not reachable:
        return f"{done} {whose} not emailed: there is no email address to write to."
    if reachable >= count:
        told = "Its writer will be emailed" if one else "Their writers will each be emailed"
        return f"{done} {told} the reason “{reason}”."
    unreachable = plural(count - reachable, "comment")
    return (
        f"{done} The reason “{reason}” will be emailed to {plural(reachable, 'writer')}; "
        f"{unreachable} had no email address to write to."
    )


@admin.action(description="Approve selected comments", permissions=["moderate"])
def approve_selected(model_admin, request, queryset):
    run(request, queryset, "approve")


@admin.action(description="Reject selected comments", permissions=["moderate"])
def reject_selected(model_admin, request, queryset):
    run(request, queryset, "reject")


@admin.action(description="Mark selected comments as spam", permissions=["moderate"])
def mark_spam_selected(model_admin, request, queryset):
    run(request, queryset, "spam")


@admin.action(description="Question for staff: needs an answer", permissions=["moderate"])
def mark_needs_answer(model_admin, request, queryset):
    count = moderation.mark_answer(queryset, Answer.NEEDED, by=request.user)
    messages.info(request, f"{plural(count, 'comment')} marked as needing an answer.")


@admin.action(description="Question for staff: answered", permissions=["moderate"])
def mark_answered(model_admin, request, queryset):
    count = moderation.mark_answer(queryset, Answer.GIVEN, by=request.user)
    messages.info(request, f"{plural(count, 'comment')} marked as answered.")


@admin.action(description="Flag as urgent", permissions=["moderate"])
def mark_urgent(model_admin, request, queryset):
    count = moderation.set_urgent(queryset, True, by=request.user)
    messages.info(request, f"{plural(count, 'comment')} flagged as urgent.")


@admin.action(description="Remove the urgent flag", permissions=["moderate"])
def mark_not_urgent(model_admin, request, queryset):
    count = moderation.set_urgent(queryset, False, by=request.user)
    messages.info(request, f"{plural(count, 'comment')} no longer urgent.")


ACTIONS = [
    approve_selected, reject_selected, mark_spam_selected,
    mark_needs_answer, mark_answered, mark_urgent, mark_not_urgent,
]  # fmt: skip
