"""Runs the entretiens access matrix for every member of the cast (the project-wide runner may run it too)."""

import pytest
from django.urls import reverse

from tests.entretiens.matrice import CAS
from tests.matrice import MEMBRES, construire_scenario


@pytest.mark.parametrize("cas", CAS, ids=lambda c: f"{c.methode}-{c.url}")
def test_matrice_entretiens(cas, cast, client):
    s = construire_scenario(cast)
    url = reverse(cas.url, kwargs=cas.kwargs(s))
    envoyer = getattr(client, cas.methode)
    r = envoyer(url, cas.donnees(s))
    assert r.status_code == 302 and "/comptes/login/" in r["Location"], "anonyme"
    for membre in MEMBRES:
        client.force_login(getattr(s, membre))
        r = envoyer(url, cas.donnees(s))
        if membre in cas.autorises:
            assert r.status_code in cas.succes, f"{membre} : {r.status_code}"
        elif cas.objet:
            assert r.status_code == 404, f"{membre} : {r.status_code}"
        else:
            assert r.status_code in (403, 404) or (cas.methode == "post" and r.status_code == 200), (
                f"{membre} : {r.status_code}"
            )
        client.logout()


def test_chaque_url_entretiens_est_dans_la_matrice():
    from entretiens.urls import urlpatterns

    noms = {f"entretiens:{p.name}" for p in urlpatterns}
    assert noms == {c.url for c in CAS}
