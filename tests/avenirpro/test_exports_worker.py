"""Background exports through the real path: the view enqueues after commit (avenirpro.taches.envoyer) on the test
Redis, a real Celery worker writes the file in the test database, the page and the download follow."""

import contextlib
import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from avenirpro.exports import MESSAGE_ACCES_PERDU
from avenirpro.models import Affectation, ExportFichier, JournalAcces
from tests.avenirpro.test_exports import URL_CSV, URL_XLSX, _jeunes

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def worker():
    from celery.contrib.testing.worker import start_worker

    from avenirpro.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
        yield w


def _attendre_fin(fichier, delai=60):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        fichier.refresh_from_db()
        if not fichier.en_cours:
            return fichier
        time.sleep(0.2)
    raise AssertionError(f"export {fichier.statut} à {fichier.progression} % après {delai} s")


def test_le_worker_prepare_le_fichier_que_l_export_direct_aurait_donne(cast, client_de, settings):
    _jeunes(cast, 45, diplome="bac_pro")
    _jeunes(cast, 5, diplome="cap")
    c = client_de(cast.chef_a)
    settings.EXPORT_SEUIL_ARRIERE_PLAN = 1000
    direct = c.get(URL_CSV, {"diplome": "bac_pro"}).getvalue()
    settings.EXPORT_SEUIL_ARRIERE_PLAN = 10
    settings.EXPORT_PAS_PROGRESSION = 10

    rep = c.post(URL_CSV + "?diplome=bac_pro")
    fichier = ExportFichier.objects.get()
    assert rep["Location"] == reverse("exports:detail", kwargs={"uuid": fichier.uuid})
    assert fichier.statut == "en_attente"  # no worker yet: the job waits in Redis
    with worker():
        _attendre_fin(fichier)
    assert fichier.statut == "termine" and fichier.nombre_lignes == 45 and fichier.progression == 100
    assert bytes(fichier.contenu) == direct

    page = c.get(rep["Location"]).content.decode()
    lien = reverse("exports:telecharger", kwargs={"uuid": fichier.uuid})
    assert f'href="{lien}"' in page and "Le fichier est prêt (45 lignes)" in page
    assert c.get(lien).content == direct
    assert (
        JournalAcces.objects.filter(utilisateur=cast.chef_a, action="export", nombre=45).count() == 2
    )  # direct + file


def test_le_worker_refuse_un_export_dont_le_demandeur_a_perdu_l_acces(cast, client_de, settings):
    _jeunes(cast, 12)
    settings.EXPORT_SEUIL_ARRIERE_PLAN = 10
    c = client_de(cast.chef_a)
    c.post(URL_XLSX)
    fichier = ExportFichier.objects.get()
    hier = timezone.localdate() - datetime.timedelta(days=1)
    Affectation.objects.filter(utilisateur=cast.chef_a).update(date_debut=hier, date_fin=hier)
    with worker():
        _attendre_fin(fichier)
    assert fichier.statut == "echec" and fichier.message == MESSAGE_ACCES_PERDU and fichier.contenu is None
