"""Redis faults (docs/scorecard.md): login, pages and saves keep working when the broker is stopped or hung."""

import time

import pytest
from django.urls import reverse

from avenirpro.models import TacheEnAttente
from avenirpro.taches import renvoyer_taches_en_attente
from tests.conftest import MOT_DE_PASSE
from tests.fiabilite.scorecard import consigner
from tests.matrice import construire_scenario

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def _parcours_complet(client, cast, s, django_capture_on_commit_callbacks):
    """Login through the real form, a page, healthz and a save that enqueues a task. Returns statuses and timings."""
    mesures = {}
    t = time.monotonic()
    r = client.post(reverse("account_login"), {"login": cast.chef_a.email, "password": MOT_DE_PASSE})
    mesures["connexion"] = (r.status_code, time.monotonic() - t)
    t = time.monotonic()
    r = client.get(reverse("accueil"))
    mesures["accueil"] = (r.status_code, time.monotonic() - t)
    t = time.monotonic()
    r = client.get("/healthz")
    mesures["healthz"] = (r.status_code, time.monotonic() - t)
    mesures["healthz_etat"] = r.json()
    t = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("rgpd:effacer", kwargs={"jeune_uuid": s.jeune_a.uuid}), {"confirmation": "on"})
    mesures["enregistrement"] = (r.status_code, time.monotonic() - t)
    return mesures


def test_redis_arrete_connexion_pages_et_enregistrements(
    cast, client, redis_prive, django_capture_on_commit_callbacks
):
    s = construire_scenario(cast)
    redis_prive.arreter()
    m = _parcours_complet(client, cast, s, django_capture_on_commit_callbacks)
    assert m["connexion"][0] == 302, "la connexion doit aboutir sans Redis (cache en base)"
    assert m["accueil"][0] == 200
    assert m["healthz"][0] == 200 and m["healthz_etat"] == {"database": "ok", "broker": "degraded"}
    assert m["enregistrement"][0] == 302
    s.jeune_a.refresh_from_db()
    assert s.jeune_a.nom == "ANONYME"  # the save happened
    attente = TacheEnAttente.objects.get()
    assert attente.nom == "avenirpro.tasks.notifier_effacement"
    # Redis back: the kept task is sent exactly once.
    redis_prive.demarrer()
    assert renvoyer_taches_en_attente() == 1
    assert renvoyer_taches_en_attente() == 0
    assert not TacheEnAttente.objects.exists()
    assert redis_prive.client(0).llen("celery") == 1
    cinq_cents = sum(1 for k, v in m.items() if isinstance(v, tuple) and v[0] >= 500)
    consigner(
        "redis_arrete",
        {
            "erreurs_5xx": cinq_cents,
            "statuts": {k: v[0] for k, v in m.items() if isinstance(v, tuple)},
            "taches_gardees": 1,
            "taches_renvoyees_une_fois": True,
        },
    )


def test_redis_gele_ne_bloque_pas_plus_de_2_secondes(cast, client, redis_prive, django_capture_on_commit_callbacks):
    s = construire_scenario(cast)
    redis_prive.geler()
    try:
        m = _parcours_complet(client, cast, s, django_capture_on_commit_callbacks)
    finally:
        redis_prive.degeler()
    durees = {k: round(v[1], 2) for k, v in m.items() if isinstance(v, tuple)}
    assert m["connexion"][0] == 302 and m["accueil"][0] == 200 and m["enregistrement"][0] == 302
    assert m["healthz"][0] == 200 and m["healthz_etat"]["broker"] == "degraded"
    assert TacheEnAttente.objects.count() == 1
    pire = max(durees.values())
    consigner("redis_gele", {"duree_max_s": pire, "durees_s": durees, "erreurs_5xx": 0})
    assert pire <= 2.0, durees
