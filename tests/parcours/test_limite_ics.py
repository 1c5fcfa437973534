"""Rate limit of the anonymous ICS feed (issue 13, F9): per client IP, through the cache, 429 beyond it."""

import datetime
import uuid

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.fiabilite.scorecard import consigner
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db


def _limite() -> int:
    return int(settings.ACCOUNT_RATE_LIMITS["jeton_public"].split("/")[0])


def test_le_flux_ics_est_limite_par_adresse_ip(cast):
    inscription = InscriptionFactory(jeune__etablissement=cast.lycee_a, campagne=cast.campagne, statut="en_cours")
    inscription.jeton_ics = uuid.uuid4()
    inscription.save(update_fields=["jeton_ics"])
    valide = reverse("parcours:ics", kwargs={"jeton": inscription.jeton_ics})
    attaquant = Client(REMOTE_ADDR="203.0.113.7")
    with time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC), tick=False) as voyage:
        codes = [
            attaquant.get(reverse("parcours:ics", kwargs={"jeton": uuid.uuid4()})).status_code
            for _ in range(_limite() + 20)
        ]
        assert codes[: _limite()] == [404] * _limite()
        assert set(codes[_limite() :]) == {429}
        refus = attaquant.get(valide)
        assert refus.status_code == 429 and refus["Retry-After"] == "60"
        assert "Trop de demandes" in refus.content.decode()
        # Another address is not affected.
        assert Client(REMOTE_ADDR="198.51.100.2").get(valide).status_code == 200
        # The window passes: the address may ask again.
        voyage.shift(datetime.timedelta(seconds=61))
        assert attaquant.get(valide).status_code == 200
    consigner(
        "securite_limite_ics",
        {"requetes": len(codes), "refusees_429": codes.count(429), "acceptees_au_dela_de_la_limite": 0},
    )
