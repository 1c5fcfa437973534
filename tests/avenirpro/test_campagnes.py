"""Campaigns on screen (avenirpro/campagnes.py): the administrator creates the next campaign from the last one's
settings, and sees before saving which parcours would get a new end date (R3); the switch `?campagne=`."""

import datetime

import pytest
from django.urls import reverse

from avenirpro.campagnes import campagne_choisie
from avenirpro.models import Campagne
from parcours.campagnes import parcours_touches
from parcours.models import Inscription
from tests.avenirpro.matrice import _donnees_campagne
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db


def test_prochaine_campagne_preremplie_puis_creee(client_de, cast):
    client = client_de(cast.admin)
    contenu = client.get(reverse("administration:campagne_creer")).content.decode()
    assert 'value="2027"' in contenu and "01/09/2027" in contenu
    r = client.post(reverse("administration:campagne_creer"), _donnees_campagne(cast, apercu="1"))
    c = r.content.decode()
    assert "Aucun parcours existant ne voit sa date de fin changer" in c
    assert not Campagne.objects.filter(session=2027).exists()  # the preview saves nothing
    r = client.post(reverse("administration:campagne_creer"), _donnees_campagne(cast, confirmer="1"))
    assert r.status_code == 302
    assert Campagne.objects.get(session=2027).date_rentree == datetime.date(2027, 9, 1)


def _donnees_de(campagne, **extra):
    return _donnees_campagne(
        None,
        nom=campagne.nom,
        session=campagne.session,
        date_rentree=f"{campagne.date_rentree:%d/%m/%Y}",
        date_entree_min=f"{campagne.date_entree_min:%d/%m/%Y}",
        **extra,
    )


def test_effet_sur_les_parcours_avant_d_enregistrer(client_de, cast):
    """Counting from the rentrée instead of the entry: entered on 14/09, the parcours ends on 31/12, not 13/01."""
    i1 = InscriptionFactory(campagne=cast.campagne, jeune__etablissement=cast.lycee_a)
    i2 = InscriptionFactory(campagne=cast.campagne, jeune__etablissement=cast.lycee_a)
    entree_rentree = InscriptionFactory(
        campagne=cast.campagne, jeune__etablissement=cast.lycee_a, date_entree=datetime.date(2026, 9, 1)
    )
    assert i1.date_fin_prevue == datetime.date(2027, 1, 13)
    client = client_de(cast.admin)
    url = reverse("administration:campagne_modifier", args=[cast.campagne.uuid])
    r = client.post(url, _donnees_de(cast.campagne, mode_duree="rentree", apercu="1"))
    contenu = r.content.decode()
    assert "2 parcours de cette campagne verront leur date de fin changer" in contenu
    assert "13/01/2027" in contenu and "31/12/2026" in contenu
    cast.campagne.refresh_from_db()
    assert cast.campagne.mode_duree == "entree"  # nothing saved yet
    r = client.post(url, _donnees_de(cast.campagne, mode_duree="rentree", confirmer="1"))
    assert r.status_code == 302
    cast.campagne.refresh_from_db()
    assert cast.campagne.mode_duree == "rentree"
    fins = dict(Inscription.objects.values_list("pk", "date_fin_prevue"))
    assert fins[i1.pk] == fins[i2.pk] == fins[entree_rentree.pk] == datetime.date(2026, 12, 31)


def test_parcours_clos_non_touches(cast):
    i = InscriptionFactory(campagne=cast.campagne, jeune__etablissement=cast.lycee_a)
    Inscription.objects.filter(pk=i.pk).update(
        statut="sortie", date_sortie=datetime.date(2026, 10, 1), motif_sortie="abandon", situation_sortie="inconnue"
    )
    cast.campagne.duree_mois = 3
    assert parcours_touches(cast.campagne) == []


def test_campagne_invalide_rien_n_est_enregistre(client_de, cast):
    client = client_de(cast.admin)
    r = client.post(reverse("administration:campagne_creer"), _donnees_campagne(cast, session="", confirmer="1"))
    assert r.status_code == 200 and "Ce champ est obligatoire" in r.content.decode()
    assert Campagne.objects.count() == 1


