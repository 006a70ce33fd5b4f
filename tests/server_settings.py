"""Production settings for a server a test starts, with static files served unhashed.

The real settings use whitenoise's manifest, which only `collectstatic` writes; a test's
server answers pages, not static files, so plain storage is enough.
"""

from alsblog.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
