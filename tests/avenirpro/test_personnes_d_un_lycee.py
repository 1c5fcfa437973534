"""«Chefs of a lycée», «volunteer référents», «counsellors covering a lycée»: one queryset method each on the core
models (issue 15), and nowhere else a hand-written filter on the chef role."""

import ast
import datetime

import pytest
from django.utils import timezone

from avenirpro.models import Affectation, Couverture, Role, Utilisateur
from tests.avenirpro.factories import AffectationFactory, MissionLocaleFactory, avec_role
from tests.avenirpro.test_un_seul_chemin import MODULES

pytestmark = pytest.mark.django_db


def test_chefs_de(cast):
    ancien = avec_role(Role.CHEF, etablissement=cast.lycee_a, email="ancien.chef@test.fr")
    Affectation.objects.filter(utilisateur=ancien).update(date_fin=timezone.localdate() - datetime.timedelta(days=1))
    inactif = avec_role(Role.CHEF, etablissement=cast.lycee_a, email="inactif@test.fr", is_active=False)
    futur = avec_role(Role.CHEF, etablissement=cast.lycee_a, email="futur@test.fr")
    Affectation.objects.filter(utilisateur=futur).update(date_debut=timezone.localdate() + datetime.timedelta(days=3))
    assert list(Utilisateur.objects.chefs_de(cast.lycee_a)) == [cast.chef_a]
    assert list(Utilisateur.objects.chefs_de(cast.lycee_b.pk)) == [cast.chef_b]
    assert {a.utilisateur for a in Affectation.objects.actives().chefs()} == {cast.chef_a, cast.chef_b, inactif}


def test_referents_volontaires_de(cast):
    AffectationFactory(utilisateur=cast.chef_a, role=Role.REFERENT, etablissement=cast.lycee_b)
    ids = set(Utilisateur.objects.referents_volontaires_de(cast.lycee_a).values_list("email", flat=True))
    assert ids == {"referent.a@test.fr", "referent.a2@test.fr"}
    Utilisateur.objects.filter(pk=cast.referent_a2.pk).update(is_active=False)
    assert list(Utilisateur.objects.referents_volontaires_de(cast.lycee_a.pk)) == [cast.referent_a]
    assert list(Utilisateur.objects.referents_volontaires_de(cast.lycee_b)) == [cast.chef_a]


def test_conseillers_couvrant(cast):
    ml_c = MissionLocaleFactory(nom="Mission locale C")
    conseiller_c = avec_role(Role.CONSEILLER_ML, mission_locale=ml_c, email="conseiller.c@test.fr")
    assert list(Utilisateur.objects.conseillers_couvrant(cast.lycee_a)) == [cast.conseiller_a]
    # A covering that starts tomorrow, or ended yesterday, does not count.
    jour = timezone.localdate()
    c = Couverture.objects.create(
        mission_locale=ml_c, etablissement=cast.lycee_a, date_debut=jour + datetime.timedelta(1)
    )
    assert conseiller_c not in Utilisateur.objects.conseillers_couvrant(cast.lycee_a)
    Couverture.objects.filter(pk=c.pk).update(date_debut=jour)
    assert set(Utilisateur.objects.conseillers_couvrant(cast.lycee_a.pk)) == {cast.conseiller_a, conseiller_c}
    Couverture.objects.filter(pk=c.pk).update(
        date_debut=jour - datetime.timedelta(9), date_fin=jour - datetime.timedelta(1)
    )
    assert list(Utilisateur.objects.conseillers_couvrant(cast.lycee_a)) == [cast.conseiller_a]


def test_le_role_de_chef_n_est_filtre_qu_a_un_endroit():
    """No `filter(role=Role.CHEF, …)` outside avenirpro/models.py (demo data and benchmarks create roles, they do
    not query them)."""
    trouves = []
    for fichier, arbre in MODULES:
        if fichier == "avenirpro/models.py" or fichier.startswith(("bench/", "scripts/")):
            continue
        for n in ast.walk(arbre):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("filter", "exclude"):
                for k in n.keywords:
                    if k.arg == "role" and ast.unparse(k.value) in ("Role.CHEF", "'chef'"):
                        trouves.append(fichier)
    assert trouves == []
