from django.core.management import call_command

from parcours.models import PFMP, Action, Inscription, Presence
from parcours.verification import constats


def test_demo_idempotente(db):
    call_command("seed_demo", jeunes=12, stdout=open("/dev/null", "w"))
    compte = (Inscription.objects.count(), Action.objects.count(), PFMP.objects.count(), Presence.objects.count())
    assert compte[0] >= 3 and compte[1] >= 4 and compte[2] >= 3 and compte[3] > 0
    call_command("seed_demo", jeunes=12, stdout=open("/dev/null", "w"))
    assert (
        Inscription.objects.count(),
        Action.objects.count(),
        PFMP.objects.count(),
        Presence.objects.count(),
    ) == compte
    assert [(i.uuid, e.message) for i, e in constats()] == []  # verifier_regles: 0 on the demo
    i = Inscription.objects.filter(referent__email="referent@demo.avenirpro.fr").first()
    assert i.conseiller.email == "conseiller@demo.avenirpro.fr"


def test_la_demo_suit_r1_et_r9(db):
    """Every enrolled young person of the demo confirmed their wish (R1); every enrolled failed candidate was offered
    a re-enrolment first and declined it with a reason (R9); the I-Milo numbers are digits, never shared."""
    from eleves import regles as regles_eleves
    from parcours import regles, volontariat

    call_command("seed_demo", jeunes=30, stdout=open("/dev/null", "w"))
    assert Inscription.objects.filter(
        jeune__reperages__resultat__in=("ajourne", "absent"),
        jeune__reperages__reponse_reinscription="refusee",
    ).exists()
    assert regles_eleves.inscriptions_sans_offre_reinscription() == []
    assert regles_eleves.reperages_reinscription_sans_motif() == []
    assert volontariat.inscriptions_sans_volontariat() == []
    assert regles.numeros_imilo_partages() == []
    assert all(i.numero_imilo.isdigit() for i in Inscription.objects.exclude(numero_imilo=""))
