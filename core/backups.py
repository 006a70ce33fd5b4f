"""What a backup leaves out, and what a restore tells the apps: hooks for the apps above.

Apps register what is not worth keeping (rebuilt, short-lived, or meaningful only to the
site it came from) with `leave_out_of_backups`, and hear of a finished restore through the
`restored` signal (sent inside the restore's transaction).
"""

from django.dispatch import Signal

restored = Signal()
_left_out = {"contenttypes", "auth.permission", "sessions", "axes"}


def leave_out_of_backups(label):
    """Hook: never back up `label` (an app label, or "app.model")."""
    _left_out.add(label)


def left_out():
    return sorted(_left_out)
