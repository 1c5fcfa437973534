"""Réglages des tests : ceux du projet, sur PostgreSQL et Redis, avec un hachage rapide et sans manifeste statique.

Named by pyproject.toml (pytest), `make test` / `make quality` (`manage.py check`, `makemigrations --check`), the
Celery worker of the job tests (tests/taches/reglages_worker.py) and the subprocesses the tests start. The base
module reads its environment variables: the tests' defaults are given to it here, before it is imported (a variable
already exported — DATABASE_URL for a private test database, REDIS_URL for a private Redis — wins)."""

import os
import tempfile
from pathlib import Path

DEFAUTS_DES_TESTS = {
    "SECRET_KEY": "insecure-tests-only-key-do-not-use-in-production-0123456789abcdef",
    "DATABASE_URL": "postgres://avenirpro:avenirpro@127.0.0.1:5432/avenirpro",
    "CONN_MAX_AGE": "0",
    "REDIS_URL": "redis://127.0.0.1:6379",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SITE_URL": "http://127.0.0.1:8000",
    "HTTPS": "false",
    "LOG_LEVEL": "WARNING",
    # Signed copies of the tests: a temporary directory, never the project's var/ (tests/documents: one per test).
    "DOCUMENTS_ROOT": str(Path(tempfile.gettempdir()) / "avenirpro-documents-tests"),
}
for _cle, _valeur in DEFAUTS_DES_TESTS.items():
    os.environ.setdefault(_cle, _valeur)

from avenirpro.settings import *  # noqa: E402, F403
from avenirpro.settings import INSTALLED_APPS, MIDDLEWARE, STORAGES  # noqa: E402

# Static files are served by the test server itself (no collectstatic, no manifest): pytest-django's live server
# serves them only when "django.contrib.staticfiles" is named as such in INSTALLED_APPS (the project's own
# AppConfig of that app only trims what collectstatic copies).
INSTALLED_APPS = [
    "django.contrib.staticfiles" if app == "avenirpro.statiques.FichiersStatiquesConfig" else app
    for app in INSTALLED_APPS
]
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A TOTP code computed by a test at the end of a 30-second window is still accepted in the next one.
MFA_TOTP_TOLERANCE = 1
