"""Réglages d'AvenirPro+ : un seul module, piloté par des variables d'environnement (voir .env.example)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# Local state of one instance (SQLite of `make run`, collected static files, media by default): an application node
# of a multi-node deployment has its own (docs/deploiement.md), nothing in it is shared between nodes.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# The tests have their own module, avenirpro/settings_tests.py (PostgreSQL, Redis, fast hashing, no static manifest):
# nothing here guesses whether it runs under a test runner.
DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-dev-only-key-do-not-use-in-production-0123456789abcdef")
else:
    # No secret has a default outside DEBUG.
    SECRET_KEY = env("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est faux.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "avenirpro.statiques.FichiersStatiquesConfig",  # django.contrib.staticfiles, without the unused DSFR builds
    "django.contrib.postgres",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "csp",
    "avenirpro",
    "eleves",
    "entretiens",
    "parcours",
    # Feature apps (docs/architecture.md): above parcours, entretiens, eleves and the core.
    "tableaux",
    "rgpd",
    "administration",
    "notifications",
    "documents",
    "devenir",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for a counsellor's phone (issue 20): a dashboard is 34 KB of HTML, 7 KB gzipped. Django's
    # middleware pads the gzip header at random against BREACH, and the CSRF token is masked on every response.
    # Static files come compressed from the storage (WhiteNoise, below): a response already encoded is left as is.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "avenirpro.middleware.SessionExpiryMiddleware",
    "avenirpro.middleware.MfaObligatoireMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "avenirpro.urls"
WSGI_APPLICATION = "avenirpro.wsgi.application"

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
                "avenirpro.context_processors.site_config",
                "avenirpro.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite under var/ by default so that `make run` needs no server; PostgreSQL for tests (settings_tests).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if USING_POSTGRES:
    # A stuck lock or a runaway query fails fast instead of holding a web worker. The planner costs a random read
    # as on solid-state storage (PostgreSQL's default, 4, is for spinning disks, ADR 0027): a page of 50 rows then
    # reads its lycées and référents by index instead of hashing the whole table, whose cost grows with the country.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={env.int('PG_STATEMENT_TIMEOUT_MS', default=30000)} "
        f"-c lock_timeout={env.int('PG_LOCK_TIMEOUT_MS', default=10000)} "
        f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)} "
        # The few prepared statements (avenirpro/sql.py): PostgreSQL plans them for their parameters five times,
        # then keeps one plan for any parameters when it is not estimated dearer (`auto`, its default; ADR 0027,
        # complement of session 10). None of them may widen its scope with a flag (`%(tous)s OR ...`).
        f"-c plan_cache_mode={env.str('PG_PLAN_CACHE_MODE', default='auto')}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "avenirpro.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail login, no public sign-up (accounts are created by invitation), TOTP MFA.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "avenirpro.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    # Anonymous URLs whose secret token is the credential (the ICS feed): avenirpro.limites.
    "jeton_public": env("LIMITE_JETON_PUBLIC", default="30/m/ip"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# No public sign-up: an address is proven by the invitation it received. An address left unverified (an older
# account) must not keep an administrator or pilotage account out of the double authentication it is required to
# enrol (issue 13, F6).
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "AvenirPro+"
MFA_TOTP_TOLERANCE = 0

# Sessions: 30 minutes idle (extendable from the page), 12 hours absolute.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
# Our own French wording of a few allauth strings («double authentification», one term): locale/fr/LC_MESSAGES.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
# Built once per release (the image, `collectstatic`), read-only: nodes may read one copy (bench/bench_noeuds.py).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # In production WhiteNoise serves the hashed files, precompressed (brotli and gzip) at collectstatic.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Signed copies of the parcours' documents (ADR 0023): their own storage, never served by a public URL (downloads go
# through an access-checked view). File system under var/documents by default; any S3-compatible store (Scaleway,
# OVHcloud, Outscale, MinIO…) with DOCUMENTS_STOCKAGE=s3 and the DOCUMENTS_S3_* variables (docs/documents.md).
DOCUMENTS_STOCKAGE = env("DOCUMENTS_STOCKAGE", default="fichiers")
if DOCUMENTS_STOCKAGE == "s3":
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("DOCUMENTS_S3_BUCKET"),
            "endpoint_url": env("DOCUMENTS_S3_ENDPOINT", default=None),
            "region_name": env("DOCUMENTS_S3_REGION", default=None),
            "access_key": env("DOCUMENTS_S3_ACCESS_KEY", default=None),
            "secret_key": env("DOCUMENTS_S3_SECRET_KEY", default=None),
            "location": env("DOCUMENTS_S3_PREFIXE", default="documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            # The tests write in a temporary directory (settings_tests; tests/documents use one per test).
            "location": env.path("DOCUMENTS_ROOT", default=VAR_DIR / "documents"),
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
DOCUMENTS_TAILLE_MAX = env.int("DOCUMENTS_TAILLE_MAX", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# The default cache lives in the database: login rate limits and used TOTP codes keep working when Redis is down.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "avenirpro_cache",
        # Screens kept until their data change (avenirpro/cache_ecrans.py) and one version per lycée: room for a
        # national deployment, culled by a third beyond that.
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    },
}
# Dashboards and worklist kept in the cache until their data change (avenirpro/cache_ecrans.py, ADR 0007).
CACHE_ECRANS = env.bool("CACHE_ECRANS", default=True)
# The benchmark's reference pages and its «without cache» measurements (bench/run.py), never in production.
BENCH = env.bool("BENCH", default=False) and not DEBUG

# E-mail
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://127.0.0.1:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="AvenirPro+ <ne-pas-repondre@avenirpro.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Address of the site, for the links of notification e-mails (sent by workers, outside any request).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# Celery: the broker is built from REDIS_URL (never export CELERY_BROKER_URL: Celery reads it over everything).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = f"{REDIS_URL.rstrip('/')}/{env.int('REDIS_BROKER_DB', default=0)}"
    CELERY_RESULT_BACKEND = f"{REDIS_URL.rstrip('/')}/{env.int('REDIS_RESULT_DB', default=1)}"
    # A hung broker costs a request about 1 s before the task falls back to TacheEnAttente
    # (tests/fiabilite/test_redis.py measures it against a SIGSTOPped redis-server).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 1,
        "socket_connect_timeout": 1,
        "visibility_timeout": 3600,
        "max_retries": 0,  # publishing never loops on reconnects: TacheEnAttente takes over
    }
else:
    # Embedded default for `make run`: a file-based broker that a real worker and beat share across processes.
    _broker_dir = VAR_DIR / "broker"
    for _dossier in ("out", "processed", "control"):
        (_broker_dir / _dossier).mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Result backend (same Redis): a hung Redis must not hold a caller for the 120 s default.
CELERY_REDIS_SOCKET_TIMEOUT = 1
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Two queues (ADR 0011): «celery» for the quick tasks (e-mails, notifications, the deferred-job queue, beat's
# jobs) and «longues» for imports and background exports, so that a long file never holds up an e-mail. Production
# runs one worker per queue (docker-compose.yml, scripts/run.sh); a worker started without -Q listens to both.
FILE_TACHES_LONGUES = "longues"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue(FILE_TACHES_LONGUES))
CELERY_TASK_ROUTES = {
    nom: {"queue": FILE_TACHES_LONGUES}
    for nom in ("eleves.tasks.analyser_import", "eleves.tasks.ecrire_import", "avenirpro.tasks.produire_export")
}
# Time limits of the long tasks (seconds): at the soft limit the task records a French failure and stops; at the
# hard limit the worker kills its child. An import of LIGNES_MAX rows takes well under a minute.
IMPORT_DUREE_MAX_DOUCE = env.int("IMPORT_DUREE_MAX_DOUCE", default=300)
IMPORT_DUREE_MAX = env.int("IMPORT_DUREE_MAX", default=360)
EXPORT_DUREE_MAX_DOUCE = env.int("EXPORT_DUREE_MAX_DOUCE", default=1800)
EXPORT_DUREE_MAX = env.int("EXPORT_DUREE_MAX", default=1860)
CELERY_BEAT_SCHEDULE = {
    "balayage-quotidien": {"task": "parcours.tasks.balayage_quotidien", "schedule": crontab(hour=6, minute=30)},
    "vider-file-taches": {"task": "avenirpro.tasks.vider_file_taches", "schedule": 60.0},
    "retention-rgpd": {"task": "avenirpro.tasks.appliquer_retention", "schedule": crontab(hour=3, minute=15)},
    "purge-exports": {"task": "avenirpro.tasks.purger_exports", "schedule": crontab(minute=20)},
    # The protected pilotage table (ADR 0010), kept warm in the cache: every minute, cache of 15 minutes. A run
    # not started within the minute is dropped (the next one does the same work): no backlog after an outage.
    "precalcul-pilotage": {
        "task": "avenirpro.tasks.precalculer_pilotage",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# Security headers. HTTPS settings follow DEBUG so that `check --deploy` is clean in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_https = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_COOKIE_HTTPONLY = True
# The refusal of a form whose CSRF token no longer matches: a French page in the site's layout (avenirpro/views.py).
CSRF_FAILURE_VIEW = "avenirpro.views.erreur_csrf"

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

DSFR_MARK_OPTIONAL_FIELDS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Personal data retention (RGPD), in days.
RETENTION_INACTIVITE_APRES_SORTIE_JOURS = env.int("RETENTION_INACTIVITE_APRES_SORTIE_JOURS", default=730)
RETENTION_PREAVIS_JOURS = 30
RETENTION_JOURNAUX_JOURS = 365

# Exports of the lists (ADR 0008): beyond this many rows a Celery worker prepares the file behind a progress page,
# which it updates every EXPORT_PAS_PROGRESSION rows; the file is purged after EXPORT_CONSERVATION_HEURES.
EXPORT_SEUIL_ARRIERE_PLAN = env.int("EXPORT_SEUIL_ARRIERE_PLAN", default=5000)
EXPORT_PAS_PROGRESSION = env.int("EXPORT_PAS_PROGRESSION", default=500)
EXPORT_CONSERVATION_HEURES = 24
# Background exports waiting or in progress at once for one user (ADR 0011): beyond, a French refusal.
EXPORTS_SIMULTANES_MAX = env.int("EXPORTS_SIMULTANES_MAX", default=3)
