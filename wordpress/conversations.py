"""The export's comments: stored under their articles, threads and staff replies kept,
without the comment rules or the mail queue (they were moderated in WordPress)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from comments.models import Comment, depth_under
from comments.text import render_comment_body
from wordpress import bodies
from wordpress.models import Imported
from wordpress.wxr import parse_date

Kind = Imported.Kind
HELD = "Imported: it was waiting for review in WordPress"
NAME_LENGTH = Comment._meta.get_field("name").max_length
EMAIL_LENGTH = Comment._meta.get_field("email").max_length
COMMENT_LIMIT = Comment._meta.get_field("body").max_length


class Conversations:
    """The comments of one import, post by post."""

    def __init__(self, report, staff_ids):
        self.report = report
        self.staff_ids = staff_ids  # WordPress user id -> User
        self.site = ""
        self.articles_with_comments = []

    def store(self, item, article):
        """Store `item`'s comments under `article`, a level of the threads at a time."""
        known = dict(
            Imported.objects.filter(
                site=self.site, kind=Kind.COMMENT, wordpress_id__in=[c.id for c in item.comments]
            ).values_list("wordpress_id", "object_id")
        )
        existing = Comment.objects.in_bulk(list(known.values()))
        gone = {wp_id for wp_id, pk in known.items() if pk not in existing}
        by_id = {c.id: c for c in item.comments}
        levels = {}
        for wp in item.comments:
            what = f"comment {wp.id} on “{item.title}”"
            if wp.type in ("pingback", "trackback"):
                self.report.skip(what, f"a {wp.type}")
            elif wp.type not in ("comment", ""):
                continue  # WordPress's own notes (type "note" and the like): never imported
            elif wp.approved in ("spam", "trash"):
                self.report.skip(what, "spam" if wp.approved == "spam" else "in the trash")
            elif wp.id in gone:
                self.report.skip(what, "deleted here since it was imported")
            else:
                levels.setdefault(_depth(wp, by_id), []).append(wp)
        made = {}
        for depth in sorted(levels):  # parents before their replies
            new, changed = [], []
            for wp in levels[depth]:
                what = f"comment {wp.id} on “{item.title}”"
                if wp.parent and wp.parent not in made:
                    self.report.skip(what, "it answers a comment that was not imported")
                    continue
                comment = existing.get(known.get(wp.id))
                if comment is not None and touched_here(comment):
                    made[wp.id] = comment  # moderated, edited or erased here: left as it is
                    continue
                comment = comment or Comment(article=article)
                self._fill(comment, wp, made.get(wp.parent), what)
                (changed if comment.pk else new).append((wp, comment))
                made[wp.id] = comment
            Comment.objects.bulk_create([comment for _, comment in new])
            for _, comment in changed:
                comment.save()
            Imported.objects.bulk_create(
                Imported(site=self.site, kind=Kind.COMMENT, wordpress_id=wp.id, object_id=c.pk)
                for wp, c in new
            )
            self.report.counts["updated"] += len(changed)
        self.articles_with_comments.append(article.pk)

    def _fill(self, comment, wp, parent, what):
        staff = self.staff_ids.get(wp.user_id) if wp.user_id else None
        comment.parent = parent
        comment.depth = depth_under(parent)
        comment.thread_id = None if parent is None else parent.thread_id or parent.pk
        comment.name = (wp.author or "Anonymous")[:NAME_LENGTH]
        comment.email = (wp.email or (staff.email if staff else "")).strip().lower()[:EMAIL_LENGTH]
        comment.body = bodies.comment_text(wp.content)
        comment.body_html = render_comment_body(comment.body)  # as Comment.save would
        comment.created_at = parse_date(wp.date_gmt) or timezone.now()
        # Kept, like any comment's, only for the keeping period: most imported ones are older.
        kept_since = timezone.now() - timedelta(days=settings.COMMENTS_KEEP_METADATA_DAYS)
        comment.ip_address = (wp.ip or None) if comment.created_at >= kept_since else None
        comment.is_staff_reply = staff is not None
        comment.staff_author = staff
        if staff is not None:
            comment.name = (staff.get_full_name() or comment.name)[:NAME_LENGTH]
        if wp.approved == "1":
            comment.status = Comment.Status.APPROVED
            comment.held_reasons = []
            self.report.counts["staff reply" if staff else "comment approved"] += 1
        else:
            comment.status = Comment.Status.PENDING
            comment.held_reasons = [HELD]
            self.report.counts["comment pending"] += 1
        if len(comment.body) > COMMENT_LIMIT:
            self.report.todo.append(
                f"{what} is {len(comment.body):,} characters, longer than the form allows "
                f"({COMMENT_LIMIT:,}); it was kept whole."
            )


def touched_here(comment):
    """Has staff acted on this imported comment here (or erased its writer's details)?
    Importing again must not undo that: a spam decision, a redaction, an erasure."""
    return bool(comment.moderated_at or comment.edited_by_moderator or not comment.email)


def _depth(comment, by_id, limit=50):
    depth = 0
    while comment.parent and comment.parent in by_id and depth < limit:
        comment = by_id[comment.parent]
        depth += 1
    return depth
