import pytest
from django.core.management import call_command

from entretiens.models import CreneauEntretien, Entretien, Invitation, Reunion

pytestmark = pytest.mark.django_db


def comptes():
    return (
        Reunion.objects.count(),
        Invitation.objects.count(),
        Entretien.objects.count(),
        CreneauEntretien.objects.count(),
    )


def test_la_demo_contient_une_reunion_des_invitations_et_des_entretiens(capsys):
    call_command("seed_demo", jeunes=30)
    reunions, invitations, entretiens, creneaux = comptes()
    assert reunions == 1 and invitations >= 4 and entretiens == 4 and creneaux == 3
    assert Entretien.objects.filter(decision=Entretien.Decision.ENTREE_CONFIRMEE).count() == 2
    assert Invitation.objects.filter(presence=Invitation.Presence.PRESENT).exists()
    call_command("seed_demo", jeunes=30)
    assert comptes() == (reunions, invitations, entretiens, creneaux)
