import pytest
from django.core.management import call_command

from eleves.models import Contact, Reperage

pytestmark = pytest.mark.django_db


def test_la_demo_ajoute_des_contacts_une_seule_fois():
    call_command("seed_demo", "--jeunes", "12", verbosity=0)
    n = Contact.objects.count()
    assert n >= 6
    assert Reperage.objects.exclude(statut_contact="a_contacter").exists()
    call_command("seed_demo", "--jeunes", "12", verbosity=0)
    assert Contact.objects.count() == n
