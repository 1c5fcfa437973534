"""Screens kept in the cache (avenirpro/cache_ecrans.py, ADR 0007): served again while nothing changed, computed
again as soon as a write to the lycée's data commits — through model signals and through the bulk writes that
bypass them (import, sweep, invitations, attendance of a meeting)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avenirpro import cache_ecrans
from eleves.importation import appliquer
from entretiens.models import Reunion
from entretiens.services import inviter_jeunes
from parcours.balayage import balayer_parcours
from parcours.models import Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.eleves.fichiers import csv_octets, ligne
from tests.parcours.factories import InscriptionFactory

# Committed for real, as in production: every on-commit callback runs (a test transaction would hold back those
# registered before a capture block).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def en_cache(settings):
    settings.CACHE_ECRANS = True


def _get(client, nom):
    with CaptureQueriesContext(connection) as q:
        rep = client.get(reverse(nom))
    assert rep.status_code == 200
    calcule = any("eleves_reperage" in r["sql"] for r in q.captured_queries)
    return rep, calcule


def test_servi_du_cache_puis_recalcule_apres_une_ecriture(cast, client_de, en_cache):
    c = client_de(cast.chef_a)
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    rep, calcule = _get(c, "tableaux:chef")
    assert calcule and rep.context["c"]["identifies"] == 1
    rep2, calcule = _get(c, "tableaux:chef")
    assert not calcule  # nothing changed: the main block comes from the cache
    assert "c" not in rep2.context and "Tableau de bord" in rep2.content.decode()

    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    rep3, calcule = _get(c, "tableaux:chef")
    assert calcule and rep3.context["c"]["identifies"] == 2


def test_une_ecriture_dans_un_autre_lycee_ne_vide_pas_le_cache(cast, client_de, en_cache):
    c = client_de(cast.chef_a)
    _get(c, "tableaux:chef")
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_b), campagne=cast.campagne)
    assert not _get(c, "tableaux:chef")[1]


def test_chaque_utilisateur_a_son_propre_fragment(cast, client_de, en_cache):
    _get(client_de(cast.chef_a), "tableaux:chef")
    rep, _ = client_de(cast.chef_b).get(reverse("tableaux:chef")), None
    assert "Lycée B" in rep.content.decode() and "Lycée A" not in rep.content.decode()


def test_une_transaction_annulee_ne_bloque_pas_les_suivantes(cast):
    avant = cache_ecrans.versions([cast.lycee_a.pk])
    try:
        with transaction.atomic():
            ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
            raise RuntimeError("annulée")
    except RuntimeError:
        pass
    assert cache_ecrans.versions([cast.lycee_a.pk]) == avant  # rolled back: nothing to invalidate
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    assert cache_ecrans.versions([cast.lycee_a.pk]) != avant


def test_une_version_evincee_ne_ramene_jamais_un_ancien_fragment(cast):
    from django.core.cache import cache

    avant = cache_ecrans.versions([cast.lycee_a.pk])
    cache.delete(cache_ecrans.CLE_VERSION.format(cast.lycee_a.pk))
    assert cache_ecrans.versions([cast.lycee_a.pk]) != avant


def test_une_ecriture_a_l_echelle_de_la_campagne_change_tous_les_ecrans(cast):
    avant = cache_ecrans.versions([cast.lycee_a.pk])
    cast.campagne.nom = "Session renommée"
    cast.campagne.save()
    assert cache_ecrans.versions([cast.lycee_a.pk]) != avant


def test_l_import_invalide_le_lycee(cast):
    avant = cache_ecrans.versions([cast.lycee_a.pk])
    appliquer(csv_octets([ligne(i) for i in range(1, 4)]), etablissement=cast.lycee_a, campagne=cast.campagne)
    assert cache_ecrans.versions([cast.lycee_a.pk]) != avant


def test_le_balayage_invalide_les_lycees_des_parcours_passes_a_cloturer(cast):
    i = InscriptionFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne, statut=Inscription.Statut.EN_COURS
    )
    avant = cache_ecrans.versions([cast.lycee_a.pk])
    balayer_parcours(aujourdhui=i.date_fin_prevue + datetime.timedelta(days=1), chefs={})
    i.refresh_from_db()
    assert i.statut == Inscription.Statut.A_CLOTURER
    assert cache_ecrans.versions([cast.lycee_a.pk]) != avant


def test_les_invitations_en_nombre_invalident_le_lycee(cast):
    reunion = Reunion.objects.create(
        campagne=cast.campagne,
        etablissement=cast.lycee_a,
        mission_locale=cast.ml_a,
        debut=datetime.datetime(2026, 9, 10, 14, tzinfo=datetime.UTC),
        lieu="Salle",
    )
    jeunes = [JeuneFactory(etablissement=cast.lycee_a) for _ in range(3)]
    avant = cache_ecrans.versions([cast.lycee_a.pk])
    inviter_jeunes(reunion=reunion, jeunes=jeunes)
    assert cache_ecrans.versions([cast.lycee_a.pk]) != avant


def test_sans_cache_hors_banc_l_entete_du_banc_est_ignoree(cast, client_de, en_cache, settings):
    settings.BENCH = False
    c = client_de(cast.chef_a)
    _get(c, "tableaux:chef")
    with CaptureQueriesContext(connection) as q:
        c.get(reverse("tableaux:chef"), HTTP_X_BENCH_SANS_CACHE="1")
    assert not any("eleves_reperage" in r["sql"] for r in q.captured_queries)


def test_une_ecriture_sur_beaucoup_de_lycees_change_la_version_globale(cast):
    from django.db import transaction

    from tests.avenirpro.factories import EtablissementFactory

    lycees = [EtablissementFactory() for _ in range(cache_ecrans.MAX_LYCEES_PAR_ECRITURE + 1)]
    avant = cache_ecrans.versions([cast.lycee_a.pk])
    with CaptureQueriesContext(connection) as q, transaction.atomic():
        cache_ecrans.perimer([lyc.pk for lyc in lycees])
    assert cache_ecrans.versions([cast.lycee_a.pk]) != avant  # lycée A was not among them: the global key moved
    assert len(q.captured_queries) < 10


def test_les_participants_d_un_entretien_invalident_son_lycee(cast):
    from tests.entretiens.factories import EntretienFactory

    e = EntretienFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    avant = cache_ecrans.versions([cast.lycee_a.pk])
    e.participants.add(cast.conseiller_a)
    apres = cache_ecrans.versions([cast.lycee_a.pk])
    assert apres != avant
    e.participants.remove(cast.conseiller_a)
    assert cache_ecrans.versions([cast.lycee_a.pk]) != apres
