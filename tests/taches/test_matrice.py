"""Runs the cases of tests/taches/matrice.py for every member of the cast (the project-wide runner does the same
for every app once merged)."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from avenirpro.models import Notification, Utilisateur
from tests.matrice import MEMBRES, construire_scenario
from tests.taches.matrice import CAS


class _Annuler(Exception):
    pass


def _empreinte():
    return (
        sorted(Notification.objects.values_list("pk", "lue_le")),
        sorted(Utilisateur.objects.values_list("pk", "notifications_en_resume")),
    )


@pytest.mark.parametrize("cas", CAS, ids=[f"{c.methode}-{c.url}" for c in CAS])
def test_matrice_notifications(cas, cast):
    s = construire_scenario(cast)
    url = reverse(cas.url, kwargs=cas.kwargs(s))
    ecarts = []
    for membre in [*MEMBRES, None]:
        client = Client()
        try:
            with transaction.atomic():
                if membre is not None:
                    client.force_login(getattr(s, membre))
                avant = _empreinte()
                r = getattr(client, cas.methode)(url, cas.donnees(s))
                if membre is None:
                    if not (r.status_code == 302 and reverse("account_login") in r["Location"]):
                        ecarts.append(f"anonyme : {r.status_code}")
                elif membre in cas.autorises:
                    if r.status_code not in cas.succes:
                        ecarts.append(f"{membre} (autorisé) : {r.status_code}")
                else:
                    attendus = (404,) if cas.objet else (403, 404)
                    if r.status_code not in attendus or _empreinte() != avant:
                        ecarts.append(f"FUITE {membre} : {r.status_code}")
                raise _Annuler
        except _Annuler:
            pass
    assert not ecarts, f"{cas.methode.upper()} {url} :\n" + "\n".join(ecarts)
