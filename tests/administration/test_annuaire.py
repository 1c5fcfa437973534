"""The partners' directory: missions locales and PSAD structures readable (not writable) by those who build the
parcours with them, searchable; a fixed number of queries whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avenirpro.models import MissionLocale, Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def partenaires(cast):
    MissionLocale.objects.filter(pk=cast.ml_a.pk).update(telephone="04 72 00 00 00", email="contact@ml-a.fr")
    return {
        "cio": Structure.objects.create(
            nom="CIO de Villeurbanne",
            type="cio",
            commune="Villeurbanne",
            contact_nom="Mme Roux",
            contact_email="cio@ac-lyon.fr",
        ),
        "tiers": Structure.objects.create(nom="La Fabrique", type="tiers_lieu", commune="Vaulx-en-Velin"),
    }


@pytest.mark.parametrize("membre", ["chef_a", "referent_a", "conseiller_a", "psy_a"])
def test_lisible_par_ceux_qui_construisent_les_parcours(client_de, cast, partenaires, membre):
    client = client_de(getattr(cast, membre))
    contenu = client.get(reverse("annuaire:index")).content.decode()
    assert "CIO de Villeurbanne" in contenu and "Mission locale A" in contenu and "Lycée A" in contenu
    r = client.get(reverse("annuaire:mission_locale", args=[cast.ml_a.uuid]))
    assert r.status_code == 200 and "04 72 00 00 00" in r.content.decode()
    r = client.get(reverse("annuaire:structure", args=[partenaires["cio"].uuid]))
    assert r.status_code == 200 and "cio@ac-lyon.fr" in r.content.decode()
    # Read only: no link towards the administration's edit forms.
    assert "/administration/structures/" not in contenu


@pytest.mark.parametrize("membre", ["pilotage", "sans_role"])
def test_refuse_aux_autres(client_de, cast, partenaires, membre):
    client = client_de(getattr(cast, membre))
    assert client.get(reverse("annuaire:index")).status_code == 403
    assert client.get(reverse("annuaire:structure", args=[partenaires["cio"].uuid])).status_code == 403


def test_recherche_et_filtre_par_type(client_de, cast, partenaires):
    client = client_de(cast.chef_a)
    contenu = client.get(reverse("annuaire:index"), {"q": "vaulx"}).content.decode()
    assert "La Fabrique" in contenu and "CIO de Villeurbanne" not in contenu and "Mission locale A" not in contenu
    contenu = client.get(reverse("annuaire:index"), {"type": "cio"}).content.decode()
    assert "CIO de Villeurbanne" in contenu and "La Fabrique" not in contenu
    # A mission locale is found by a lycée it covers.
    contenu = client.get(reverse("annuaire:index"), {"q": "Lycée B"}).content.decode()
    assert "Mission locale B" in contenu and "Mission locale A" not in contenu


def test_nombre_de_requetes_constant(client_de, cast, partenaires):
    client = client_de(cast.chef_a)
    client.get(reverse("annuaire:index"))
    with CaptureQueriesContext(connection) as peu:
        client.get(reverse("annuaire:index"))
    for i in range(40):
        Structure.objects.create(nom=f"Association {i}", type="association")
        ml = MissionLocale.objects.create(nom=f"ML {i}", email=f"ml{i}@test.fr")
        ml.couvertures.create(etablissement=cast.lycee_a)
    with CaptureQueriesContext(connection) as beaucoup:
        r = client.get(reverse("annuaire:index"))
    assert "Association 39" in r.content.decode()
    assert len(beaucoup) == len(peu), [q["sql"] for q in beaucoup.captured_queries]
