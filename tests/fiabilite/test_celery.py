"""Celery faults (docs/scorecard.md) with a real worker on a private Redis."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fiabilite.scorecard import consigner

pytestmark = [pytest.mark.services]
RACINE = Path(__file__).resolve().parents[2]


def _attendre(condition, delai: float, pas: float = 0.1):
    limite = time.monotonic() + delai
    while time.monotonic() < limite:
        valeur = condition()
        if valeur:
            return valeur
        time.sleep(pas)
    return None


def _demarrer_worker(redis_prive):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        REDIS_URL=redis_prive.url,
        REDIS_BROKER_DB="0",
        REDIS_RESULT_DB="1",
        EXERCICE_COMPTEURS=f"{redis_prive.url}/2",
        DJANGO_SETTINGS_MODULE="avenirpro.settings_tests",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.fiabilite.app_exercice",
            "worker",
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_worker_tue_puis_redis_redemarre(redis_prive):
    from avenirpro.celery import app

    compteurs = redis_prive.client(2)
    worker = _demarrer_worker(redis_prive)
    try:
        # CE-01: SIGKILL the pool process in the middle of a task; acks_late + reject_on_worker_lost redeliver it.
        app.send_task("exercice.dormir_puis_compter", args=["ce01", 1.0], ignore_result=True)
        pid = _attendre(lambda: compteurs.lindex("ce01:debuts", 0), 60)
        assert pid, "le worker n'a pas pris la tâche"
        os.kill(int(pid), signal.SIGKILL)
        tue_a = time.monotonic()
        assert _attendre(lambda: compteurs.get("ce01"), 60), "tâche perdue après la mort du processus"
        reprise_s = time.monotonic() - tue_a
        time.sleep(1.0)
        effets = int(compteurs.get("ce01"))
        debuts = compteurs.llen("ce01:debuts")
        assert effets == 1, f"{effets} effets pour une tâche"
        assert debuts == 2  # the killed attempt, then the redelivered one

        # CE-04: Redis stopped while the worker is idle, restarted: the worker reconnects and takes new tasks.
        redis_prive.arreter()
        time.sleep(2)
        redis_prive.demarrer()
        redemarre_a = time.monotonic()
        compteurs = redis_prive.client(2)
        from tests.fiabilite.conftest import _vider_pools

        _vider_pools(app)
        app.send_task("exercice.dormir_puis_compter", args=["ce04", 0.1], ignore_result=True)
        assert _attendre(lambda: compteurs.get("ce04"), 60), "le worker ne s'est pas reconnecté à Redis"
        reconnexion_s = time.monotonic() - redemarre_a
        assert worker.poll() is None, "le worker s'est arrêté"
    finally:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)
    consigner(
        "celery",
        {
            "exercices_de_mort_du_worker": 1,
            "taches_perdues": 0,
            "effets_en_double": effets - 1,
            "reprise_apres_mort_s": round(reprise_s, 1),
            "reconnexion_apres_redemarrage_redis_s": round(reconnexion_s, 1),
        },
    )
