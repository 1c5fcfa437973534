"""Write predicates of avenirpro.acces about accounts and roles."""

from avenirpro import acces
from avenirpro.models import Affectation, Role
from tests.avenirpro.factories import avec_role


def test_roles_attribuables(cast):
    assert set(acces.roles_attribuables(cast.admin)) == set(Role.values)
    # psy-EN and MLDS open the sensitive sections: the administrator's only (ADR 0009).
    assert set(acces.roles_attribuables(cast.chef_a)) == {"chef", "referent"}
    for membre in ("referent_a", "conseiller_a", "psy_a", "mlds_a", "pilotage", "sans_role"):
        assert acces.roles_attribuables(getattr(cast, membre)) == [], membre
        assert not acces.peut_inviter(getattr(cast, membre))
    directeur = avec_role(Role.CONSEILLER_ML, mission_locale=cast.ml_a, email="dir@test.fr")
    Affectation.objects.filter(utilisateur=directeur).update(responsable=True)
    assert acces.roles_attribuables(directeur) == ["conseiller_ml"]


def test_peut_gerer_affectation(cast):
    ref_a = Affectation.objects.get(utilisateur=cast.referent_a)
    cons_a = Affectation.objects.get(utilisateur=cast.conseiller_a)
    assert acces.peut_gerer_affectation(cast.chef_a, ref_a)
    assert not acces.peut_gerer_affectation(cast.chef_b, ref_a)
    assert not acces.peut_gerer_affectation(cast.chef_a, cons_a)  # counsellors belong to their mission locale
    assert acces.peut_gerer_affectation(cast.admin, cons_a)
    directeur = avec_role(Role.CONSEILLER_ML, mission_locale=cast.ml_a, email="dir@test.fr")
    Affectation.objects.filter(utilisateur=directeur).update(responsable=True)
    assert acces.peut_gerer_affectation(directeur, cons_a)
    assert not acces.peut_gerer_affectation(directeur, Affectation.objects.get(utilisateur=cast.conseiller_b))
    assert not acces.peut_gerer_affectation(directeur, ref_a)


def test_seul_l_administrateur_modifie_un_compte_et_lit_le_journal(cast):
    for membre in ("chef_a", "pilotage", "sans_role"):
        assert not acces.peut_modifier_compte(getattr(cast, membre), cast.referent_a)
        assert not acces.peut_voir_journal(getattr(cast, membre))
    assert acces.peut_modifier_compte(cast.admin, cast.referent_a)
    assert not acces.peut_modifier_compte(cast.admin, cast.admin)
    assert acces.peut_voir_journal(cast.admin)
