"""Long tasks kept apart (issue #13, F3; ADR 0011): a per-user cap on background exports, time limits on the
import and export tasks, and their own queue."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from avenirpro.celery import app
from avenirpro.models import ExportFichier
from avenirpro.tasks import envoyer_courriels, produire_export, vider_file_taches
from eleves.models import ImportEleves
from eleves.tasks import _marquer_echec, analyser_import_tache, ecrire_import_tache
from tests.avenirpro.test_exports import URL_CSV, URL_XLSX, _demander, _jeunes

pytestmark = pytest.mark.django_db


@pytest.fixture
def seuil_bas(settings):
    settings.EXPORT_SEUIL_ARRIERE_PLAN = 3
    settings.EXPORTS_SIMULTANES_MAX = 2
    return settings


def test_au_dela_du_plafond_d_exports_en_preparation_un_refus_en_francais(cast, client_de, seuil_bas):
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    _demander(c, URL_CSV)
    _demander(c, URL_XLSX)
    rep = c.post(URL_CSV + "?diplome=cap")  # distinct filters: not the same export again
    assert rep.status_code == 429
    page = rep.content.decode()
    assert "Trop d&#x27;exports en préparation" in page or "Trop d'exports en préparation" in page
    assert "Vous avez déjà 2 exports en préparation (2 au plus à la fois)" in page
    assert ExportFichier.objects.filter(proprietaire=cast.chef_a).count() == 2
    # Another user is not held by the first one's exports.
    _jeunes(cast, 4, lycee=cast.lycee_b)
    _demander(client_de(cast.chef_b), URL_CSV)
    # One finished: room for one more.
    produire_export(ExportFichier.objects.filter(proprietaire=cast.chef_a).first().pk)
    _demander(c, URL_CSV, "diplome=cap")


def test_un_export_abandonne_depuis_longtemps_ne_compte_plus(cast, client_de, seuil_bas):
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    vieux = [_demander(c, URL_CSV), _demander(c, URL_XLSX)]
    ExportFichier.objects.filter(pk__in=[f.pk for f in vieux]).update(
        cree_le=timezone.now() - datetime.timedelta(seconds=2 * settings.EXPORT_DUREE_MAX + 60)
    )
    _demander(c, URL_CSV, "diplome=cap")


def test_les_taches_d_import_et_d_export_ont_une_limite_de_temps():
    for tache in (analyser_import_tache, ecrire_import_tache):
        assert tache.soft_time_limit == settings.IMPORT_DUREE_MAX_DOUCE
        assert tache.time_limit == settings.IMPORT_DUREE_MAX
        assert 0 < tache.soft_time_limit < tache.time_limit
    assert produire_export.soft_time_limit == settings.EXPORT_DUREE_MAX_DOUCE
    assert 0 < produire_export.soft_time_limit < produire_export.time_limit == settings.EXPORT_DUREE_MAX


def test_imports_et_exports_vont_dans_la_file_des_taches_longues_les_autres_non():
    def file_de(tache):
        return app.amqp.router.route({}, tache.name)["queue"].name

    for tache in (analyser_import_tache, ecrire_import_tache, produire_export):
        assert file_de(tache) == settings.FILE_TACHES_LONGUES == "longues"
    for tache in (envoyer_courriels, vider_file_taches):
        assert file_de(tache) == "celery"
    # A worker started without -Q (the tests' workers) listens to both queues.
    assert {q.name for q in app.amqp.queues.values()} == {"celery", "longues"}


def test_un_import_arrete_par_la_limite_de_temps_dit_pourquoi_en_francais(cast):
    imp = ImportEleves.objects.create(
        etablissement=cast.lycee_a,
        campagne=cast.campagne,
        auteur=cast.chef_a,
        nom_fichier="lent.csv",
        contenu=b"INE\n",
        statut=ImportEleves.Statut.ANALYSE,
    )
    _marquer_echec(imp.pk, SoftTimeLimitExceeded())
    imp.refresh_from_db()
    assert imp.statut == ImportEleves.Statut.ECHEC
    assert imp.message.startswith("Import interrompu : le fichier n'a pas pu être traité en 5 minutes.")
    assert "Rien n'a été enregistré" in imp.message
