"""The lycées a counsellor reaches (`Perimetre.couverts`) are read with their roles, in one statement on PostgreSQL
(ADR 0029): the active coverages of the mission locale of each active counsellor role, and only those."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from avenirpro.models import Perimetre, Role
from tests.avenirpro.factories import (
    AffectationFactory,
    CouvertureFactory,
    EtablissementFactory,
    MissionLocaleFactory,
    avec_role,
)

pytestmark = pytest.mark.django_db


def test_les_lycees_couverts_viennent_avec_les_roles_en_une_instruction():
    jour = timezone.localdate()
    ml, ml2, ml_passee = MissionLocaleFactory(), MissionLocaleFactory(), MissionLocaleFactory()
    a, b, c, d, e, f = (EtablissementFactory() for _ in range(6))
    CouvertureFactory(mission_locale=ml, etablissement=a)
    CouvertureFactory(mission_locale=ml, etablissement=b, date_fin=jour)  # ends today: still covered
    CouvertureFactory(
        mission_locale=ml, etablissement=c, date_debut=datetime.date(2001, 1, 1), date_fin=jour - datetime.timedelta(1)
    )  # ended
    CouvertureFactory(mission_locale=ml, etablissement=d, date_debut=jour + datetime.timedelta(1))  # not yet
    CouvertureFactory(mission_locale=ml2, etablissement=e)
    CouvertureFactory(mission_locale=ml_passee, etablissement=f)
    user = avec_role(Role.CONSEILLER_ML, mission_locale=ml)
    AffectationFactory(utilisateur=user, role=Role.CONSEILLER_ML, mission_locale=ml2, etablissement=None)
    AffectationFactory(  # a role that has ended: its mission locale's lycées are not reached
        utilisateur=user, role=Role.CONSEILLER_ML, mission_locale=ml_passee, etablissement=None,
        date_debut=datetime.date(2001, 1, 1), date_fin=jour - datetime.timedelta(1),
    )  # fmt: skip
    AffectationFactory(utilisateur=user, role=Role.CHEF, etablissement=EtablissementFactory())
    with CaptureQueriesContext(connection) as requetes:
        p = Perimetre.pour(user)
    assert p.couverts == {a.pk, b.pk, e.pk}
    assert p.missions_locales == {ml.pk, ml2.pk} and len(p.chef) == 1
    assert len(requetes) == 1


def test_sans_role_de_conseiller_aucun_lycee_couvert(cast):
    for user in (cast.chef_a, cast.referent_a, cast.psy_a, cast.pilotage):
        with CaptureQueriesContext(connection) as requetes:
            assert Perimetre.pour(user).couverts == frozenset()
        assert len(requetes) == 1
