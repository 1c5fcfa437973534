"""Real services for the job tests: a private redis-server on a free port and a real Celery worker subprocess
pointed at pytest-django's test database. Never the shared Redis: it may be stopped here."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.redis_prive import RedisPrive  # noqa: F401  (re-exported for the job tests)

RACINE = Path(__file__).resolve().parents[2]


def pointer_celery_vers(url: str):
    """Point the test process's Celery app (used by avenirpro.taches.envoyer) at `url`; returns a restore function."""
    from avenirpro.celery import app

    ancien = {"broker_url": app.conf.broker_url, "result_backend": app.conf.result_backend}
    app.conf.update(broker_url=f"{url}/0", result_backend=f"{url}/1")
    app._after_fork()  # forget the pooled connections to the old broker

    def restaurer():
        app.conf.update(**ancien)
        app._after_fork()

    return restaurer


class Worker:
    """`python -m celery -A avenirpro worker` (prefork, one child) on the private Redis and the test database."""

    def __init__(self, redis: RedisPrive, courriels: Path, **env):
        self.redis = redis
        self.courriels = courriels
        self.env_en_plus = env
        self.proc = None
        self.journal = courriels.parent / f"worker-{redis.port}.log"
        self.nom = f"test-{redis.port}"  # several workers on one Redis (tests/noeuds) get a name and journal each

    def env(self) -> dict:
        db = settings.DATABASES["default"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "PYTEST", "DJANGO_"))}
        env.update(
            DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{connection.settings_dict['NAME']}",
            REDIS_URL=self.redis.url,
            REDIS_BROKER_DB="0",
            REDIS_RESULT_DB="1",
            DJANGO_SETTINGS_MODULE="tests.taches.reglages_worker",
            COURRIELS_DOSSIER=str(self.courriels),
            COURRIEL_PAUSE="30",
            PYTHONPATH=str(RACINE),
            HORLOGE_TESTS=timezone.now().isoformat(),
        )
        env.update(self.env_en_plus)
        return env

    def demarrer(self, timeout=60):
        debut = self.journal.stat().st_size if self.journal.exists() else 0
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "avenirpro",
                "worker",
                "-P",
                "prefork",
                "-c",
                "1",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.nom}@localhost",
            ],
            cwd=RACINE,
            env=self.env(),
            start_new_session=True,  # its own process group: the test can kill this worker and its children only
            stdout=open(self.journal, "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        limite = time.monotonic() + timeout
        while time.monotonic() < limite:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Le worker s'est arrêté : {self.journal.read_text()[-3000:]}")
            if b"ready." in self.journal.read_bytes()[debut:]:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"Le worker n'est pas prêt : {self.journal.read_text()[-3000:]}")

    def tuer(self):
        """SIGKILL the worker's main process and its pool children (its own process group), no warm shutdown."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None

    def arreter(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


def attendre(condition, timeout=30, pas=0.2, message="condition non remplie"):
    limite = time.monotonic() + timeout
    while time.monotonic() < limite:
        valeur = condition()
        if valeur:
            return valeur
        time.sleep(pas)
    raise AssertionError(f"{message} après {timeout} s")