@pytest.mark.parametrize("membre", ["chef_a", "pilotage", "referent_a"])
def test_reserve_a_l_administrateur(client_de, cast, membre):
    client = client_de(getattr(cast, membre))
    assert client.get(reverse("administration:campagnes")).status_code == 403
    url = reverse("administration:campagne_modifier", args=[cast.campagne.uuid])
    assert client.post(url, _donnees_de(cast.campagne, duree_mois=2, confirmer="1")).status_code == 404
    cast.campagne.refresh_from_db()
    assert cast.campagne.duree_mois == 4


def test_campagne_choisie(cast):
    ancienne = Campagne.objects.create(
        nom="Session 2025",
        session=2025,
        date_rentree=datetime.date(2025, 9, 1),
        date_entree_min=datetime.date(2025, 9, 1),
    )
    assert campagne_choisie({})[0] == cast.campagne
    assert campagne_choisie({"campagne": "2025"})[0] == ancienne
    assert campagne_choisie({"campagne": "1999"})[0] == cast.campagne
    assert campagne_choisie({"campagne": "x"})[1] == [cast.campagne, ancienne]


@pytest.fixture
def deux_campagnes(cast):
    ancienne = Campagne.objects.create(
        nom="Session 2025 – rentrée 2025",
        session=2025,
        date_rentree=datetime.date(2025, 9, 1),
        date_entree_min=datetime.date(2025, 9, 1),
    )
    InscriptionFactory(
        campagne=ancienne,
        jeune__etablissement=cast.lycee_a,
        jeune__nom="ANCIEN",
        date_entree=datetime.date(2025, 9, 15),
        conseiller=cast.conseiller_a,
    )
    InscriptionFactory(
        campagne=cast.campagne, jeune__etablissement=cast.lycee_a, jeune__nom="NOUVEAU", conseiller=cast.conseiller_a
    )
    return ancienne


def test_bascule_de_campagne_sur_les_tableaux_et_la_liste(client_de, cast, deux_campagnes):
    client = client_de(cast.chef_a)
    tableau = client.get(reverse("tableaux:chef")).content.decode()
    assert 'id="choix-campagne"' in tableau and "Session 2026 – rentrée 2026</option>" in tableau
    tableau = client.get(reverse("tableaux:chef"), {"campagne": "2025"}).content.decode()
    assert '<option value="2025" selected>' in tableau
    liste = client.get(reverse("parcours:liste"), {"campagne": "2025"}).content.decode()
    assert "ANCIEN" in liste and "NOUVEAU" not in liste
    liste = client.get(reverse("parcours:liste")).content.decode()
    assert "ANCIEN" in liste and "NOUVEAU" in liste
    pilotage = client.get(reverse("tableaux:pilotage"), {"campagne": "2025"}).content.decode()
    assert '<option value="2025" selected>' in pilotage and "Session 2025 – rentrée 2025 —" in pilotage
    conseiller = client_de(cast.conseiller_a).get(reverse("tableaux:conseiller"), {"campagne": "2025"})
    assert '<option value="2025" selected>' in conseiller.content.decode()


def test_bascule_de_campagne_sur_l_ecran_du_referent(client_de, cast, deux_campagnes):
    """The référent's screen lists every campaign's parcours, or the one asked for with `?campagne=`."""
    for i in Inscription.objects.filter(jeune__nom__in=["ANCIEN", "NOUVEAU"]):
        i.referent = cast.referent_a
        i.save()
    client = client_de(cast.referent_a)
    ecran = client.get(reverse("tableaux:referent")).content.decode()
    assert 'id="choix-campagne"' in ecran and "ANCIEN" in ecran and "NOUVEAU" in ecran
    ecran = client.get(reverse("tableaux:referent"), {"campagne": "2025"}).content.decode()
    assert '<option value="2025" selected>' in ecran
    assert "ANCIEN" in ecran and "NOUVEAU" not in ecran
    ecran = client.get(reverse("tableaux:referent"), {"campagne": "2026"}).content.decode()
    assert "NOUVEAU" in ecran and "ANCIEN" not in ecran


def test_les_liens_du_tableau_du_chef_gardent_la_campagne(client_de, cast, deux_campagnes):
    client = client_de(cast.chef_a)
    tableau = client.get(reverse("tableaux:chef"), {"campagne": "2025"}).content.decode()
    assert "statut=sortie&amp;campagne=2025" in tableau or "statut=sortie&campagne=2025" in tableau
    assert "campagne=2025" in tableau.split('id="choix-campagne"', 1)[1]
    tableau = client.get(reverse("tableaux:chef")).content.decode()
    assert "campagne=2026" not in tableau
