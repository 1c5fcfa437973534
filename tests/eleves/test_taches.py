"""A large file goes through Celery: a real Redis and a real worker, the page polls the import record."""

import io
import time

import pytest
from django.urls import reverse

from eleves.models import ImportEleves, Jeune
from eleves.views import SEUIL_INLINE
from tests.eleves.fichiers import csv_octets, ligne

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    from avenirpro.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
        yield w


def _attendre(imp, statuts, delai=90):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        imp.refresh_from_db()
        if imp.statut in statuts:
            return imp
        time.sleep(0.3)
    raise AssertionError(f"statut {imp.statut} après {delai} s")


def test_gros_fichier_analyse_puis_ecrit_par_le_worker(cast, client_de, worker):
    contenu = csv_octets([ligne(i) for i in range(1, 2501)] + [ligne(3000, INE="mauvais")])
    assert len(contenu) > SEUIL_INLINE
    c = client_de(cast.chef_a)
    f = io.BytesIO(contenu)
    f.name = "gros.csv"
    rep = c.post(reverse("eleves:importer"), {"fichier": f, "etablissement": cast.lycee_a.pk,
                                              "campagne": cast.campagne.pk})  # fmt: skip
    assert rep.status_code == 302
    imp = ImportEleves.objects.get()
    page = c.get(rep["Location"]).content.decode()
    assert "import_progression.js" in page or imp.statut != "en_attente"
    imp = _attendre(imp, {"pret", "echec"})
    assert imp.statut == "pret" and imp.apercu["nouveaux"] == 2500 and imp.apercu["en_erreur"] == 1
    assert not Jeune.objects.exists()
    c.post(reverse("eleves:import_confirmer", args=[imp.uuid]), {"valides_seulement": "on"})
    assert c.get(reverse("eleves:import_etat", args=[imp.uuid])).json()["en_cours"] in (True, False)
    imp = _attendre(imp, {"termine", "echec"})
    assert imp.statut == "termine", imp.message
    assert Jeune.objects.count() == 2500
