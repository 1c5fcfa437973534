"""«Clause sociale de formation» as a kind of the local offer: a company and a number of places, shared with the
lycées of the network like any action of the offer."""

import pytest
from django.urls import reverse

from avenirpro.models import Etablissement
from parcours.models import OffreAction, TypeAction

pytestmark = pytest.mark.django_db


def _donnees(cast, **extra):
    return {
        "type": "clause_sociale",
        "intitule": "Places clause sociale – tramway",
        "etablissement": cast.lycee_a.pk,
        "type_lieu": "entreprise",
        **extra,
    }


def test_entreprise_et_places_exigees(client_de, cast):
    client = client_de(cast.chef_a)
    r = client.post(reverse("parcours:offre"), _donnees(cast))
    contenu = r.content.decode()
    assert r.status_code == 200
    assert "Indiquez l&#x27;entreprise qui accueille" in contenu and "Indiquez le nombre de places" in contenu
    assert not OffreAction.objects.exists()
    r = client.post(reverse("parcours:offre"), _donnees(cast, entreprise="BTP Rhône SA", capacite=3))
    assert r.status_code == 302
    offre = OffreAction.objects.get()
    assert (offre.entreprise, offre.capacite, offre.get_type_display()) == (
        "BTP Rhône SA",
        3,
        "Clause sociale de formation (places en entreprise)",
    )


def test_partagee_au_reseau_comme_l_offre(client_de, cast):
    Etablissement.objects.filter(pk__in=[cast.lycee_a.pk, cast.lycee_b.pk]).update(reseau="Réseau Est")
    OffreAction.objects.create(
        type="clause_sociale",
        intitule="Places tramway",
        etablissement=cast.lycee_a,
        entreprise="BTP Rhône SA",
        capacite=3,
    )
    contenu = client_de(cast.chef_b).get(reverse("parcours:offre")).content.decode()
    assert "Places tramway" in contenu and "BTP Rhône SA" in contenu and "3 places" in contenu


def test_pas_un_type_d_action_du_parcours():
    """Taken by a young person, the place is recorded as a PFMP (counted in R4's cap), not as a plain action."""
    assert "clause_sociale" not in TypeAction.values
