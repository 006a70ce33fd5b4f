"""Settings for alsblog: one module, configured by the environment.

Development defaults apply only when DEBUG is set; production changes nothing here, only
the environment (docs/operators.md, "Configuration").
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The SECRET_KEY environment variable is not set. Set it to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "development-only-key-never-used-when-DEBUG-is-off"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "ALS Research News")
SITE_TAGLINE = "Research, treatments and stories from the ALS community"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "core.apps.LoginAttemptsConfig",  # django-axes, named for staff
    "django_tasks",
    "django_tasks_db",
    # Our apps, bottom first: each may use only those before it in this list
    # (docs/developers.md, "The code map"; `make lint` checks it).
    "core",
    "pagecache",
    "outbox",
    "articles",
    "pages",
    "subscriptions",
    "comments",
    "wordpress",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Whatever says nothing of caching is no shared cache's to keep (core/middleware.py).
    "core.middleware.PrivateUnlessSaidMiddleware",
    # Before the page cache, so that pages it answers carry these headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.DropNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old WordPress addresses (after an import): a redirect when nothing here answers.
    "wordpress.middleware.OldLinksMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Answers most readers from the cache before sessions are looked at; after the CSRF
    # middleware, which sets the cookie the page's form token belongs to.
    "pagecache.serving.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In the admin only, each member of staff's own time zone (public pages keep the site's).
    "core.middleware.StaffTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as its documentation asks: it refuses logins that are locked out.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failed logins first
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "alsblog.urls"
WSGI_APPLICATION = "alsblog.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "articles.context_processors.navigation",
                "pages.context_processors.site_details",
            ],
        },
    },
]

# SQLite locally; DATABASE_URL=postgres://user:pass@host/name when deployed.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that hangs (a network partition, a frozen failover) must fail fast, so
    # that readers get the page cache's copies (pagecache/serving.py) rather than wait.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE transactions take the write
    # lock up front, so concurrent writers wait (up to the timeout) instead of failing with
    # "database is locked" halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's, with a backoff after a failure (core/redis_cache.py).
            "BACKEND": "core.redis_cache.BackingOffRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "alsblog",
            # A Redis that is down or hangs must cost a page a fraction of a second, not
            # a timeout: pages are then rendered from the database.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "alsblog",
            # Pages of the current version, and a few of the last; old ones age out.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Sessions (staff logins, a commenter's pending comments) live in the database alone, so
# they survive a cache that is down and are shared by every app server.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Whole public pages are cached, keyed by a version that every public change bumps
# (pagecache/); the timeout only bounds memory use.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = 24 * 60 * 60
# While the database is away, a page is served as last stored if at most this old (a
# database restart takes seconds; an outage, minutes): "stale-if-error", logged each time.
# A front cache or CDN in front of the site (docs/operators.md, "Front cache and CDN") may
# keep a page everyone shares this long; a change purges it at once. Lists a shorter while,
# as a second safety beside the purge queued for a scheduled article's time.
FRONT_CACHE_SECONDS = int(os.environ.get("FRONT_CACHE_SECONDS", str(24 * 60 * 60)))
FRONT_CACHE_LIST_SECONDS = int(os.environ.get("FRONT_CACHE_LIST_SECONDS", "300"))
# Which front cache to purge when something changes: "varnish", "fastly", "cloudflare" or
# "" (none); pagecache/frontcache.py.
FRONT_CACHE = os.environ.get("FRONT_CACHE", "")
FRONT_CACHE_URLS = env_list("FRONT_CACHE_URLS")
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
FASTLY_API_URL = os.environ.get("FASTLY_API_URL", "https://api.fastly.com")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get("CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4")
# Each purge is sent again this long after the change: a page that was being made from the
# data before the change while the first purge went out reaches the front cache after it,
# and the second purge takes it out. Longer than any request takes (its timeout).
FRONT_CACHE_PURGE_AGAIN_SECONDS = int(os.environ.get("FRONT_CACHE_PURGE_AGAIN_SECONDS", "10"))
FRONT_CACHE_REVALIDATE_SECONDS = 60  # served while a new copy is fetched
FRONT_CACHE_IF_ERROR_SECONDS = 24 * 60 * 60  # served while the site cannot answer
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", str(6 * 60 * 60)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Public pages show times in this zone, named ("New York time"); each member of staff works
# in the admin in a zone of their own choosing (core.StaffPreferences), this one by default.
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads are best served by the reverse proxy (docs/operators.md, "Deploying"); this lets
# the app serve them itself where there is none, as under `make run`.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# With several app servers, uploads go to a bucket they all share, on S3 or any store that
# speaks its API (MinIO, Cloudflare R2, ...), through django-storages: docs/operators.md,
# "Media in object storage". The local disk stays the default.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
MEDIA_ORIGINS = []  # where pages load uploaded images from, besides this site
if MEDIA_S3_BUCKET:
    _endpoint = urlsplit(os.environ.get("MEDIA_S3_ENDPOINT_URL", ""))
    _region = os.environ.get("MEDIA_S3_REGION", "")
    _prefix = os.environ.get("MEDIA_S3_PREFIX", "").strip("/")
    # Pages name each file by a plain address made here: no request to the store while a
    # page renders, and no signature to expire in a cached page. So the bucket (or the CDN
    # in front of it, MEDIA_S3_CUSTOM_DOMAIN) lets anyone read its files.
    _domain = os.environ.get("MEDIA_S3_CUSTOM_DOMAIN", "").removeprefix("https://").strip("/")
    _protocol = "https:"
    if not _domain and _endpoint.netloc:
        _domain, _protocol = f"{_endpoint.netloc}/{MEDIA_S3_BUCKET}", f"{_endpoint.scheme}:"
    elif not _domain:
        _domain = f"{MEDIA_S3_BUCKET}.s3.{_region + '.' if _region else ''}amazonaws.com"
    _options = {
        "bucket_name": MEDIA_S3_BUCKET,
        "location": _prefix,
        "custom_domain": _domain,
        "url_protocol": _protocol,
        "querystring_auth": False,
        # Every upload has a name of its own (articles/images.py), never reused: a file
        # saved under a name already taken gets another, as on the disk.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if _endpoint.netloc:
        _options["endpoint_url"] = _endpoint.geturl()
    if _region:
        _options["region_name"] = _region
    # Keys of their own; without them, those boto3 finds as for any AWS client (the
    # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, or the server's role).
    if os.environ.get("MEDIA_S3_ACCESS_KEY_ID"):
        _options["access_key"] = os.environ["MEDIA_S3_ACCESS_KEY_ID"]
        _options["secret_key"] = os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY", "")
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _options}
    # What pages place in article bodies (articles/sanitize.py keeps images under MEDIA_URL).
    MEDIA_URL = f"{_protocol}//{_domain}/{_prefix + '/' if _prefix else ''}"
    MEDIA_ORIGINS = [f"{_protocol}//{_domain.split('/')[0]}"]
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

# Uploads: a photo straight from a phone fits; anything larger is refused with a message.
IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_RENDITION_WIDTHS = [480, 800, 1200, 1600]
FILE_UPLOAD_PERMISSIONS = 0o644

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"

# Where links in emails point. Production sets it; otherwise the first allowed host.
SITE_URL = os.environ.get("SITE_URL") or (
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)

# Revisions (articles/revisions.py): each article keeps its newest KEEP revisions and all
# those younger than KEEP_DAYS. The article's page autosaves the editor's work every
# AUTOSAVE_SECONDS, as that person's draft.
ARTICLES_REVISIONS_KEEP = int(os.environ.get("ARTICLES_REVISIONS_KEEP", "50"))
ARTICLES_REVISIONS_KEEP_DAYS = int(os.environ.get("ARTICLES_REVISIONS_KEEP_DAYS", "90"))
ARTICLES_AUTOSAVE_SECONDS = int(os.environ.get("ARTICLES_AUTOSAVE_SECONDS", "30"))

# Comments: see comments/screening.py for what each rule does.
COMMENTS_MIN_SECONDS = 3  # a form sent faster than this is held as likely automated
# A form older than this is refused, with a fresh one to retry. A front cache may hand out a
# page, and the timestamp in its form, as long as it keeps it (and longer while the site is
# down): a reader who opens it then still gets a day to write.
COMMENTS_FORM_MAX_AGE = (
    FRONT_CACHE_SECONDS + FRONT_CACHE_REVALIDATE_SECONDS + FRONT_CACHE_IF_ERROR_SECONDS
) + 24 * 60 * 60
COMMENTS_FLOOD_SECONDS = int(os.environ.get("COMMENTS_FLOOD_SECONDS", "15"))
COMMENTS_MAX_LINKS = int(os.environ.get("COMMENTS_MAX_LINKS", "2"))
COMMENTS_AUTO_APPROVE_KNOWN = env_bool("COMMENTS_AUTO_APPROVE_KNOWN")
# Site-wide: more comments than this in a minute (a flood from many addresses at once)
# pauses new ones, with a 429 and "please try again in a few minutes"; moderators are told.
COMMENTS_MAX_PER_MINUTE = int(os.environ.get("COMMENTS_MAX_PER_MINUTE", "60"))
# How many requests of one process may post comments at once (comments/posting.py): all
# of the server's threads (WEB_THREADS for granian, GUNICORN_THREADS for gunicorn) but one,
# so that readers always find a thread free. Behind a front cache (FRONT_CACHE), which
# serves readers without asking the app servers, every thread: posting is then what the
# app servers are for, and the site-wide ceiling (COMMENTS_MAX_PER_MINUTE) pauses a flood.
_THREADS = int(os.environ.get("WEB_THREADS", os.environ.get("GUNICORN_THREADS", "2")))
COMMENTS_POSTING_THREADS = int(
    os.environ.get("COMMENTS_POSTING_THREADS", _THREADS if FRONT_CACHE else max(1, _THREADS - 1))
)
COMMENTS_KEEP_METADATA_DAYS = 90
# An article shows this many conversations (a comment with its replies) a page.
COMMENTS_PER_PAGE = int(os.environ.get("COMMENTS_PER_PAGE", "50"))
# "Remember my name and email on this device": how long the signed cookie lasts.
COMMENTS_REMEMBER_DAYS = 365
# A comment being typed is kept in the browser (localStorage) for this long, unless sent.
COMMENTS_DRAFT_DAYS = 7
# Shown with a comment handed back unsent when its words cannot be screened (the flag lists
# are not in the cache while the database is away): comments/unsent.py. Empty: nothing.
COMMENTS_CRISIS_FALLBACK = os.environ.get(
    "COMMENTS_CRISIS_FALLBACK",
    "If you need to talk to someone now: in an emergency, call 911. The 988 Suicide & Crisis "
    "Lifeline answers calls and texts to 988, day and night.",
)
# Articles reviewed longer ago than this are listed in the admin as due for review again,
# and the moderators' daily digest names them.
ARTICLES_REVIEW_AFTER_MONTHS = int(os.environ.get("ARTICLES_REVIEW_AFTER_MONTHS", "12"))
# Behind a reverse proxy the reader's address is in X-Forwarded-For; this many proxies add
# to it (0: use the connection's address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Background work: django-tasks with its database backend, run by `manage.py db_worker`
# (started by `make run`; services of their own in production). Email and the rest go on the
# "default" queue; front-cache purges on "purges", so that a worker of their own sends them
# at once, never behind a long run of email (docs/operators.md, "Workers").
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "purges"],
    }
}

# Email: the console under `make run`, SMTP from the environment in production. Every email
# goes through the outbox (outbox/): stored with the change that causes it, sent by the worker.
if DEBUG and not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "outbox.console.ReadableConsoleBackend"  # readable, not raw MIME
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", EMAIL_BACKEND)  # `make fleet`: the console
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ALS Research News <news@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening; each can be turned off by the environment, e.g. for a local
# benchmark over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): no inline script anywhere. The rich-text editor's
# import map is the one inline script: core/middleware.py allows it by its hash (registered
# in articles/apps.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The admin and the editor set inline styles; the issue allows them for styles only.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): ten failed logins from one address, whatever the names
# tried, lock that address out for 30 minutes; Editors unlock it under "Access attempts".
# (Behind a proxy, TRUSTED_PROXY_COUNT must be right, or every reader shares one address.)
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "alsblog": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
