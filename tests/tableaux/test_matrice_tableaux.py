"""Runs this app's access matrix (tests/tableaux/matrice.py) for every member of the cast and anonymously."""

import pytest
from django.urls import reverse

from tests.matrice import MEMBRES, construire_scenario
from tests.tableaux.matrice import CAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cas", CAS, ids=[c.url for c in CAS])
def test_matrice_des_tableaux(cas, cast, client):
    s = construire_scenario(cast)
    url = reverse(cas.url, kwargs=cas.kwargs(s))
    appel = client.post if cas.methode == "post" else client.get
    r = appel(url)
    assert r.status_code == 302 and "/comptes/login/" in r["Location"]
    for membre in MEMBRES:
        client.force_login(getattr(s, membre))
        r = appel(url)
        if membre in cas.autorises:
            assert r.status_code in cas.succes, (membre, r.status_code)
        else:
            assert r.status_code in (403, 404), (membre, r.status_code)
        client.logout()
