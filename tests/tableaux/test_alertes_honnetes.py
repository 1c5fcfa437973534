"""Screens that do not mislead (référent and counsellor): an overdue point is flagged, «no point for 14 days» counts
from the entry for a new parcours, a parcours still «en préparation» after its entry date raises an alert; and the
invitation screen says what its status filter hides."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from parcours.models import PointSuivi
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.entretiens.factories import ReunionFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
AUJOURDHUI = datetime.date(2026, 11, 18)
heure = time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=PARIS), tick=False)


def _parcours(cast, nom, **kw):
    return InscriptionFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a, nom=nom),
        campagne=cast.campagne,
        referent=cast.referent_a,
        conseiller=cast.conseiller_a,
        date_fin_prevue=AUJOURDHUI + datetime.timedelta(days=60),
        **kw,
    )


def _ligne(html, nom):
    debut = html.index(nom)
    return html[debut : html.index("</tr>", debut)]


@heure
def test_le_point_de_suivi_en_retard_est_signale(cast, client_de):
    i = _parcours(cast, "RETARD", statut="en_cours", date_entree=datetime.date(2026, 10, 1))
    PointSuivi.objects.create(
        inscription=i,
        date=datetime.date(2026, 11, 10),
        contenu="Point",
        prochaine_date=datetime.date(2026, 10, 28),
        auteur=cast.referent_a,
    )
    html = client_de(cast.referent_a).get(reverse("tableaux:referent")).content.decode()
    assert "Point prévu le 28/10/2026 en retard" in _ligne(html, "RETARD")
    prochains = html[html.index("Prochains points de suivi") :]
    assert "28/10/2026" in prochains.split("</ul>")[0] and "en retard" in prochains.split("</ul>")[0]
    html = client_de(cast.conseiller_a).get(reverse("tableaux:conseiller")).content.decode()
    assert "Point prévu le 28/10/2026 en retard" in _ligne(html, "RETARD")


@heure
def test_pas_de_point_depuis_14_jours_se_compte_depuis_l_entree(cast, client_de):
    _parcours(cast, "RECENT", statut="en_cours", date_entree=AUJOURDHUI - datetime.timedelta(days=6))
    _parcours(cast, "ANCIEN", statut="en_cours", date_entree=AUJOURDHUI - datetime.timedelta(days=20))
    html = client_de(cast.referent_a).get(reverse("tableaux:referent")).content.decode()
    assert "Pas de point de suivi depuis plus de 14 j" not in _ligne(html, "RECENT")
    assert "Pas de point de suivi depuis plus de 14 j" in _ligne(html, "ANCIEN")


@heure
def test_un_parcours_encore_en_preparation_apres_son_entree_est_signale(cast, client_de):
    _parcours(cast, "OUBLIE", statut="en_preparation", date_entree=AUJOURDHUI - datetime.timedelta(days=49))
    _parcours(cast, "AVENIR", statut="en_preparation", date_entree=AUJOURDHUI + datetime.timedelta(days=5))
    html = client_de(cast.referent_a).get(reverse("tableaux:referent")).content.decode()
    assert "Toujours en préparation depuis l&#x27;entrée du 30/09/2026" in _ligne(html, "OUBLIE")
    assert "Aucune alerte" in _ligne(html, "AVENIR")


@heure
def test_l_ecran_d_invitation_dit_combien_de_jeunes_son_filtre_cache(cast, client_de):
    reunion = ReunionFactory(
        etablissement=cast.lycee_a,
        campagne=cast.campagne,
        mission_locale=cast.ml_a,
        debut=datetime.datetime(2026, 11, 25, 14, tzinfo=PARIS),
    )
    for nom, statut in (("ACONTACTER", "a_contacter"), ("INTERESSE1", "interesse"), ("INTERESSE2", "interesse")):
        ReperageFactory(
            jeune=JeuneFactory(etablissement=cast.lycee_a, nom=nom), campagne=cast.campagne, statut_contact=statut
        )
    url = reverse("entretiens:reunion_inviter", kwargs={"uuid": reunion.uuid})
    html = client_de(cast.chef_a).get(url).content.decode()
    assert "ACONTACTER" in html and "INTERESSE1" not in html.split("autres-statuts")[0]
    notice = html[html.index('id="autres-statuts"') :].split("</div>")[0]
    assert "2 autres jeunes non invités" in notice and "?statut=interesse" in notice and "2 « Intéressé »" in notice
    html = client_de(cast.chef_a).get(url, {"statut": "interesse"}).content.decode()
    assert "INTERESSE1" in html and "INTERESSE2" in html


@heure
def test_le_chef_est_alerte_des_parcours_encore_en_preparation_apres_leur_entree(cast, client_de):
    from tableaux.statistiques import chiffres

    _parcours(cast, "OUBLIE", statut="en_preparation", date_entree=AUJOURDHUI - datetime.timedelta(days=49))
    _parcours(cast, "AVENIR", statut="en_preparation", date_entree=AUJOURDHUI + datetime.timedelta(days=5))
    assert chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]["en_preparation_depassee"] == 1
    html = client_de(cast.chef_a).get(reverse("tableaux:chef")).content.decode()
    assert "Parcours encore en préparation après leur date d&#x27;entrée" in html
