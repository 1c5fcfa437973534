"""The benchmark's data set follows the schema: `make bench` on a new machine generates it from scratch, so a column
added by a migration and forgotten by bench/donnees.py would only fail there. Generated here at its smallest scale
(8 lycées, 160 candidates, 16 parcours, 2,400 attendance rows), then the measured pages answer 200 for their bench
users."""

import importlib.util
import sys
from pathlib import Path

import pytest

from avenirpro.models import Utilisateur
from eleves.models import Jeune
from parcours.models import Inscription, Presence
from parcours.verification import constats

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def donnees(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("donnees", BENCH / "donnees.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "donnees", module)
    spec.loader.exec_module(module)
    return module


def test_donnees_du_banc_generees_a_petite_echelle(client, donnees):
    t = donnees.tailles(0)
    donnees.generer(t, journal=lambda _msg: None)
    assert Jeune.objects.filter(ine__endswith="BN").count() == t["jeunes"]
    assert Jeune.objects.exclude(recherche="").filter(ine__endswith="BN").count() == t["jeunes"]
    assert Presence.objects.count() >= t["parcours"] * 100
    # The measured users have something to show: parcours in the chef's lycée, young people for the référent.
    chef = Utilisateur.objects.get(email="chef0@bench.test")
    assert Inscription.objects.filter(etablissement__affectations__utilisateur=chef).exists()
    assert Inscription.objects.filter(referent__email="referent0-0@bench.test").exclude(statut="sortie").exists()
    assert Inscription.objects.filter(conseiller__email="conseiller0-0@bench.test").exists()
    # The rules of the parcours hold over the whole data set (`manage.py verifier_regles` finds nothing).
    assert [(i.uuid, e.regle, e.message) for i, e in constats()] == []

    # The rules on the way in hold on the bench data too (R1 confirmed wish, R9 re-enrolment offered first).
    from eleves import regles as regles_eleves
    from parcours import regles, volontariat

    assert regles_eleves.inscriptions_sans_offre_reinscription() == []
    assert volontariat.inscriptions_sans_volontariat() == []
    assert regles.numeros_imilo_partages() == []

    for email, chemin in [
        ("chef0@bench.test", "/tableaux/chef/"),
        ("chef0@bench.test", "/jeunes/"),
        ("referent0-0@bench.test", "/tableaux/referent/"),
        ("conseiller0-0@bench.test", "/tableaux/conseiller/"),
    ]:
        client.force_login(Utilisateur.objects.get(email=email))
        assert client.get(chemin).status_code == 200, chemin
