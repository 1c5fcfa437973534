"""The worklist's page through its compiled statements (`eleves.selections.ListeCompilee`): the same counts and rows
as the filter set's querysets, column by column, never another chef's rows, and the data of the moment."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from eleves.models import Reperage
from eleves.selections import ListeCompilee, liste_filtree
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = pytest.mark.django_db

PAR_PAGE = 3


def _ligne(r: Reperage) -> tuple:
    return (
        r.pk, r.jeune_id, r.jeune.uuid, r.jeune.nom, r.jeune.prenoms, r.campagne_id, r.specialite, r.division,
        r.diplome, r.resultat, r.typologie, r.statut_contact, r.reinscription_proposee_le,
        r.reinscription_a_proposer,
    )  # fmt: skip


def _peupler(cast, lycee, prefixe: str, n: int = 7) -> None:
    typologies = ["echec_repreparer", "diplome_sans_solution", "avec_solution"]
    for i in range(n):
        ReperageFactory(
            jeune=JeuneFactory(etablissement=lycee, nom=f"{prefixe}{i:02d}", prenoms=f"Prénom {prefixe} {i}"),
            campagne=cast.campagne,
            typologie=typologies[i % 3],
            specialite=f"Spécialité {prefixe}{i}",
            division=f"D{i}",
            resultat=["ajourne", "admis", "absent"][i % 3],
            statut_contact=["a_contacter", "contacte"][i % 2],
            diplome=["cap", "bac_pro"][i % 2],
            reinscription_proposee_le=datetime.date(2026, 7, 1 + i) if i % 4 == 0 else None,
        )


@pytest.mark.parametrize(
    "params",
    ["", "page=2", "page=3", "typologie=avec_solution", "q=a01", "diplome=cap", "typologie=bogus&division=d2",
     "statut_contact=contacte&reinscription=a_proposer", "q=zzz"],
)  # fmt: skip
def test_comptes_et_lignes_identiques_a_ceux_du_filtre(cast, params):
    _peupler(cast, cast.lycee_a, "A")
    _comparer_au_filtre(cast, QueryDict(params), fois=2)  # the second time, the statement kept, run again


def _comparer_au_filtre(cast, donnees, fois=1) -> None:
    """The compiled page's counts and rows are the filter set's, column by column."""
    filtre, campagne, _ = liste_filtree(cast.chef_a, donnees)
    liste = ListeCompilee(cast.chef_a, donnees, campagne, par_page=PAR_PAGE)
    debut = (int(donnees.get("page", 1)) - 1) * PAR_PAGE
    attendu = [_ligne(r) for r in filtre.qs[debut : debut + PAR_PAGE]]
    for _ in range(fois):
        assert liste.comptes() == filtre.comptes()
        assert [_ligne(r) for r in liste[debut : debut + PAR_PAGE]] == attendu


def test_jamais_les_lignes_d_un_autre_chef_pour_les_memes_valeurs(cast):
    _peupler(cast, cast.lycee_a, "A")
    _peupler(cast, cast.lycee_b, "B")
    donnees = QueryDict("")
    _, campagne, _ = liste_filtree(cast.chef_a, donnees)
    a = ListeCompilee(cast.chef_a, donnees, campagne, par_page=50)
    b = ListeCompilee(cast.chef_b, donnees, campagne, par_page=50)
    noms_a = {r.jeune.nom for r in a[0:50]}
    noms_b = {r.jeune.nom for r in b[0:50]}
    assert noms_a and all(n.startswith("A") for n in noms_a)
    assert noms_b and all(n.startswith("B") for n in noms_b)


def test_les_ecritures_apres_la_compilation_sont_lues(cast, client_de):
    _peupler(cast, cast.lycee_a, "A", n=2)
    client = client_de(cast.chef_a)
    # The page's HTML is kept until the lycée's data change (cache_ecrans): a write below invalidates it, and the
    # statements compiled by this first visit are run again with the new rows.
    html = client.get(reverse("eleves:liste")).content.decode()
    assert "2 jeunes" in html and "Nouvelle" not in html
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a, nom="Nouvelle"), campagne=cast.campagne,
                    typologie="diplome_sans_solution")  # fmt: skip
    html = client.get(reverse("eleves:liste")).content.decode()
    assert "3 jeunes" in html and "Nouvelle" in html


@pytest.mark.parametrize("params", ["q=a01", "division=D2", "q=a01&typologie=avec_solution"])
def test_ce_qu_un_utilisateur_tape_n_est_jamais_garde_dans_le_processus(cast, params):
    from avenirpro import sql
    from eleves.filters import _FORMULAIRES, champs_du_filtre

    _peupler(cast, cast.lycee_a, "A")
    donnees = QueryDict(params)
    _comparer_au_filtre(cast, donnees)
    assert champs_du_filtre(donnees)
    gardes = repr(list(sql._COMPILEES.valeurs) if sql._COMPILEES else []) + repr(list(_FORMULAIRES.valeurs))
    assert "a01" not in gardes and "D2" not in gardes


def test_les_champs_du_filtre_gardes_sont_oublies_quand_un_reglage_change(settings):
    from eleves.filters import _FORMULAIRES, champs_du_filtre

    champs_du_filtre(QueryDict("typologie=avec_solution"))
    assert len(_FORMULAIRES.valeurs) >= 1
    settings.DEBUG = not settings.DEBUG  # Django replaces the templates' engines
    assert not _FORMULAIRES.valeurs
