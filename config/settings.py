"""
Settings for the site. Production differs from development only through
environment variables (see .env.example); nothing here branches on a
"production" flag.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags, process_figure
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Optional: a .env file for local overrides. Real environment variables win.
environ.Env.read_env(BASE_DIR / ".env")

# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env(
        "SECRET_KEY", default="insecure-development-key-only-for-debug-mode"
    )
else:
    # Required: refusing to start beats running with a guessable key.
    SECRET_KEY = env("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "Set SECRET_KEY: it is required when DJANGO_DEBUG is off."
        )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "config.urls"
# Moving the admin off /admin/ keeps most login-guessing robots away.
ADMIN_URL = env("ADMIN_URL", default="admin/")
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# Apps
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # Django's admin with the editors' dashboard on its index.
    "articles.admin_site.HealthpressAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "django_prose_editor",
    # Under the names editors read in the admin.
    "articles.app_names.LockoutConfig",
    "django_otp",
    "articles.app_names.TwoFactorDevicesConfig",
    "django_tasks",
    "django_tasks_db",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: NUL characters and overlong addresses.
    "articles.request_limits.RequestLimitsMiddleware",
    # Readers' whole pages, kept as sent (compressed) under the content
    # version; outside everything that depends on the person.
    "articles.page_cache.PageCacheMiddleware",
    # Outside the session and CSRF middleware, so that it sees the cookies
    # they set and leaves those responses uncompressed (BREACH).
    "articles.compression.CompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a reader URL's prefix, else the browser's (Django's
    # place for it: after the session, before CommonMiddleware). Django's
    # LocaleMiddleware, with a 404 left a 404.
    "articles.languages.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin and e-mails in the language an editor chose.
    "articles.languages.PreferredLanguageMiddleware",
    "articles.audit.ActingUserMiddleware",
    # Knows whether this session passed two-factor (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "articles.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.security.SecurityHeadersMiddleware",
    # Inside the redirects: a redirect carries no API link, as in WordPress.
    "articles.api.discovery.ApiLinkMiddleware",
    # Last, so it sees the final response: it acts only on 404s.
    "articles.redirects.RedirectMiddleware",
    # Answers a locked-out login with the lockout page (AXES_LOCKOUT_TEMPLATE).
    "axes.middleware.AxesMiddleware",
]

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
                "articles.context_processors.site",
            ],
        },
    },
]

# Data
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each transaction takes the write lock when it begins, so that two saves
    # of one article run one after the other and the second meets the first
    # in the edit-version check (PostgreSQL does this with SELECT ... FOR
    # UPDATE, which SQLite ignores). WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not the shared in-memory database, so that tests with several
    # connections (two saves at the same instant) meet SQLite's real locking.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(BASE_DIR / ".test-db.sqlite3")
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Files on the local disk by default: shared by every process of the site
# (gunicorn's workers, the task worker, management commands), so that a
# change made in one is seen by all; local memory would be per process.
CACHES = {
    "default": env.cache("CACHE_URL", default=f"filecache://{BASE_DIR / '.cache'}")
}
if (
    CACHES["default"]["BACKEND"]
    == "django.core.cache.backends.filebased.FileBasedCache"
):
    # Django's default (300) would cull at once; each write past this many
    # lists the folder and drops a third, which costs more the larger it is.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # When Redis is down, pages are served uncached rather than failing, and
    # short timeouts keep a dead Redis from stalling every request.
    CACHES["default"]["BACKEND"] = "articles.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    )

# Background work (articles/tasks.py)
# ------------------------------------------------------------------------------
# Renditions, the review e-mails and SEO re-scores leave the request: they are
# queued in a table of this database and run by `manage.py db_worker`, which
# `make run` and `make serve` start beside the server; there is no broker.
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them
# right after the commit instead, inside the request, for a site without one.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}

# Files
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    from botocore.config import Config as BotoConfig

    # Any S3-compatible service (AWS, MinIO, Scaleway, ...). Credentials come
    # from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them.
    _media_backend = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,
            "file_overwrite": False,
            # An unreachable store is refused within seconds (boto's default:
            # a minute per attempt, five attempts), so an upload gets its form
            # error and no worker waits minutes.
            "client_config": BotoConfig(
                connect_timeout=env.float("MEDIA_S3_TIMEOUT_SECONDS", default=5),
                read_timeout=env.float("MEDIA_S3_TIMEOUT_SECONDS", default=5) * 4,
                retries={"mode": "standard", "total_max_attempts": 2},
            ),
        },
    }
else:
    # Django's, removing what a full disk let it half-write.
    _media_backend = {"BACKEND": "articles.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_backend,
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}
# Uploads larger than this are refused with a form error rather than a 500.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int(
    "DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# WordPress export files larger than this are refused by the importer (REST
# JSON is read whole into memory); export a larger site in parts.
IMPORT_FILE_MAX_BYTES = env.int("IMPORT_FILE_MAX_BYTES", default=256 * 1024 * 1024)
# A post's content larger than this is refused: the seed post is 14 KB, and a
# page of megabytes takes seconds to render for every reader.
IMPORT_POST_MAX_BYTES = env.int("IMPORT_POST_MAX_BYTES", default=2 * 1024 * 1024)

# Body editor
# ------------------------------------------------------------------------------
# The editor's own extensions, as JavaScript modules (static/articles/editor/).
# articles/sanitize.py, not these processors, decides what is stored: the
# fields pass it as their sanitizer.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/editor/figure.js")],
        "extensions": {"Figure": process_figure},
    },
    {
        "js": [static_lazy("articles/editor/spellcheck.js")],
        "extensions": {"SpellCheck": html_tags([])},
    },
    {
        "js": [static_lazy("articles/editor/video.js")],
        "extensions": {
            "VideoEmbed": html_tags(
                ["figure", "a", "figcaption"], {"figure": ["data-embed"], "a": ["href"]}
            )
        },
    },
    {
        "js": [static_lazy("articles/editor/callout.js")],
        "extensions": {"Callout": html_tags(["aside"], {"aside": ["class"]})},
    },
]

# Internationalisation
# ------------------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
# Dates are stored in UTC and shown in the site's time zone, as WordPress does
# with date and date_gmt.
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
# The interface's own words; Django's formats for dates and numbers.
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# Auth
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
# A staff session ends with the browser too, so that a shared computer does
# not stay signed in to the admin.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool(
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True
)
# Links in password reset e-mails work this long (Django's default: 3 days).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)
# Invitation links work this long (seconds).
INVITATION_MAX_AGE = env.int("INVITATION_MAX_AGE", default=60 * 60 * 24 * 7)

# Two-factor sign-in (TOTP, django-otp): optional for staff; with this on,
# administrators must set it up before they can use the admin.
REQUIRE_ADMIN_2FA = env.bool("REQUIRE_ADMIN_2FA", default=False)

# Brute-force protection (django-axes)
# ------------------------------------------------------------------------------
# After this many failed logins for one account from one address, that
# account is locked for that address only, until the cool-off ends or an
# administrator deletes the attempt under "Axes > Access attempts". Locking
# the account everywhere would let anyone lock its owner out; locking the
# address would let one person behind the clinic's NAT lock out all staff.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "articles.access.client_ip"
# Behind a load balancer REMOTE_ADDR is the balancer's: with PROXY_COUNT=1 the
# client is the address the nearest proxy appended to X-Forwarded-For.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Security
# ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# The longest path plus query string answered (414 beyond). gunicorn refuses
# request lines over 4094 bytes itself; this holds behind any server.
MAX_URL_LENGTH = env.int("MAX_URL_LENGTH", default=4096)

# E-mail
# ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Site
# ------------------------------------------------------------------------------
SITE_NAME = env("SITE_NAME", default="Gold City Medical Center")
# The name authenticator apps show next to the two-factor code.
OTP_TOTP_ISSUER = SITE_NAME
# The scheme and host used for absolute URLs in feeds, sitemaps and JSON-LD.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=12)
# The WordPress site a migration comes from; its own links in imported content
# become site-relative.
WORDPRESS_SITE_URL = env(
    "WORDPRESS_SITE_URL", default="https://goldcitymedicalcenter.nl"
)

# SEO
# ------------------------------------------------------------------------------
# The <title> of pages without an SEO title of their own.
SEO_TITLE_PATTERN = env("SEO_TITLE_PATTERN", default="{title} – {site_name}")
# The publisher logo in JSON-LD; empty uses the favicon.
SEO_LOGO_URL = env("SEO_LOGO_URL", default="")
# Health content is reviewed at least this often (days); older reviews fail
# the SEO analysis.
# How long a medical sign-off lasts: the next review is due this many days
# after it (the SEO analysis asks for one within the same time).
MEDICAL_REVIEW_INTERVAL_DAYS = env.int("MEDICAL_REVIEW_INTERVAL_DAYS", default=365)
# Health content goes live only once a medical reviewer has signed it off
# (for the categories that ask for it, all by default).
MEDICAL_SIGN_OFF = env.bool("MEDICAL_SIGN_OFF", default=True)
# Longest time a sitemap stays cached; edits and scheduled publishing clear it sooner.
SITEMAP_CACHE_SECONDS = env.int("SITEMAP_CACHE_SECONDS", default=60 * 60)

# Tags
# ------------------------------------------------------------------------------
# "back pain" typed is the existing tag "Back pain", not a second one, nor
# the two tags "back" and "pain".
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "articles.tag_input.parse_tags"
TAGGIT_STRING_FROM_TAGS = "articles.tag_input.edit_string"
# The page cache (articles/page_cache.py)
# PAGE_CACHE=off sends every reader's page fresh from the view (what is
# rendered once stays rendered), for measuring and debugging.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
# Kept pages and fragments are keyed by the content version, so any change
# makes them unreachable at once; this only bounds the memory they take.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 60 * 60)
# How many pages each process also keeps in its own memory, in front of the
# shared cache (each is one encoding of one page, about 7 to 35 KB).
PAGE_CACHE_RECENT_PAGES = env.int("PAGE_CACHE_RECENT_PAGES", default=500)
# What a shared cache in front (deploy/nginx.conf, a CDN) may keep a page
# for (s-maxage), and serve stale while it asks again (stale-while-revalidate):
# the purges of articles/purge.py empty it sooner.
SHARED_CACHE_SECONDS = env.int("SHARED_CACHE_SECONDS", default=60)
SHARED_CACHE_STALE_SECONDS = env.int("SHARED_CACHE_STALE_SECONDS", default=30)

# The reverse proxy's cache (deploy/nginx.conf)
# Where PURGE requests go when content changes, e.g. http://127.0.0.1:8081
# (the proxy's loopback listener); empty purges nothing.
PURGE_URL = env("PURGE_URL", default="")
PURGE_TIMEOUT_SECONDS = env.float("PURGE_TIMEOUT_SECONDS", default=2.0)

# Publishing workflow
# Seconds a shared preview link works (two days by default).
PREVIEW_LINK_MAX_AGE = env.int("PREVIEW_LINK_MAX_AGE", default=2 * 24 * 60 * 60)
ROBOTS_DISALLOW = env.list(
    "ROBOTS_DISALLOW", default=["/admin/", "/*/search/", "/*?s=", "/*?q="]
)
# Extra lines for robots.txt, e.g. "Crawl-delay: 5" (separated by |).
ROBOTS_EXTRA_LINES = [
    line for line in env("ROBOTS_EXTRA_LINES", default="").split("|") if line
]
# The 404 log keeps this many paths; a new one beyond evicts the least hit.
NOT_FOUND_MAX_ROWS = env.int("NOT_FOUND_MAX_ROWS", default=1000)
# Missing paths that are probes, not broken links: they are not logged.
NOT_FOUND_IGNORE = [
    r"^/wp-",
    r"\.php$",
    r"^/\.",
    r"/\.(env|git)",
    r"^/xmlrpc",
    r"^/(cgi-bin|phpmyadmin)",
]
