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
