"""WSGI entry point, used by gunicorn: `gunicorn alsblog.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alsblog.settings")

application = get_wsgi_application()
