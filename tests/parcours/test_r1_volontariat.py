"""R1 volunteering (issue #14 case 7): «les jeunes ayant confirmé leur souhait … sont inscrits». A confirmed decision
(interview «entrée confirmée» or a written commitment recorded by the chef) comes before enrolment; a refusal
(interview «refus», or a last contact «refus») blocks it until a later confirmation."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from eleves import services as services_eleves
from eleves.models import Contact
from entretiens.models import Entretien
from parcours import services, volontariat
from parcours.models import Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = pytest.mark.django_db

ENTREE = datetime.date(2026, 9, 14)
PARIS = ZoneInfo("Europe/Paris")


def _quand(j, m, h=10):
    return datetime.datetime(2026, m, j, h, 0, tzinfo=PARIS)


def _reperage(cast, **kwargs):
    """A graduate without solution who has NOT confirmed yet (no written commitment)."""
    return ReperageFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a),
        campagne=cast.campagne,
        engagement_ecrit_le=None,
        engagement_ecrit_motif="",
        **kwargs,
    )


def _entretien(cast, r, decision, quand):
    return Entretien.objects.create(
        jeune=r.jeune, campagne=cast.campagne, type=Entretien.Type.ENTREE, date=quand, decision=decision
    )


def _contact(cast, r, issue, quand):
    return services_eleves.enregistrer_contact(
        auteur=cast.chef_a, reperage=r, date=quand, canal="telephone", issue=issue
    )


def _inscrire(r):
    return services.inscrire(jeune=r.jeune, campagne=r.campagne, date_entree=ENTREE)


def test_sans_decision_confirmee_pas_d_inscription(cast):
    r = _reperage(cast)
    with pytest.raises(ValidationError, match="n'a pas confirmé son souhait"):
        _inscrire(r)
    _entretien(cast, r, Entretien.Decision.SANS_SUITE, _quand(8, 9))
    with pytest.raises(ValidationError, match="n'a pas confirmé son souhait"):
        _inscrire(r)
    _entretien(cast, r, Entretien.Decision.ENTREE_CONFIRMEE, _quand(10, 9))
    assert _inscrire(r).pk


def test_un_entretien_refus_bloque_l_inscription(cast):
    r = _reperage(cast)
    _entretien(cast, r, Entretien.Decision.ENTREE_CONFIRMEE, _quand(3, 9))
    _entretien(cast, r, Entretien.Decision.REFUS, _quand(8, 9))
    with pytest.raises(ValidationError, match="l'entretien du 08/09/2026 a conclu à un refus"):
        _inscrire(r)
    assert not Inscription.objects.filter(jeune=r.jeune).exists()


def test_un_dernier_contact_refus_bloque_l_inscription(cast):
    r = _reperage(cast)
    _entretien(cast, r, Entretien.Decision.ENTREE_CONFIRMEE, _quand(3, 9))
    _contact(cast, r, Contact.Issue.REFUS, _quand(7, 9))
    with pytest.raises(ValidationError, match="le dernier contact, le 07/09/2026, a pour résultat « refus »"):
        _inscrire(r)
    # a refusal followed by a later contact that is not a refusal no longer counts as the last word…
    _contact(cast, r, Contact.Issue.INTERESSE, _quand(9, 9))
    assert volontariat.verifier_volontariat(r) == (True, "")


def test_l_engagement_ecrit_posterieur_leve_le_refus_avec_ses_precisions(cast):
    r = _reperage(cast)
    _entretien(cast, r, Entretien.Decision.REFUS, _quand(8, 9))
    with pytest.raises(ValidationError, match="comment l'engagement a été recueilli"):
        services_eleves.enregistrer_engagement(
            auteur=cast.chef_a, reperage=r, date=datetime.date(2026, 9, 10), precisions=" "
        )
    # a commitment older than the refusal does not lift it
    services_eleves.enregistrer_engagement(
        auteur=cast.chef_a, reperage=r, date=datetime.date(2026, 9, 1), precisions="Lettre signée"
    )
    with pytest.raises(ValidationError, match="refus"):
        _inscrire(r)
    services_eleves.enregistrer_engagement(
        auteur=cast.chef_a, reperage=r, date=datetime.date(2026, 9, 10), precisions="Lettre signée après réflexion"
    )
    assert _inscrire(r).pk
    r.refresh_from_db()
    assert r.history.first().history_change_reason.startswith("Engagement écrit du 10/09/2026")


def test_l_ecran_d_inscription_explique_et_l_engagement_se_saisit_a_l_ecran(cast, client_de):
    r = _reperage(cast)
    _contact(cast, r, Contact.Issue.REFUS, _quand(7, 9))
    client = client_de(cast.chef_a)
    url = reverse("parcours:inscrire", kwargs={"jeune_uuid": r.jeune.uuid})
    reponse = client.post(url, {"date_entree": "14/09/2026", "statut": "en_preparation"})
    assert reponse.status_code == 200 and "pas volontaire" in reponse.content.decode()
    assert not Inscription.objects.filter(jeune=r.jeune).exists()
    lien = reverse("eleves:engagement", kwargs={"uuid": r.jeune.uuid})
    assert f'href="{lien}"' in reponse.content.decode()
    vide = client.post(lien, {"engagement_le": "2026-09-10", "engagement_precisions": ""})
    assert vide.status_code == 200 and not r.__class__.objects.get(pk=r.pk).engagement_ecrit_le
    ok = client.post(lien, {"engagement_le": "2026-09-10", "engagement_precisions": "Lettre signée"})
    assert ok.status_code == 302
    reponse = client.post(url, {"date_entree": "14/09/2026", "statut": "en_preparation"})
    assert reponse.status_code == 302 and Inscription.objects.filter(jeune=r.jeune).exists()


def test_audit_des_inscrits_sans_volontariat(cast):
    from tests.parcours.factories import InscriptionFactory

    r = _reperage(cast)
    InscriptionFactory(jeune=r.jeune, campagne=cast.campagne)  # written around the service
    assert len(volontariat.inscriptions_sans_volontariat()) == 1
    _entretien(cast, r, Entretien.Decision.ENTREE_CONFIRMEE, _quand(10, 9))
    assert volontariat.inscriptions_sans_volontariat() == []
