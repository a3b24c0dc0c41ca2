"""Settings for the Lê Chân news portal.

One entry point, configured by environment variables. With nothing set the site
runs locally: SQLite file in the project root, local-memory cache, debug on.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    """A whole number from the environment; any other value stops the start, naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} phải là một số nguyên (đang là “{value}”).") from None


def env_list(name, default):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


# Core: debug, secret and hosts. Production (debug off) refuses to start without a secret.
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY phải được đặt khi DJANGO_DEBUG=0.")
    SECRET_KEY = "local-development-only-not-for-production"  # noqa: S105 (debug only)  # nosec B105
local_hosts = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", local_hosts if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS phải được đặt khi DJANGO_DEBUG=0.")

# Security: HTTPS only, secure cookies and strict headers in production (`check --deploy`).
# Behind a proxy that ends TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
# (the proxy must set that header itself and never pass on a client's).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"], "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
# Content-Security-Policy (lechan/middleware.py): no inline script or style anywhere.
LECHAN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if SECURE_SSL_REDIRECT:
    LECHAN_CSP["upgrade-insecure-requests"] = []
# The admin's rich-text editor (Tiptap) adds <style> elements as it runs, which no hash
# can cover: the admin alone allows inline styles. Its scripts are held as the site's.
LECHAN_CSP_ADMIN = {**LECHAN_CSP, "style-src": ["'self'", "'unsafe-inline'"]}
LECHAN_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# The admin's address: DJANGO_ADMIN_PATH moves it away from the well-known admin/.
LECHAN_ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
if LECHAN_ADMIN_PATH == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_PATH không được để trống.")

# Applications: Django's own, then libraries, then the project's apps.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    # Editorial: revision history (django-reversion), sign-in throttling (django-axes),
    # the rich-text editor for article bodies (django-prose-editor, self-hosted assets).
    "reversion",
    "lechan.apps.AxesConfig",  # django-axes, with a Vietnamese name
    "django_prose_editor",
    "lechan",
    "articles",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (WhiteNoise): answered before anything else runs.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Security: Content-Security-Policy and Permissions-Policy.
    "lechan.middleware.SecurityHeadersMiddleware",
    # Cache: 304 for an unchanged page (ETag), then whole pages for readers not signed in.
    "django.middleware.http.ConditionalGetMiddleware",
    "lechan.pagecache.PageCacheMiddleware",
    # Faults: a database outage answers the 503 page.
    "lechan.faults.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Debug: a reader's missing page is the site's 404 page, as in production.
    "lechan.debug.SiteNotFoundMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Editorial: an old address of a moved article or project answers 301 (on 404 only).
    "lechan.editorial.redirects.RedirectFallbackMiddleware",
    # Editorial: refuses sign-in while an account is locked out; keep it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lechan.urls"
WSGI_APPLICATION = "lechan.wsgi.application"

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
                "lechan.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://… or sqlite:///…); default is a SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
        # A kept connection is checked before each request reuses it: no error after a restart.
        conn_health_checks=True,
    )
}
# SQLite (the embedded default): readers never wait for a writer (WAL); a write transaction
# takes its lock as it begins (IMMEDIATE) and waits up to 20 s for another's (busy timeout),
# so two editors saving at once queue instead of one getting "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, local memory otherwise.
redis_url = os.environ.get("REDIS_URL", "")
if redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "lechan",
            # A Redis that does not answer fails fast; pages are then served without it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Page cache (lechan/pagecache.py): whole public pages for readers who are not signed in,
# kept until anything in a content app (lechan/content.py) changes, the next scheduled item
# goes live, or LECHAN_PAGE_CACHE_SECONDS pass (0 turns it off). Browsers and proxies keep a page
# LECHAN_PAGE_CACHE_MAX_AGE seconds.
LECHAN_PAGE_CACHE_SECONDS = env_int("LECHAN_PAGE_CACHE_SECONDS", 600)
LECHAN_PAGE_CACHE_MAX_AGE = env_int("LECHAN_PAGE_MAX_AGE", 60)
LECHAN_PAGE_CACHE_EXCLUDE = ["healthz/"]  # besides the admin, static and media addresses
# Fragment cache: the costly parts of a page (an article's body, boxes and "Tin khác"),
# kept under the same content version for LECHAN_FRAGMENT_CACHE_SECONDS (0 turns it off).
LECHAN_FRAGMENT_CACHE_SECONDS = env_int("LECHAN_FRAGMENT_CACHE_SECONDS", 600)
# Facet summary (lechan/lists/facets.py): each list's rows grouped by facet, read again by each
# process under a new content version, at the latest after LECHAN_FACET_SUMMARY_SECONDS (0: every
# request counts its facets from the rows).
LECHAN_FACET_SUMMARY_SECONDS = env_int("LECHAN_FACET_SUMMARY_SECONDS", 600)

