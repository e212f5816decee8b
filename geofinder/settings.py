"""geofinder settings: one module for every environment, configured through the environment.

Every value below can be overridden by an environment variable or a `.env` file at the
repository root (see `.env.example`).

SRID contract: every geometry is stored in WGS84 (EPSG:4326, lon/lat). Polygons (regions,
départements, communes) are `geometry(MultiPolygon, 4326)`; points (places, postcodes) are
`geography(Point, 4326)` so that distances and radii are geodesic metres, never degrees.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- secret key (deployment) --------------------------------------------------------------
# DJANGO_SECRET_KEY, else the key in DJANGO_SECRET_KEY_FILE (default var/secret_key, written once
# by `make secret-key`, which `make demo`, `make test` and `make bench` run; a container secret,
# say). No key at all, or a weak or known one with DEBUG off, is a system check error
# (geofinder/core/checks.py) that stops manage.py and the WSGI start (geofinder/wsgi.py).
SECRET_KEY_FILE = Path(env.str("DJANGO_SECRET_KEY_FILE", default=str(BASE_DIR / "var" / "secret_key")))
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or (
    SECRET_KEY_FILE.read_text().strip() if SECRET_KEY_FILE.is_file() else ""
)
# --- end of secret key ---------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # History of every change a person makes to a place (who, when, before, after).
    "simple_history",
    # Rate limits of the merchants' and moderators' forms (settings below).
    "django_ratelimit",
    "geofinder.core",
    "geofinder.territories",
    "geofinder.places",
    "geofinder.imports",
    "geofinder.search",
    "geofinder.api",
    "geofinder.web",
    "geofinder.maps",
    "geofinder.exports",
    "geofinder.merchants",
]

MIDDLEWARE = [
    # First, so that every answer carries X-Request-ID and every log line of a request its id.
    "geofinder.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (API docs assets, later the map's) served by the app itself: no CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS answers for the API, from GEOFINDER_EMBED_ORIGINS only (before CommonMiddleware).
    "corsheaders.middleware.CorsMiddleware",
    # Sessions and users for the merchants' and moderators' pages (lazy: the API reads neither).
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Every form of the merchants' and moderators' pages (the API's views are csrf-exempt, GET only).
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy frame-ancestors: only /embed/ may be framed (see geofinder/web/framing.py).
    "geofinder.web.framing.FrameAncestorsMiddleware",
    # Reads of GET requests to a healthy replica when DATABASE_REPLICA_URLS lists some; before the
    # timeout, which applies to the connection chosen (core/replica_routing.py).
    "geofinder.core.replica_routing.ReplicaRoutingMiddleware",
    # Every statement of a request is cancelled past GEOFINDER_STATEMENT_TIMEOUT_MS (core/timeouts.py).
    "geofinder.core.timeouts.StatementTimeoutMiddleware",
    # At most GEOFINDER_GEOCODER_BUDGET network geocoding calls per request (territories/geocoder.py).
    "geofinder.territories.geocoder.GeocodingBudgetMiddleware",
]

ROOT_URLCONF = "geofinder.urls"
WSGI_APPLICATION = "geofinder.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csrf",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default="postgis://geofinder:geofinder@127.0.0.1:5432/geofinder",
        engine="django.contrib.gis.db.backends.postgis",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# PostgreSQL application_name of this process's connections (to find them in pg_stat_activity).
if env.str("DATABASE_APPLICATION_NAME", default=""):
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = env.str("DATABASE_APPLICATION_NAME")

# --- read replicas -------------------------------------------------------------------------
# PostgreSQL streaming replicas of the primary (DATABASE_URL), comma-separated URLs
# (postgis://user:password@host:port/name), each a database alias `replica_1`, `replica_2`, …
# Searches, details, exports, territories and maps read from them (geofinder/core/replicas.py,
# geofinder/core/replica_routing.py); writes, imports, migrations and the reads that must see the
# user's own writes go to the primary. Without replicas (the default) everything goes to the primary.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = env.db_url_config(_url, engine="django.contrib.gis.db.backends.postgis")
    _replica["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    # Tests without a replica server of their own read the test database through this alias.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
DATABASE_ROUTERS = ["geofinder.core.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
# Behind a pooler in transaction mode (PgBouncer, README "Read replicas"): a server-side cursor
# must not outlive its transaction, so Django's (QuerySet.iterator() outside a transaction) are off.
if env.bool("DATABASE_TRANSACTION_POOLER", default=False):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
# A replica lagging the primary by more than this many seconds is skipped until it catches up.
GEOFINDER_REPLICA_MAX_LAG_S = env.float("GEOFINDER_REPLICA_MAX_LAG_S", default=5.0)
# How often each process measures each replica's lag and health, in seconds.
GEOFINDER_REPLICA_CHECK_S = env.float("GEOFINDER_REPLICA_CHECK_S", default=2.0)
# After a request that may write (POST, PUT, PATCH, DELETE), the client reads the primary for this
# many seconds (a cookie), so that it sees what it wrote: a served replica lags at most the
# maximum lag, measured at most a check interval ago.
GEOFINDER_REPLICA_PIN_S = env.int(
    "GEOFINDER_REPLICA_PIN_S", default=int(GEOFINDER_REPLICA_MAX_LAG_S + GEOFINDER_REPLICA_CHECK_S) + 1
)
# --- end of read replicas ------------------------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Residents read French first; English is available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "geofinder" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Without `collectstatic`, WhiteNoise serves the apps' static folders directly.
WHITENOISE_USE_FINDERS = True

X_FRAME_OPTIONS = "DENY"

SILENCED_SYSTEM_CHECKS = [
    # Debian 12 ships GDAL 3.6, which cannot block file/network access from spatial references;
    # geofinder never parses user-supplied spatial reference systems.
    "gis.W001",
    # HSTS preloading (DJANGO_SECURE_HSTS_PRELOAD) is the decision of the owner of the whole
    # registrable domain (a département's, whose every host it binds for months), made at
    # hstspreload.org; geofinder is served on one host of it. Opt-in, not a defect when off.
    "security.W021",
]

# --- HTTPS, proxies and cookies (deployment) -----------------------------------------------
# The README's "Production settings" give the values for a server behind a TLS proxy; the
# defaults suit the demo's plain http://127.0.0.1:8000.
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (overwriting any the
# client sent): Django then takes the requests it forwarded as https for https.
BEHIND_TLS_PROXY = env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Over HTTPS, plain http is redirected and cookies are Secure (defaults: on behind a TLS proxy).
# Sessions (the merchants' and moderators' logins) and the CSRF cookie are Secure over https.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=BEHIND_TLS_PROXY)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=BEHIND_TLS_PROXY)
# HSTS: browsers refuse plain http to this host for that many seconds (a year: 31536000). Opt in
# once HTTPS works: it cannot be taken back before it expires.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Origins (https://carte.example.fr) whose unsafe requests pass the CSRF check.
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# --- end of HTTPS, proxies and cookies -----------------------------------------------------

# --- logging -------------------------------------------------------------------------------
# One stream, stderr (12-factor), one line per record with the id of the request it belongs to
# (X-Request-ID, geofinder/core/request_id.py; "-" outside a request). Server errors are logged
# by django.request with their traceback, errors inside streamed exports by
# geofinder.core.request_id. DJANGO_LOG_LEVEL: DEBUG, INFO (default), WARNING, ERROR.
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "geofinder.core.request_id.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [request_id=%(request_id)s] %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (console when DEBUG is on, mail to ADMINS) give way to the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # 4xx answers are not logged (a line per bad request would drown the errors; gunicorn's
        # access log has them); 5xx are, with their traceback.
        "django.request": {"level": "ERROR"},
    },
}
# --- end of logging ------------------------------------------------------------------------

# A nearest search starts no new pass after this many milliseconds and answers what it found,
# flagged incomplete (geofinder/search/selectors.py); its statements, by GEOFINDER_STATEMENT_TIMEOUT_MS.
GEOFINDER_SEARCH_BUDGET_MS = env.int("GEOFINDER_SEARCH_BUDGET_MS", default=1000)
# Requests to the API per client address and period (s, m, h, d), or "off" (api/throttles.py).
GEOFINDER_API_RATE = env.str("GEOFINDER_API_RATE", default="20/s")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["geofinder.api.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "geofinder.api.negotiation.ContentNegotiation",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    # Requests per client: GEOFINDER_API_RATE (api/throttles.py).
    "DEFAULT_THROTTLE_CLASSES": ["geofinder.api.throttles.ClientRateThrottle"],
    # Reverse proxies in front of the service (nginx: 1): the client's address is the one the
    # nearest of them added to X-Forwarded-For; 0: REMOTE_ADDR (X-Forwarded-For ignored).
    "NUM_PROXIES": env.int("GEOFINDER_TRUSTED_PROXIES", default=0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Statements past the requests' timeout answer 503, not 500 (api/errors.py).
    "EXCEPTION_HANDLER": "geofinder.api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "geofinder API",
    "DESCRIPTION": "The nearest local shops and artisans of French territories, with live opening hours.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's assets from drf-spectacular-sidecar, served by this instance: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI nests them in each operation's button (axe: nested-interactive);
    # no syntax colours (some lack contrast on its dark code boxes).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": False},
    # The answers' JSON Schemas (api/openapi.py), referenced by the operations.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "geofinder.api.openapi.add_components",
    ],
}

# --- geofinder -----------------------------------------------------------------------------


def _default_data_dir() -> Path:
    """`../shared/data` beside the repository when it exists, else the small `fixtures/`."""
    shared = BASE_DIR.parent / "shared" / "data"
    return shared if shared.is_dir() else BASE_DIR / "fixtures"


# Real data read at run time (boundaries, postcodes, merchant lists, OSM files); never copied
# into the repository.
GEOFINDER_DATA_DIR = Path(env.str("GEOFINDER_DATA_DIR", default=str(_default_data_dir())))
# Network use (geopy geocoders, osmnx by place name, downloads). Off by default: tests and
# offline deployments use the local gazetteer and files only.
GEOFINDER_NETWORK = env.bool("GEOFINDER_NETWORK", default=False)
# Etalab's geolocated SIRENE establishments, one file per département (`import_sirene
# --department 31`, with network use); {department} is the code.
GEOFINDER_SIRENE_URL = env.str(
    "GEOFINDER_SIRENE_URL", default="https://files.data.gouv.fr/geo-sirene/last/dep/geo_siret_{department}.csv.gz"
)
GEOFINDER_GEOCODER = env.str("GEOFINDER_GEOCODER", default="ban")  # "ban" or "nominatim"
GEOFINDER_GEOCODER_USER_AGENT = env.str("GEOFINDER_GEOCODER_USER_AGENT", default="geofinder")
# The geocoder's base URL when not the public service's (a self-hosted BAN/addok or Nominatim).
GEOFINDER_GEOCODER_URL = env.str("GEOFINDER_GEOCODER_URL", default="")
# Seconds a network geocoding call waits for its answer (requests and imports alike).
GEOFINDER_GEOCODER_TIMEOUT_S = env.float("GEOFINDER_GEOCODER_TIMEOUT_S", default=3.0)
# Network geocoding calls one request may make (a search resolves one where: one call).
GEOFINDER_GEOCODER_BUDGET = env.int("GEOFINDER_GEOCODER_BUDGET", default=1)
# One establishment, one place (geofinder/places/merging.py): a record of one source joins a place
# of another when they share a SIRET, or when their names are alike, their categories compatible
# and they lie within GEOFINDER_MERGE_DISTANCE_M (or at the same address), with a confidence of
# at least GEOFINDER_MERGE_THRESHOLD (0 to 1; 1.01 turns the name-and-distance joins off).
GEOFINDER_MERGE_THRESHOLD = env.float("GEOFINDER_MERGE_THRESHOLD", default=0.75)
GEOFINDER_MERGE_DISTANCE_M = env.float("GEOFINDER_MERGE_DISTANCE_M", default=50.0)
# Which source's value a place shows for a field when several sources give one, best first;
# sources not listed come after, the one that set the field first keeps it among equals; what
# a merchant confirmed always comes first. JSON, e.g. {"phone": ["osm", "alimconfiance"]}.
GEOFINDER_FIELD_PRECEDENCE = env.json("GEOFINDER_FIELD_PRECEDENCE", default={
    "opening_hours": ["osm"], "phone": ["osm"], "website": ["osm"], "email": ["osm"], "shop_url": ["osm"],
    "status": ["sirene"],
})
GEOFINDER_REPORT_DIR = Path(env.str("GEOFINDER_REPORT_DIR", default=str(BASE_DIR / "var" / "reports")))
# Distance in metres within which a point just outside every commune polygon (a quay, a beach
# restaurant: the 2018 boundaries are simplified to about 1 m) is attached to the nearest
# commune. Farther than that, the point is "at sea" and rejected.
GEOFINDER_COMMUNE_SNAP_M = env.float("GEOFINDER_COMMUNE_SNAP_M", default=300.0)
# Longest a statement of a request may run, in milliseconds, before PostgreSQL cancels it and the
# API answers 503 (searches take a few milliseconds; exports and commands are not bound).
GEOFINDER_STATEMENT_TIMEOUT_MS = env.int("GEOFINDER_STATEMENT_TIMEOUT_MS", default=5000)

# --- map pages and embedding ---------------------------------------------------------------

# Map background tiles: URL template and attribution (HTML). An empty URL draws no tiles
# (offline): the map still shows territory boundaries, markers and the list.
GEOFINDER_TILE_URL = env.str("GEOFINDER_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
GEOFINDER_TILE_ATTRIBUTION = env.str(
    "GEOFINDER_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>',
)
# Origins (scheme://host[:port]) allowed to frame /embed/ (Content-Security-Policy
# frame-ancestors) and to call the API from a browser (CORS). Every other page refuses framing.
GEOFINDER_EMBED_ORIGINS = env.list("GEOFINDER_EMBED_ORIGINS", default=[])
CORS_ALLOWED_ORIGINS = GEOFINDER_EMBED_ORIGINS
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]

# --- merchants, moderators and their accounts ----------------------------------------------
# Accounts are Django's own (django.contrib.auth): the email address is the username, an
# account is active once its address is confirmed by a link. Every link sent by email (address
# confirmation, password reset, a claim's proof) is single-use and expires after this many
# seconds (Django's token generators: the token hashes the state it changes).
PASSWORD_RESET_TIMEOUT = env.int("GEOFINDER_LINK_TIMEOUT_S", default=24 * 3600)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "merchants:login"
LOGIN_REDIRECT_URL = "merchants:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Email through Django's email framework. With DJANGO_EMAIL_HOST set, SMTP (the README's
# "Email" section); without it, each message is written as a file to GEOFINDER_MAIL_DIR
# (var/mail: `make demo` works offline, the links are read there).
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="")
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env.str("GEOFINDER_MAIL_DIR", default=str(BASE_DIR / "var" / "mail"))
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env.bool("DJANGO_EMAIL_USE_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="geofinder <ne-pas-repondre@localhost>")

# Rate limits (django-ratelimit) on logins, password resets, account creation, proposals and
# claims, per IP and per account, counted in the "ratelimit" cache. Its default, a table of
# this database (created by `manage.py createcachetable`, which `make setup` runs), is shared by
# every gunicorn worker; its increment is not atomic, so a burst of concurrent requests may
# pass a few over the limit (django_ratelimit.E003 and W001, silenced for it). For exact counts, point
# GEOFINDER_RATELIMIT_CACHE at memcached (pymemcache://127.0.0.1:11211, with pymemcache installed).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": env.cache_url("GEOFINDER_RATELIMIT_CACHE", default="dbcache://geofinder_ratelimit"),
}
RATELIMIT_USE_CACHE = "ratelimit"
if CACHES["ratelimit"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
# Limits: "<count>/<period>" (s, m, h, d), per IP and per account.
GEOFINDER_RATE_LOGIN = env.str("GEOFINDER_RATE_LOGIN", default="10/h")
GEOFINDER_RATE_SIGNUP = env.str("GEOFINDER_RATE_SIGNUP", default="5/h")
GEOFINDER_RATE_RESET = env.str("GEOFINDER_RATE_RESET", default="5/h")
GEOFINDER_RATE_PROPOSAL = env.str("GEOFINDER_RATE_PROPOSAL", default="20/h")
GEOFINDER_RATE_CLAIM = env.str("GEOFINDER_RATE_CLAIM", default="10/h")

# What a verified manager changes at once, and what waits for a moderator (a new place always
# does). Field names of geofinder/places/provenance.py, plus "closures" and "announcements".
GEOFINDER_MERCHANT_DIRECT_FIELDS = env.list(
    "GEOFINDER_MERCHANT_DIRECT_FIELDS",
    default=[
        "opening_hours", "closures", "announcements", "phone", "email", "website", "shop_url",
        "click_and_collect", "delivery", "takeaway", "appointment", "status",
    ],
)
GEOFINDER_MERCHANT_REVIEWED_FIELDS = env.list(
    "GEOFINDER_MERCHANT_REVIEWED_FIELDS",
    default=["name", "category", "secondary_categories", "location", "street", "postcode", "city"],
)
# The client address of the limits behind the proxy (see geofinder/merchants/limits.py).
RATELIMIT_IP_META_KEY = "geofinder.merchants.limits.client_ip"
