"""Two sweeps at the same time (the hourly job and a manual run) send each reminder once."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from entretiens import services
from tests.eleves.factories import JeuneFactory
from tests.entretiens.factories import InvitationFactory, ReunionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_deux_balayages_simultanes_n_envoient_qu_une_fois(cast, taches_sur_place):
    reunion = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
    for i in range(5):
        InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=cast.lycee_a, email=f"j{i}@exemple.fr"))
    maintenant = reunion.debut - datetime.timedelta(hours=24)
    depart = threading.Barrier(2)
    totaux = []

    def balayer():
        try:
            depart.wait()
            totaux.append(services.envoyer_rappels_reunions(maintenant=maintenant))
        finally:
            connection.close()

    fils = [threading.Thread(target=balayer) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sum(totaux) == 6  # five young people and the mission locale, once
    # The reminders (the organisers' notification, e-mailed too by the same queue, is not one of them).
    rappels = [m for m in mail.outbox if m.subject.startswith("AvenirPro+ – Rappel : réunion")]
    assert len(rappels) == 6
    assert len({tuple(m.to) for m in rappels}) == 6