# Authentication: Django's standard user model and password validators.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in is the admin's: without a safe `next`, an editor lands on the admin index.
LOGIN_REDIRECT_URL = "admin:index"

# Language and time: Vietnamese, Hải Phòng's time zone, aware datetimes.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's vi locale leaves digit grouping off; lechan/formats/vi turns it on
# ("40.843", "91,95") for the filters that group (intcomma, floatformat "g", vn_number).
FORMAT_MODULE_PATH = ["lechan.formats"]

# Static and media files.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Static files (WhiteNoise): in production `collectstatic` writes compressed files with
# hashed names, served for a year; in debug (and tests) files come from the app folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
# Media on S3-compatible object storage (django-storages) when LECHAN_S3_BUCKET is set, so
# that every app server sees the same photos; keys in AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY. Readers load photos from LECHAN_S3_CUSTOM_DOMAIN (a CDN or proxy
# in front of the bucket, "media.lechan.example" or "http://host/path"), or else from the
# bucket itself (objects readable by all): MEDIA_URL and CSP img-src follow.
LECHAN_S3_BUCKET = os.environ.get("LECHAN_S3_BUCKET", "")
if LECHAN_S3_BUCKET:
    LECHAN_S3_ENDPOINT_URL = os.environ.get("LECHAN_S3_ENDPOINT_URL", "").rstrip("/")
    LECHAN_S3_CUSTOM_DOMAIN = os.environ.get("LECHAN_S3_CUSTOM_DOMAIN", "").rstrip("/")
    s3_options = {
        "bucket_name": LECHAN_S3_BUCKET,
        "region_name": os.environ.get("LECHAN_S3_REGION") or None,
        "querystring_auth": False,  # plain, lasting addresses: pages are cached
        "file_overwrite": False,  # a new photo never replaces another one of the same name
    }
    if LECHAN_S3_ENDPOINT_URL:
        s3_options.update(endpoint_url=LECHAN_S3_ENDPOINT_URL, addressing_style="path")
        MEDIA_URL = f"{LECHAN_S3_ENDPOINT_URL}/{LECHAN_S3_BUCKET}/"
    else:
        MEDIA_URL = f"https://{LECHAN_S3_BUCKET}.s3.amazonaws.com/"
    if LECHAN_S3_CUSTOM_DOMAIN:
        if "://" not in LECHAN_S3_CUSTOM_DOMAIN:
            LECHAN_S3_CUSTOM_DOMAIN = "https://" + LECHAN_S3_CUSTOM_DOMAIN
        protocol, domain = LECHAN_S3_CUSTOM_DOMAIN.split("//", 1)
        s3_options.update(custom_domain=domain, url_protocol=protocol)
        MEDIA_URL = LECHAN_S3_CUSTOM_DOMAIN + "/"
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options}
    media_origin = urlsplit(MEDIA_URL)
    # The same list serves the admin's policy (LECHAN_CSP_ADMIN).
    LECHAN_CSP["img-src"].append(f"{media_origin.scheme}://{media_origin.netloc}")

# Fixtures: `manage.py loaddata lechan` finds fixtures/lechan.json.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Site identity, used in titles, feeds and the footer.
LECHAN_SITE_NAME = "Cổng thông tin quận Lê Chân"

# List filters (django-filter): the empty choice of every select reads "Tất cả".
FILTERS_EMPTY_CHOICE_LABEL = "Tất cả"

# Editorial: sign-in throttling, sessions, upload limits.
# django-axes counts failed sign-ins: 5 for one user name from one address lock that pair,
# 20 from one address (any user names) lock the address, each for 15 minutes (HTTP 429, a
# Vietnamese page). A successful sign-in clears its own user name's count at that address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "lechan.signin.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # in this order
AXES_FAILURE_LIMIT = 5
LECHAN_SIGN_IN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Behind reverse proxies, every request comes from the nearest proxy's address. Set
# DJANGO_TRUSTED_PROXY_COUNT to how many proxies stand in front of the site, each adding
# the address it saw to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for): the visitor is
# then that many entries from the right; entries further left come from the client itself.
LECHAN_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "lechan.signin.client_address"
# An editor's session lasts a working day at most and ends with the browser.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Photos: what lechan.uploads accepts (bytes, and pixels against decompression bombs).
# An upload's bytes past the limit are never kept: UploadLimitHandler drops them as they
# arrive (the proxy's own body limit, e.g. nginx client_max_body_size, stops them sooner).
LECHAN_IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
LECHAN_IMAGE_UPLOAD_MAX_PIXELS = 40_000_000
FILE_UPLOAD_HANDLERS = [
    "lechan.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Logging: everything of WARNING and above to the console.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
