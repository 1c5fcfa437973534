"""peut_voir_sections_sensibles (ADR 0003): true for the covering counsellor, psy-EN and MLDS of the lycée who can
see the young person; false for chef, référent, pilotage, administrator and outsiders."""

import datetime

from avenirpro.acces import peut_voir_sections_sensibles
from avenirpro.models import Role
from tests.avenirpro.factories import avec_role
from tests.matrice import construire_scenario


def _frais(user):
    user.__dict__.pop("perimetre", None)
    return user


def test_qui_lit_les_sections_sensibles(cast):
    s = construire_scenario(cast)
    attendu = {"conseiller_a", "psy_a", "mlds_a"}
    for nom in (
        "chef_a",
        "chef_b",
        "referent_a",
        "referent_a2",
        "conseiller_a",
        "conseiller_b",
        "psy_a",
        "mlds_a",
        "pilotage",
        "admin",
        "sans_role",
    ):
        assert peut_voir_sections_sensibles(getattr(s, nom), s.jeune_a) is (nom in attendu), nom
    assert peut_voir_sections_sensibles(s.conseiller_b, s.jeune_b)
    assert not peut_voir_sections_sensibles(s.psy_a, s.jeune_b)


def test_psy_sans_entretien_ne_voit_pas(cast):
    from tests.eleves.factories import JeuneFactory

    jeune = JeuneFactory(etablissement=cast.lycee_a)
    assert not peut_voir_sections_sensibles(cast.psy_a, jeune)


def test_conseiller_dont_la_couverture_est_terminee(cast):
    s = construire_scenario(cast)
    cast.ml_a.couvertures.update(date_fin=datetime.date(2020, 1, 1))
    assert not peut_voir_sections_sensibles(_frais(s.conseiller_a), s.jeune_a)


def test_un_second_role_de_chef_ne_donne_pas_le_droit_mais_un_role_de_psy_si(cast):
    s = construire_scenario(cast)
    from avenirpro.models import Affectation

    Affectation.objects.create(utilisateur=s.chef_b, role=Role.PSY_EN, etablissement=s.lycee_a)
    assert peut_voir_sections_sensibles(_frais(s.chef_b), s.jeune_a)
    chef_et_referent = avec_role(Role.REFERENT, etablissement=s.lycee_a, email="double@test.fr")
    Affectation.objects.create(utilisateur=chef_et_referent, role=Role.CHEF, etablissement=s.lycee_a)
    assert not peut_voir_sections_sensibles(_frais(chef_et_referent), s.jeune_a)
