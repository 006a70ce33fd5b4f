"""The outbox's part of /health/ (core/health.py): mail waiting, and whether a worker runs."""

from datetime import timedelta

from django.db.models import Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from outbox.models import Email

# A task ready this long and not started means no worker is taking tasks.
WORKER_LATE = timedelta(minutes=2)


def report():
    now = timezone.now()
    waiting = Email.objects.filter(status__in=[Email.Status.QUEUED, Email.Status.RETRYING])
    due = waiting.filter(next_attempt_at__lte=now)
    oldest = due.aggregate(first=Min("next_attempt_at"))["first"]
    ready = DBTaskResult.objects.filter(status="READY")
    late = ready.filter(
        Q(run_after__lte=now - WORKER_LATE)
        | Q(run_after=get_date_max(), enqueued_at__lte=now - WORKER_LATE)
    )
    return {
        "emails_due": due.count(),
        "oldest_due_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "failed_emails": Email.objects.filter(status=Email.Status.FAILED).count(),
        "worker": "late" if late.exists() else "ok",
    }
