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
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "geofinder.core",
    "geofinder.territories",
    "geofinder.places",
    "geofinder.imports",
    "geofinder.search",
    "geofinder.api",
    "geofinder.web",
    "geofinder.maps",
    "geofinder.exports",
]

MIDDLEWARE = [
    # First, so that every answer carries X-Request-ID and every log line of a request its id.
    "geofinder.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (API docs assets, later the map's) served by the app itself: no CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS answers for the API, from GEOFINDER_EMBED_ORIGINS only (before CommonMiddleware).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # No view accepts POST today (the API's are csrf-exempt anyway): protects any form to come.
    "django.middleware.csrf.CsrfViewMiddleware",
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
# No session is used today; the setting keeps any to come Secure.
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
