"""PostgreSQL faults (docs/scorecard.md): a runaway query and a lock wait fail fast instead of holding a worker."""

import threading
import time

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction

from avenirpro.models import Campagne
from tests.fiabilite.scorecard import consigner

pytestmark = pytest.mark.django_db


def _reglage(nom: str) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SHOW {nom}")
        return cur.fetchone()[0]


def test_delais_configures_sur_chaque_connexion():
    options = settings.DATABASES["default"]["OPTIONS"]["options"]
    assert "statement_timeout=" in options and "lock_timeout=" in options
    assert _reglage("statement_timeout") not in ("0", "")
    assert _reglage("lock_timeout") not in ("0", "")


def test_requete_trop_longue_annulee_puis_connexion_reutilisable():
    t = time.monotonic()
    with pytest.raises(OperationalError) as exc:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL statement_timeout = '300ms'")
            cur.execute("SELECT pg_sleep(5)")
    # (under pytest-django the test runs in a transaction: the savepoint rolled back, the outer one is intact)
    duree = time.monotonic() - t
    assert "statement timeout" in str(exc.value)
    assert duree < 2
    # The connection is still usable after the cancellation.
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    consigner("pg_statement_timeout", {"ok": True, "annulee_apres_s": round(duree, 2)})


def test_attente_de_verrou_limitee():
    dsn = settings.DATABASES["default"]
    verrou_pris = threading.Event()
    relacher = threading.Event()

    def tenir_le_verrou():
        with psycopg.connect(
            host=dsn["HOST"], port=dsn["PORT"], user=dsn["USER"], password=dsn["PASSWORD"], dbname=dsn["NAME"]
        ) as c:
            with c.transaction():
                # Another session holds the table (e.g. a long migration or a stuck admin transaction).
                c.execute("LOCK TABLE avenirpro_campagne IN ACCESS EXCLUSIVE MODE")
                verrou_pris.set()
                relacher.wait(10)

    fil = threading.Thread(target=tenir_le_verrou)
    fil.start()
    try:
        assert verrou_pris.wait(5)
        t = time.monotonic()
        with pytest.raises(OperationalError) as exc:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '300ms'")
                list(Campagne.objects.select_for_update().filter(pk=1))
        duree = time.monotonic() - t
    finally:
        relacher.set()
        fil.join(10)
    assert "lock timeout" in str(exc.value)
    assert duree < 2
    consigner("pg_lock_timeout", {"ok": True, "echec_apres_s": round(duree, 2)})
