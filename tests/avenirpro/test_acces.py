"""Visibility rules of avenirpro.acces, stage by stage (docs/regles.md)."""

import datetime

from eleves.models import Jeune
from parcours.models import Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.entretiens.factories import EntretienFactory, InvitationFactory, ReunionFactory
from tests.parcours.factories import InscriptionFactory


def visibles(user):
    return set(Jeune.objects.visibles_par(user))


def test_le_chef_voit_tous_les_jeunes_de_son_lycee_des_le_reperage(cast):
    jeune = ReperageFactory(jeune__etablissement=cast.lycee_a, campagne=cast.campagne).jeune
    assert visibles(cast.chef_a) == {jeune}
    assert visibles(cast.chef_b) == set()


def test_le_conseiller_ne_voit_un_jeune_qu_a_partir_de_l_invitation(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    assert jeune not in visibles(cast.conseiller_a)
    InvitationFactory(jeune=jeune, reunion=ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne))
    assert jeune in visibles(cast.conseiller_a)
    assert jeune not in visibles(cast.conseiller_b)


def test_la_couverture_terminee_coupe_l_acces_du_conseiller(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    InvitationFactory(jeune=jeune, reunion=ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne))
    cast.ml_a.couvertures.update(date_fin=datetime.date(2020, 1, 1))
    cast.conseiller_a.__dict__.pop("perimetre", None)
    assert jeune not in visibles(cast.conseiller_a)


def test_psy_et_mlds_a_partir_de_l_entretien(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    assert jeune not in visibles(cast.psy_a) | visibles(cast.mlds_a)
    EntretienFactory(jeune=jeune, campagne=cast.campagne)
    assert jeune in visibles(cast.psy_a)
    assert jeune in visibles(cast.mlds_a)


def test_le_referent_ne_voit_que_ses_jeunes(cast):
    a = InscriptionFactory(jeune__etablissement=cast.lycee_a, referent=cast.referent_a, campagne=cast.campagne)
    InscriptionFactory(jeune__etablissement=cast.lycee_a, referent=cast.referent_a2, campagne=cast.campagne)
    assert visibles(cast.referent_a) == {a.jeune}
    assert set(Inscription.objects.visibles_par(cast.referent_a)) == {a}


def test_pilotage_administrateur_et_sans_role_ne_voient_personne(cast):
    InscriptionFactory(jeune__etablissement=cast.lycee_a, referent=cast.referent_a, campagne=cast.campagne)
    for user in (cast.pilotage, cast.admin, cast.sans_role):
        assert visibles(user) == set()


def test_une_affectation_terminee_ne_donne_plus_acces(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    cast.chef_a.affectations.update(date_fin=datetime.date(2020, 1, 1))
    cast.chef_a.__dict__.pop("perimetre", None)
    assert jeune not in visibles(cast.chef_a)
