"""R1 and R9 at enrolment: the repérage decides who may enter AvenirPro+, on every path (service level)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from eleves.models import Reperage
from parcours import services
from tests.eleves.factories import ReperageFactory

ENTREE = datetime.date(2026, 9, 14)


def _reperage(cast, **kwargs):
    return ReperageFactory(jeune__etablissement=cast.lycee_a, campagne=cast.campagne, **kwargs)


def test_r9_un_echec_qui_veut_repreparer_se_voit_d_abord_proposer_une_reinscription(cast):
    r = _reperage(cast, resultat="ajourne", souhaite_repreparer=True, typologie=Reperage.Typologie.ECHEC_REPREPARER)
    with pytest.raises(ValidationError, match="réinscription"):
        services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)

    r.reinscription_proposee_le = datetime.date(2026, 7, 5)
    r.reponse_reinscription = Reperage.ReponseReinscription.EN_ATTENTE
    r.save()
    with pytest.raises(ValidationError, match="prioritaire"):
        services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)

    r.reponse_reinscription = Reperage.ReponseReinscription.REFUSEE
    r.save()
    with pytest.raises(ValidationError, match="situation ou au projet"):  # R9 corrected: the reason is recorded
        services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)

    r.reinscription_motif = Reperage.MotifReinscription.SITUATION
    r.save()
    inscription = services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)
    assert inscription.pk


def test_r1_un_jeune_avec_une_solution_connue_n_entre_pas(cast):
    r = _reperage(cast, situation_rentree="emploi", typologie=Reperage.Typologie.AVEC_SOLUTION)
    with pytest.raises(ValidationError, match="solution est connue"):
        services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)


def test_un_diplome_sans_solution_entre(cast):
    r = _reperage(cast)
    assert services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE).pk


def test_r4_le_plafond_suit_la_date_d_entree_modifiee_dans_le_meme_processus(cast):
    """The cap must not be remembered per parcours: after the entry date changes, it is recomputed."""
    from parcours import regles

    r = _reperage(cast)
    inscription = services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)
    fin = inscription.date_fin_prevue
    avant = regles.plafond_pfmp(inscription, fin=fin)
    inscription.date_entree = datetime.date(2026, 11, 2)
    assert regles.plafond_pfmp(inscription, fin=fin) < avant
