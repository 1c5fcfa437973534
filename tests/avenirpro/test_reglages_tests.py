"""The tests run on their own settings module (avenirpro/settings_tests.py): the project's settings never guess that
they run under a test runner (issue 15)."""

import ast
import os
import subprocess
import sys

from django.conf import settings


def test_les_tests_tournent_sur_leurs_propres_reglages():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "avenirpro.settings_tests"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE


def test_les_reglages_du_projet_ne_devinent_pas_les_tests():
    arbre = ast.parse((settings.BASE_DIR / "avenirpro" / "settings.py").read_text())
    noms = {n.id for n in ast.walk(arbre) if isinstance(n, ast.Name)}
    chaines = {n.value for n in ast.walk(arbre) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert "TESTING" not in noms and "sys" not in noms and "pytest" not in chaines


def test_les_reglages_du_projet_hors_tests():
    """Without the tests' module, a DEBUG run (`make run`) keeps SQLite, the file broker, no HTTPS redirect."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.SECURE_SSL_REDIRECT, s.MFA_TOTP_TOLERANCE, "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "avenirpro.settings"}
    r = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, check=True
    )
    assert r.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "False", "0", "True"]
