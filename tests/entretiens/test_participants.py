"""Participants of an interview (issue 13, F7): staff of the young person's lycée and counsellors of the missions
locales covering it, checked when the form validates — never another lycée's staff, an administrator or pilotage."""

import pytest
from django.urls import reverse

from avenirpro.models import Role
from tests.avenirpro.factories import avec_role
from tests.matrice import construire_scenario

pytestmark = pytest.mark.django_db


def _poster(client, s, participants):
    return client.post(
        reverse("entretiens:entretien_modifier", kwargs={"uuid": s.entretien_a.uuid}),
        {
            "type": "entree",
            "statut": "realise",
            "jour": "20/09/2026",
            "heure": "10:30",
            "participants": [u.pk for u in participants],
            "decision": "",
        },
    )


@pytest.fixture
def s(cast):
    s = construire_scenario(cast)
    s.referent_b = avec_role(Role.REFERENT, etablissement=cast.lycee_b, email="referent.b@test.fr")
    # A chef of lycée A who is also an administrator: an administrator account is no participant.
    s.chef_admin = avec_role(Role.ADMIN, email="chef.admin@test.fr")
    from tests.avenirpro.factories import AffectationFactory

    AffectationFactory(utilisateur=s.chef_admin, role=Role.CHEF, etablissement=cast.lycee_a)
    s.entretien_a.participants.set([s.conseiller_a])
    return s


@pytest.mark.parametrize(
    "intrus", ["referent_b", "chef_b", "conseiller_b", "admin", "pilotage", "chef_admin", "sans_role"]
)
def test_un_participant_hors_du_lycee_est_refuse(s, client_de, intrus):
    client = client_de(s.conseiller_a)
    r = _poster(client, s, [s.conseiller_a, getattr(s, intrus)])
    assert r.status_code == 200
    assert "Sélectionnez un choix valide" in r.content.decode()
    assert list(s.entretien_a.participants.all()) == [s.conseiller_a]


def test_les_personnels_du_lycee_et_de_la_mission_locale_sont_acceptes(s, client_de):
    client = client_de(s.conseiller_a)
    r = _poster(client, s, [s.conseiller_a, s.psy_a, s.referent_a, s.chef_a])
    assert r.status_code == 302, r.content.decode()[:2000]
    assert set(s.entretien_a.participants.all()) == {s.conseiller_a, s.psy_a, s.referent_a, s.chef_a}
