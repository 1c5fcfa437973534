"""The header's search box (eleves/recherche.py): name, first name or INE, accents and case ignored, misspellings
tolerated on PostgreSQL, and never a young person outside the user's scope — tested with the same names in two
lycées and for every member of the cast."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eleves.models import Jeune
from eleves.recherche import rechercher
from tests.eleves.factories import JeuneFactory
from tests.entretiens.factories import InvitationFactory, ReunionFactory
from tests.matrice import MEMBRES
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def homonymes(cast):
    """«Léa MARTIN» and «Éloïse DUPONT-LEFÈVRE» in lycée A and in lycée B; in A, Léa is followed by referent_a and
    conseiller_a, Éloïse is invited to the meeting (seen by conseiller_a), and a third one nobody but the chef sees."""
    h = {}
    for suffixe, lycee, ml in (("a", cast.lycee_a, cast.ml_a), ("b", cast.lycee_b, cast.ml_b)):
        lea = JeuneFactory(etablissement=lycee, nom="MARTIN", prenoms="Léa", ine=f"12345678{suffixe.upper()}AA")
        eloise = JeuneFactory(etablissement=lycee, nom="DUPONT-LEFÈVRE", prenoms="Éloïse Marie")
        seul_chef = JeuneFactory(etablissement=lycee, nom="MARTINEZ", prenoms="Léo")
        conseiller = cast.conseiller_a if suffixe == "a" else cast.conseiller_b
        referent = cast.referent_a if suffixe == "a" else None
        InscriptionFactory(jeune=lea, campagne=cast.campagne, referent=referent, conseiller=conseiller)
        InvitationFactory(
            reunion=ReunionFactory(etablissement=lycee, campagne=cast.campagne, mission_locale=ml), jeune=eloise
        )
        h.update({f"lea_{suffixe}": lea, f"eloise_{suffixe}": eloise, f"seul_chef_{suffixe}": seul_chef})
    return h


def _trouves(user, texte):
    return {j.pk for j in rechercher(user, texte)}


def test_accents_et_casse_indifferents(cast, homonymes):
    eloise = homonymes["eloise_a"].pk
    for texte in ("eloise", "ÉLOÏSE", "Eloïse", "lefevre", "LEFÈVRE", "dupont eloise", "Eloise Dupont-Lefevre"):
        assert _trouves(cast.chef_a, texte) == {eloise}, texte
    # Every word must match: «marie martin» is nobody (Marie is Éloïse's second first name, MARTIN is Léa's name).
    assert _trouves(cast.chef_a, "marie martin") == set()
    assert _trouves(cast.chef_a, "marie") == {eloise}


def test_par_ine_entier_ou_debut(cast, homonymes):
    lea = homonymes["lea_a"]
    assert _trouves(cast.chef_a, lea.ine) == {lea.pk}
    assert _trouves(cast.chef_a, lea.ine.lower()) == {lea.pk}
    assert _trouves(cast.chef_a, "12345678") == {lea.pk}  # lycée B's Léa shares the prefix: not chef_a's
    assert _trouves(cast.chef_b, homonymes["lea_a"].ine) == set()


def test_faute_de_frappe_toleree_le_plus_proche_d_abord(cast, homonymes):
    assert _trouves(cast.chef_a, "dupond") == {homonymes["eloise_a"].pk}
    # «martin» matches MARTIN and MARTINEZ: the exact name comes first.
    resultats = rechercher(cast.chef_a, "martin")
    assert [j.pk for j in resultats] == [homonymes["lea_a"].pk, homonymes["seul_chef_a"].pk]


def test_homonymes_de_deux_lycees_chacun_son_perimetre(cast, homonymes):
    h = homonymes
    attendus = {
        "chef_a": {h["lea_a"].pk, h["seul_chef_a"].pk},
        "chef_b": {h["lea_b"].pk, h["seul_chef_b"].pk},
        "referent_a": {h["lea_a"].pk},
        "conseiller_a": {h["lea_a"].pk},
        "conseiller_b": {h["lea_b"].pk},
    }
    for membre, ids in attendus.items():
        assert _trouves(getattr(cast, membre), "martin") == ids, membre
        assert _trouves(getattr(cast, membre), "martim") == ids, membre  # the approximate path too
    assert _trouves(cast.conseiller_a, "eloise") == {h["eloise_a"].pk}
    assert _trouves(cast.referent_a, "eloise") == set()


@pytest.mark.parametrize("texte", ["martin", "martim", "lea", "eloise", "dupond", "12345678", "leo martinez", "ma"])
def test_jamais_hors_du_perimetre_pour_aucun_membre(cast, homonymes, texte):
    for membre in MEMBRES:
        user = getattr(cast, membre)
        visibles = set(Jeune.objects.visibles_par(user).values_list("pk", flat=True))
        assert _trouves(user, texte) <= visibles, membre


def test_page_liens_vers_ce_que_l_utilisateur_peut_ouvrir(client_de, cast, homonymes):
    client = client_de(cast.conseiller_a)
    r = client.get(reverse("recherche"), {"q": "Martin"})
    contenu = r.content.decode()
    assert r.status_code == 200
    lea = homonymes["lea_a"]
    assert reverse("eleves:detail", args=[lea.uuid]) in contenu
    inscription = lea.inscriptions.get()
    assert reverse("parcours:detail", args=[inscription.uuid]) in contenu
    assert str(homonymes["lea_b"].uuid) not in contenu and homonymes["lea_b"].ine not in contenu
    for lien in (reverse("eleves:detail", args=[lea.uuid]), reverse("parcours:detail", args=[inscription.uuid])):
        assert client.get(lien).status_code == 200
    assert "1 résultat pour « Martin »" in contenu


@pytest.mark.parametrize("membre", ["pilotage", "admin", "sans_role"])
def test_sans_nom_a_chercher_403_et_pas_de_boite(client_de, cast, membre):
    client = client_de(getattr(cast, membre))
    assert client.get(reverse("recherche"), {"q": "martin"}).status_code == 403
    assert 'id="recherche-entete"' not in client.get(reverse("accueil")).content.decode()


def test_boite_dans_l_en_tete(client_de, cast):
    contenu = client_de(cast.referent_a).get(reverse("accueil")).content.decode()
    assert 'id="recherche-entete"' in contenu and f'action="{reverse("recherche")}"' in contenu


def test_nombre_de_requetes_constant(client_de, cast):
    """A few queries whatever the number of results (1 or the limit of 20), links to parcours included."""
    client = client_de(cast.chef_a)
    JeuneFactory(etablissement=cast.lycee_a, nom="BERNARD", prenoms="Solo")
    client.get(reverse("recherche"), {"q": "bernard"})  # session and site settings read once
    with CaptureQueriesContext(connection) as un:
        r = client.get(reverse("recherche"), {"q": "bernard"})
    assert "1 résultat" in r.content.decode()
    for i in range(30):
        jeune = JeuneFactory(etablissement=cast.lycee_a, nom="DURAND", prenoms=f"Prénom{i}")
        InscriptionFactory(jeune=jeune, campagne=cast.campagne)
    with CaptureQueriesContext(connection) as vingt:
        r = client.get(reverse("recherche"), {"q": "durand"})
    assert "20 résultats" in r.content.decode()
    assert len(vingt) == len(un), [q["sql"] for q in vingt.captured_queries]
    assert len(un) <= 8, [q["sql"] for q in un.captured_queries]
