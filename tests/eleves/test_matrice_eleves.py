"""Runs the repérage's access matrix (tests/eleves/matrice.py) for every member of the cast and anonymous."""

import pytest
from django.urls import reverse

from tests.eleves.matrice import CAS
from tests.matrice import MEMBRES, construire_scenario

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cas", CAS, ids=[f"{c.url}-{c.methode}-{c.type}-{i}" for i, c in enumerate(CAS)])
def test_matrice(cast, client, cas):
    s = construire_scenario(cast)
    url = reverse(cas.url, kwargs=cas.kwargs(s))
    appel = client.post if cas.methode == "post" else client.get
    rep = appel(url, cas.donnees(s))
    assert rep.status_code == 302 and "/comptes/login/" in rep["Location"], "anonyme"
    # outsiders first, then the authorised (whose POST may change state)
    for membre in sorted(MEMBRES, key=lambda m: m in cas.autorises):
        client.force_login(getattr(s, membre))
        rep = appel(url, cas.donnees(s))
        if membre in cas.autorises:
            assert rep.status_code in cas.succes, (membre, rep.status_code)
        elif cas.objet:
            assert rep.status_code == 404, (membre, rep.status_code)
        else:
            assert rep.status_code in (403, 404), (membre, rep.status_code)
        client.logout()
