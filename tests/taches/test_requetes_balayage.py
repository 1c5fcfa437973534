"""The sweep's query count does not grow with the number of parcours in a batch."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours.balayage import CLE_DERNIER_PASSAGE, balayer
from parcours.models import PFMP, PointSuivi, Presence
from tests.eleves.factories import ReperageFactory
from tests.horloge import AUJOURDHUI
from tests.taches.factories import Lycee

pytestmark = pytest.mark.django_db


def _peupler(ly, n):
    """n parcours that each trip every check: J-15, no point, no bilan, absences, PFMP over the cap, plus
    n young people not contacted."""
    lundi = AUJOURDHUI - datetime.timedelta(days=AUJOURDHUI.weekday())
    vieux = timezone.now() - datetime.timedelta(days=30)
    for _ in range(n):
        i = ly.parcours(fin_dans=15, duree=100)
        PointSuivi.objects.create(inscription=i, date=i.date_entree, contenu="premier point")
        PFMP.objects.create(inscription=i, entreprise="Garage", date_debut=i.date_entree, date_fin=i.date_fin_prevue)
        for k in range(ly.campagne.seuil_absences_semaine + 1):
            Presence.objects.create(
                inscription=i,
                date=lundi - datetime.timedelta(days=7 - k // 2),
                periode=["matin", "apres_midi"][k % 2],
                statut="absent_justifie",
            )
        ReperageFactory(jeune__etablissement=ly.lycee, campagne=ly.campagne, importe_le=vieux)


def _requetes(n, taille_lot=100):
    """Queries of one sweep over n parcours; everything is rolled back afterwards."""
    with transaction.atomic():
        ly = Lycee(n)
        _peupler(ly, n)
        cache.delete(CLE_DERNIER_PASSAGE)
        with CaptureQueriesContext(connection) as ctx:
            comptes = balayer(taille_lot=taille_lot, rappels=False)
        transaction.set_rollback(True)
    assert comptes["parcours"] == n and comptes["limite_J15"] == n and comptes["pfmp_depassements"] == n
    assert comptes["sans_point_suivi"] == n and comptes["bilan_non_planifie"] == n and comptes["absences"] == n
    return len(ctx.captured_queries), comptes


def test_meme_nombre_de_requetes_pour_1_et_50_parcours():
    un, _ = _requetes(1)
    cinquante, comptes = _requetes(50)
    assert comptes["lots"] == 1
    assert un == cinquante, (un, cinquante)


def test_chaque_lot_coute_un_nombre_fixe_de_requetes():
    un_lot, _ = _requetes(20, taille_lot=20)
    deux_lots, _ = _requetes(20, taille_lot=10)
    quatre_lots, comptes = _requetes(20, taille_lot=5)
    assert comptes["lots"] == 4
    par_lot = deux_lots - un_lot
    assert 0 < par_lot <= 20  # two passes (deadlines, PFMP), each a select, a bulk update, bulk notifications
    assert quatre_lots - deux_lots == 2 * par_lot
