"""WSGI entry point, used by gunicorn: `gunicorn alsblog.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alsblog.settings")

django_application = get_wsgi_application()

from comments.posting import PostingShare  # noqa: E402 (needs Django set up)

# Comment posts run within a share of each process's threads: readers always find one.
application = PostingShare(django_application)
