from functools import lru_cache

from django.contrib import messages
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.views import article_page
from comments import email_links, moderation, posting
from comments.forms import CommentForm
from comments.models import Comment
from comments.notifications import comment_for_token
from comments.threads import address_of, page_number_of
from comments.visitor import forget_on_device, own_ids, remember_on_device, remember_own
from core import clock, unavailable
from core.client_ip import client_ip
from core.origins import same_site_forms

# What posting reads of the article; a page shown again (a form to correct) reads it whole.
POSTING_FIELDS = ("id", "slug", "comments_open")
SLUG = "\x00slug"  # stands for the slug in the query compiled once, below


@same_site_forms  # the form is in pages everyone shares: no per-visitor token
@require_http_methods(["GET", "HEAD", "POST"])
def post_comment(request, slug):
    article = article_to_post_on(slug)
    if request.method != "POST":
        # A reload, or a link followed from the page shown after a form error.
        return redirect(f"{article.get_absolute_url()}#comment-form")
    form = CommentForm(request.POST, article=article)
    if not article.comments_open:
        # Closed while the reader wrote: the page says so and shows their text to copy.
        return article_page(request, whole(article), comment_form=form)
    if form.is_valid():
        try:
            comment = moderation.submit(
                form.save(commit=False),
                article=article,
                form_age=form.form_age,
                honeypot=form.honeypot_filled,
                ip_address=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
            )
        except moderation.Refused as refusal:
            if refusal.status == 429:
                # Past the site-wide ceiling, most likely a flood: this process turns new
                # comments away for a moment, and answers with the short page, not the
                # whole article, with the text to copy.
                posting.pause()
                return unavailable.response(request, paused=True)
            form.add_error(refusal.field, refusal.message)
        else:
            if comment.status == Comment.Status.APPROVED:  # a known commenter, trusted
                notice = "Thanks, your comment is published."
            else:
                notice = (
                    "Thanks, your comment is awaiting moderation. Only you can see it until a "
                    "moderator approves it."
                )
            messages.success(request, notice, extra_tags="comment-notice")
            # Its permalink finds the page that shows it: the posting itself reads no page.
            response = redirect(comment.get_absolute_url())
            remember_own(request, response, comment)
            if form.cleaned_data["remember"]:
                remember_on_device(response, comment)
            else:
                forget_on_device(request, response)
            return response
    form.prepare_for_retry()
    # A reply comes back on the page of the conversation it answers.
    number = page_number_of(form.reply_to) if form.reply_to else None
    return article_page(request, whole(article), comment_form=form, comment_page_number=number)


def article_to_post_on(slug):
    """The public article at `slug`, with POSTING_FIELDS alone, or 404.

    The ORM's own query, compiled once per process (and per time the site's clock is set
    to, for tests that travel in time): it runs for every comment posted, where building it
    cost three times what asking the database does."""
    sql, params, at = _compiled_posting_read(clock.OFFSET)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params[:at], slug, *params[at + 1 :]))
        row = cursor.fetchone()
    if row is None:
        raise Http404("No article here.")
    return Article.from_db(connection.alias, POSTING_FIELDS, row)


@lru_cache(maxsize=4)
def _compiled_posting_read(offset):
    """The SQL and parameters of the read, and where the slug goes in them (`offset`, the
    clock's, is what published() compares with: a new one compiles anew)."""
    query = Article.objects.published().only(*POSTING_FIELDS).filter(slug=SLUG).order_by()
    sql, params = query[:1].query.sql_with_params()
    return sql, params, params.index(SLUG)


def whole(article):
    """`article` with every field, for its page (posting read only POSTING_FIELDS).

    Still public: one withdrawn while the reader wrote is shown to nobody, not even as it was
    (the page would say "preview" of what its editors took down)."""
    return get_object_or_404(Article.objects.published(), pk=article.pk)


@require_http_methods(["GET", "HEAD"])
def permalink(request, pk):
    """A comment's lasting address: it leads to the page of the article that shows it.

    Pages of a conversation shift as comments arrive, so emails and the admin link here
    rather than to a page. Only comments the visitor may read are found: approved ones,
    their own that wait for a moderator, and any for a moderator (in the admin).
    """
    comment = Comment.objects.filter(pk=pk).select_related("article").first()
    if comment is None or not comment.article.is_public:
        raise Http404("No comment here.")
    waiting = comment.status in (Comment.Status.PENDING, Comment.Status.SPAM)
    if comment.status == Comment.Status.APPROVED or (waiting and comment.pk in own_ids(request)):
        return redirect(address_of(comment))
    if request.user.has_perm("comments.moderate_comment"):
        return redirect(comment.get_admin_url())
    # Not (or no longer) public: the conversation it was part of, without it.
    return redirect(f"{comment.article.get_absolute_url()}#comments")


@csrf_exempt  # the signed token is the authority; a mail program's POST carries nothing else
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The unsubscribe link of a reply email, and its one-click POST (RFC 8058).

    A POST stops emails about that one conversation (the mail program's one click sends
    `List-Unsubscribe=One-Click`), or every reply email to the address when the reader
    chooses it on the page. Opening the link changes nothing, since mail scanners open
    links too.
    """
    comment_id = comment_for_token(token)
    comment = Comment.objects.filter(pk=comment_id).select_related("article").first()
    if comment is None:
        raise Http404("This unsubscribe link is not valid.")
    stopped = None
    if request.method == "POST":
        if request.POST.get("stop") == "all":
            moderation.stop_reply_emails(comment.email)
            stopped = "all"
        else:
            moderation.stop_conversation_emails(comment)
            stopped = "conversation"
    context = {"comment": comment, "stopped": stopped}
    return render(request, "comments/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def email_link(request, token):
    """An Approve or Reject link from a moderator's email: a page with one button.

    Opening the link shows the comment and the button, and changes nothing (mail
    scanners open links). Pressing the button does the act, as the moderator the email
    went to, without logging in: the signed link is the authority for this one act.
    """
    context = {"done": False}
    try:
        if request.method == "POST":
            moderator, comment, act = moderation.act_from_email(token)
            context["done"] = True
        else:
            moderator, comment, act = email_links.read(token)
    except email_links.Unusable as problem:
        context.update(problem=problem.message, comment=problem.comment)
        return render(request, "comments/email_link.html", context, status=410)
    label = email_links.ACTS[act][0]
    context.update(comment=comment, act=act, label=label, moderator=moderator)
    return render(request, "comments/email_link.html", context)
