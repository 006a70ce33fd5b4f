"""The worker's tasks that are safe to run twice, for the sweep to resume (outbox/sweep.py).

django-tasks never runs a task again once it failed, and a task whose worker died stays
"running" for good. A task registered here (composing emails, storing a newsletter's,
purging the front cache) is queued afresh by `manage.py sweep_outbox` when that happens.
"""

_resumable = {}


def resumable(task):
    """Register `task` (a django-tasks task, safe to run twice) for the sweep to resume
    when its worker died or it failed."""
    _resumable[task.module_path] = task
    return task


def resumable_tasks():
    """{module path: task} of every task registered as resumable."""
    return dict(_resumable)
