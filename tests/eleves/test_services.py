import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from eleves import services
from eleves.models import Contact, Reperage
from eleves.typologie import typologie_calculee
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reperage(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    return ReperageFactory(jeune=jeune, campagne=cast.campagne, resultat="ajourne", souhaite_repreparer=True,
                           typologie="echec_repreparer", parcoursup="non_candidat")  # fmt: skip


@pytest.mark.parametrize(
    "issue,statut",
    [("joint", "contacte"), ("injoignable", "injoignable"), ("interesse", "interesse"), ("refus", "ne_souhaite_pas"),
     ("solution_trouvee", "solution_trouvee")],
)  # fmt: skip
def test_le_resultat_du_contact_met_a_jour_le_statut(cast, reperage, issue, statut):
    c = services.enregistrer_contact(
        auteur=cast.chef_a, reperage=reperage, date=None, canal="sms", issue=issue, relais_estival="mission_locale"
    )
    reperage.refresh_from_db()
    assert reperage.statut_contact == statut and reperage.relais_estival == "mission_locale"
    assert c.auteur == cast.chef_a and c.campagne == cast.campagne


def test_seul_le_chef_du_lycee_note_un_contact(cast, reperage):
    with pytest.raises(PermissionDenied):
        services.enregistrer_contact(auteur=cast.chef_b, reperage=reperage, date=None, canal="sms", issue="joint")
    assert not Contact.objects.exists()


def test_typologie_modifiee_exige_un_motif(cast, reperage):
    with pytest.raises(ValidationError):
        services.modifier_typologie(
            auteur=cast.chef_a, reperage=reperage, typologie="diplome_sans_solution", motif=" "
        )
    services.modifier_typologie(auteur=cast.chef_a, reperage=reperage, typologie="echec_accompagnement", motif="RDV")
    reperage.refresh_from_db()
    assert reperage.typologie == "echec_accompagnement" and reperage.typologie_forcee
    assert reperage.history.first().history_change_reason.startswith("Typologie modifiée")
    # and the database refuses a forced typology without reason
    with pytest.raises(IntegrityError), transaction.atomic():
        Reperage.objects.filter(pk=reperage.pk).update(typologie_modifiee_motif="")


def test_typologie_calculee():
    T = Reperage.Typologie
    cas = [
        (dict(resultat="admis", parcoursup="aucune"), T.DIPLOME_SANS_PARCOURSUP),
        (dict(resultat="admis", parcoursup="non_candidat"), T.DIPLOME_SANS_SOLUTION),
        (dict(resultat="admis", parcoursup="acceptee"), T.AVEC_SOLUTION),
        (dict(resultat="ajourne", souhaite_repreparer=True), T.ECHEC_REPREPARER),
        (dict(resultat="absent"), T.ECHEC_ACCOMPAGNEMENT),
        (dict(resultat="ajourne", situation_rentree="apprentissage"), T.AVEC_SOLUTION),
    ]
    for champs, attendu in cas:
        assert typologie_calculee(Reperage(**champs)) == attendu


def test_r9_reinscription_proposee_d_abord(cast, reperage):
    ok, message = services.peut_entrer_avenirpro(reperage)
    assert not ok and "réinscription" in message
    assert reperage.reinscription_a_proposer
    services.enregistrer_reinscription(
        auteur=cast.chef_a, reperage=reperage, proposee_le=datetime.date(2026, 7, 3), reponse="en_attente"
    )
    assert not services.peut_entrer_avenirpro(reperage)[0]
    services.enregistrer_reinscription(
        auteur=cast.chef_a, reperage=reperage, proposee_le=datetime.date(2026, 7, 3), reponse="acceptee"
    )
    assert not services.peut_entrer_avenirpro(reperage)[0]
    # R9 (memento 2025): a declined offer carries its reason.
    with pytest.raises(ValidationError, match="pourquoi"):
        services.enregistrer_reinscription(
            auteur=cast.chef_a, reperage=reperage, proposee_le=datetime.date(2026, 7, 3), reponse="refusee"
        )
    services.enregistrer_reinscription(
        auteur=cast.chef_a, reperage=reperage, proposee_le=datetime.date(2026, 7, 3), reponse="refusee",
        canal="telephone", motif="projet", precisions="Veut travailler",
    )  # fmt: skip
    assert services.peut_entrer_avenirpro(reperage) == (True, "")
    # an answer without a proposal is refused by the database
    with pytest.raises(IntegrityError), transaction.atomic():
        Reperage.objects.filter(pk=reperage.pk).update(reinscription_proposee_le=None)


def test_r9_pas_de_reinscription_pour_un_admis(cast):
    r = ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne, resultat="admis")
    with pytest.raises(ValidationError):
        services.enregistrer_reinscription(
            auteur=cast.chef_a, reperage=r, proposee_le=datetime.date(2026, 7, 3), reponse="refusee"
        )
    assert services.peut_entrer_avenirpro(r)[0]
