"""Download after revocation (issue 13, F4): a background export's file — the only stored file users download —
is served only while its requester still has the rights that produced it. Every declared export is tried.

Other files (PDFs, the RGPD archive, direct exports) are built at each request through the access rules."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from avenirpro.exports import REGISTRE, definition, demander_export, produire_export
from avenirpro.models import Affectation, Role
from tests.avenirpro.factories import AffectationFactory
from tests.fiabilite.scorecard import consigner
from tests.matrice import construire_scenario

pytestmark = pytest.mark.django_db

# Export key → (requester, URL arguments)
DEMANDEURS = {
    "jeunes-sans-solution": ("chef_a", lambda s: {}),
    "reunions": ("chef_a", lambda s: {}),
    "reunion-invitations": ("chef_a", lambda s: {"uuid": s.reunion_a.uuid}),
    "parcours": ("chef_a", lambda s: {}),
    "offre-locale": ("chef_a", lambda s: {}),
    "mes-jeunes": ("referent_a", lambda s: {"role": "referent"}),
    "admin-lycees": ("admin", lambda s: {}),
    "admin-missions-locales": ("admin", lambda s: {}),
    "admin-structures": ("admin", lambda s: {}),
    "admin-comptes": ("admin", lambda s: {}),
    "admin-equipe": ("admin", lambda s: {}),
    "admin-invitations": ("admin", lambda s: {}),
    "admin-journal": ("admin", lambda s: {}),
}
BILAN = {"exports_essayes": 0, "telechargements_apres_revocation": 0}


@pytest.fixture(scope="module", autouse=True)
def _consigner():
    yield
    if BILAN["exports_essayes"]:
        consigner("securite_telechargement_revocation", dict(BILAN))


def test_chaque_export_declare_a_son_cas():
    assert set(REGISTRE) == set(DEMANDEURS)


def _fichier_pret(s, cle, membre, arguments):
    fichier = demander_export(
        export=definition(cle),
        proprietaire=getattr(s, membre),
        format="csv",
        params=QueryDict(),
        arguments=arguments,
    )
    produire_export(fichier.pk)
    fichier.refresh_from_db()
    assert fichier.statut == "termine", (cle, fichier.message)
    return fichier


@pytest.mark.parametrize("cle", sorted(DEMANDEURS))
def test_le_fichier_ne_se_telecharge_plus_apres_le_retrait_du_role(cast, client, cle):
    s = construire_scenario(cast)
    membre, arguments = DEMANDEURS[cle]
    fichier = _fichier_pret(s, cle, membre, arguments(s))
    url = reverse("exports:telecharger", kwargs={"uuid": fichier.uuid})
    client.force_login(getattr(s, membre))
    assert client.get(url).status_code == 200
    Affectation.objects.filter(utilisateur=getattr(s, membre)).update(date_fin=datetime.date(2020, 1, 1))
    reponse = client.get(url)
    BILAN["exports_essayes"] += 1
    if reponse.status_code == 200:
        BILAN["telechargements_apres_revocation"] += 1
    assert reponse.status_code in (403, 404), (cle, reponse.status_code)


def test_un_chef_qui_quitte_un_de_ses_deux_lycees_perd_le_fichier(cast, client):
    """The list still opens (the other lycée), but the file holds the young people of the lycée left."""
    s = construire_scenario(cast)
    second = AffectationFactory(utilisateur=s.chef_a, role=Role.CHEF, etablissement=s.lycee_b)
    fichier = _fichier_pret(s, "jeunes-sans-solution", "chef_a", {})
    url = reverse("exports:telecharger", kwargs={"uuid": fichier.uuid})
    client.force_login(s.chef_a)
    assert client.get(url).status_code == 200
    Affectation.objects.filter(pk=second.pk).update(date_fin=datetime.date(2020, 1, 1))
    assert client.get(reverse("eleves:liste")).status_code == 200
    assert client.get(url).status_code == 403
    BILAN["exports_essayes"] += 1
