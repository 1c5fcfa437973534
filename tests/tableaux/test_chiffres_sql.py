"""The dashboards' figures in one SQL statement (`chiffres_par_lycee`) are the figures of the seven ORM aggregates
(`chiffres_orm`, the reference kept for the groupings and other databases): same counts, same average duration, for
a chef's lycée, several lycées together, and every lycée by lycée — on data where the
statuses, results, typologies, exits and attendance vary from one young person to the next."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eleves.models import Reperage
from entretiens.models import Invitation
from parcours.models import PFMP, Inscription, Presence
from tableaux.statistiques import CHAMPS_COMPTES, chiffres, chiffres_orm, chiffres_par_lycee
from tests.tableaux.donnees import peupler

pytestmark = pytest.mark.django_db

CHAMPS = [*CHAMPS_COMPTES, "duree_moyenne_jours", "taux_assiduite"]


def _varier(cast):
    """Lycée A: 7 parcours, lycée B: 4, every figure of the screens moved away from the uniform fixture."""
    a = peupler(cast, 7)
    b = peupler(cast, 4, lycee=cast.lycee_b, referent=None, conseiller=cast.conseiller_b)
    jour = timezone.localdate()
    statuts = ["sortie", "sortie", "en_preparation", "a_cloturer", "en_cours", "sortie", "en_preparation"]
    situations = ["emploi", "formation", "", "", "", "emploi", ""]
    for n, (i, statut, situation) in enumerate(zip(a, statuts, situations, strict=True)):
        Inscription.objects.filter(pk=i.pk).update(
            statut=statut,
            mef="apro_plus_4" if n % 2 else "apro_plus_3",
            date_sortie=i.date_entree + datetime.timedelta(days=20 + 7 * n) if statut == "sortie" else None,
            situation_sortie=situation,
            motif_sortie="solution_avant_terme" if statut == "sortie" else "",
            date_entree=jour + datetime.timedelta(days=3) if n == 6 else i.date_entree,
            referent=None if n == 3 else i.referent,
        )
    reperages = list(Reperage.objects.filter(jeune__etablissement=cast.lycee_a).order_by("pk"))
    typologies = [t.value for t in Reperage.Typologie]
    for n, r in enumerate(reperages):
        Reperage.objects.filter(pk=r.pk).update(
            typologie=typologies[n % len(typologies)],
            statut_contact="a_contacter" if n % 3 == 0 else "contacte",
            resultat="ajourne" if n % 2 else "admis",
            importe_le=timezone.now() - datetime.timedelta(days=40 if n % 4 == 0 else 1),
        )
    Invitation.objects.filter(jeune__in=[i.jeune for i in a[:3]]).update(presence="absent")
    PFMP.objects.filter(inscription__in=a[:2]).update(depassement_signale=False)
    lundi = jour - datetime.timedelta(days=jour.weekday())
    for n, i in enumerate(a + b):
        Presence.objects.create(
            inscription=i,
            date=lundi,
            periode="apres_midi",
            statut=["present", "retard", "absent_justifie"][n % 3],
        )
    return a, b


def _identiques(sql: dict, orm: dict):
    assert set(sql) == set(orm)
    for cle in orm:
        assert {c: sql[cle][c] for c in CHAMPS} == {c: orm[cle][c] for c in CHAMPS}, cle


def test_le_chef_un_ou_plusieurs_lycees_et_le_tableau_national_donnent_les_chiffres_de_l_orm(cast):
    _varier(cast)
    for portee in (
        {"pk__in": [cast.lycee_a.pk]},
        {"pk__in": [cast.lycee_b.pk]},
        {"pk__in": [cast.lycee_a.pk, cast.lycee_b.pk]},
    ):
        _identiques(chiffres(cast.campagne, portee), chiffres_orm(cast.campagne, portee))
    # Every lycée at once (the statement also serves a national table) and two lycées by id.
    _identiques(chiffres_par_lycee(cast.campagne, None), chiffres_orm(cast.campagne, {}, "lycee"))
    _identiques(
        chiffres_par_lycee(cast.campagne, [cast.lycee_a.pk, cast.lycee_b.pk]), chiffres_orm(cast.campagne, {}, "lycee")
    )
    c = chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    # A few figures by hand, so that both paths cannot be wrong together.
    assert (c["sortis"], c["situation_emploi"], c["situation_formation"], c["en_preparation"]) == (3, 2, 1, 2)
    assert c["duree_moyenne_jours"] == round((20 + 27 + 55) / 3)
    assert c["en_preparation_depassee"] == 1 and c["sans_referent"] == 1 and c["a_cloturer"] == 1


def test_un_lycee_sans_aucune_donnee_et_une_campagne_vide(cast):
    vide = chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    assert vide == chiffres_orm(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    assert vide["identifies"] == 0 and vide["duree_moyenne_jours"] is None and vide["taux_assiduite"] is None
    assert chiffres_par_lycee(cast.campagne, None) == {} == chiffres_orm(cast.campagne, {}, "lycee")


def test_les_chiffres_du_chef_en_une_seule_requete(cast):
    _varier(cast)
    with CaptureQueriesContext(connection) as ctx:
        chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})
    assert len(ctx.captured_queries) == 1
