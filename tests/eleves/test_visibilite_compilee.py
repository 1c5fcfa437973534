"""The statement of a perimeter's visible ids is compiled once per process for the values it depends on
(`eleves.models._ids_visibles`): reused by the next request of that perimeter, never by another perimeter, and
read at execution, so that what the data say now is what the user sees."""

import pytest

from avenirpro.models import Role, Utilisateur
from eleves.models import Accompagnant, Jeune, _ids_visibles
from tests.avenirpro.factories import AffectationFactory, CouvertureFactory
from tests.eleves.factories import JeuneFactory

pytestmark = pytest.mark.django_db


def _visibles(user) -> set[int]:
    # A fresh user object per call: the perimeter is computed once per request (and per user object).
    return set(Jeune.objects.visibles_par(Utilisateur.objects.get(pk=user.pk)).values_list("pk", flat=True))


def test_le_meme_perimetre_reutilise_la_requete_compilee(cast):
    _visibles(cast.conseiller_a)
    avant = _ids_visibles.cache_info()
    _visibles(cast.conseiller_a)
    apres = _ids_visibles.cache_info()
    assert (apres.hits, apres.misses) == (avant.hits + 1, avant.misses)


def test_une_couverture_ajoutee_change_la_requete_et_ce_qui_est_vu(cast):
    jeune_b = JeuneFactory(etablissement=cast.lycee_b, a_invitation=True)
    assert jeune_b.pk not in _visibles(cast.conseiller_a)
    CouvertureFactory(mission_locale=cast.ml_a, etablissement=cast.lycee_b)
    assert jeune_b.pk in _visibles(cast.conseiller_a)  # another perimeter, another statement


def test_la_requete_compilee_lit_les_donnees_du_moment(cast):
    assert not {j.pk for j in Jeune.objects.filter(etablissement=cast.lycee_a)} & _visibles(cast.conseiller_a)
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    assert jeune.pk not in _visibles(cast.conseiller_a)  # not yet invited: not visible to the mission locale
    Jeune.objects.filter(pk=jeune.pk).update(a_invitation=True)
    assert jeune.pk in _visibles(cast.conseiller_a)  # same statement, today's rows


def test_deux_conseillers_de_la_meme_mission_locale_ne_partagent_pas_la_requete(cast):
    """Same lycées covered, not the same young people: each one's own parcours (`Accompagnant`) are in the key."""
    autre = AffectationFactory(role=Role.CONSEILLER_ML, mission_locale=cast.ml_a, etablissement=None).utilisateur
    assert autre.perimetre.couverts == Utilisateur.objects.get(pk=cast.conseiller_a.pk).perimetre.couverts
    suivi = JeuneFactory(etablissement=cast.lycee_b)  # outside the covered lycées, followed by conseiller_a only
    Accompagnant.objects.create(jeune=suivi, utilisateur=cast.conseiller_a, conseiller=True, ouvert=True)
    assert suivi.pk in _visibles(cast.conseiller_a)
    assert suivi.pk not in _visibles(autre)
