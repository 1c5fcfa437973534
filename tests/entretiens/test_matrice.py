"""Runs the entretiens access matrix for every member of the cast (the project-wide runner may run it too)."""

import pytest
from django.urls import reverse

from entretiens.models import Reunion
from tests.entretiens.matrice import CAS, CAS_SUPPLEMENTAIRES
from tests.matrice import MEMBRES, construire_scenario


@pytest.mark.parametrize("cas", CAS + CAS_SUPPLEMENTAIRES, ids=lambda c: f"{c.methode}-{c.url}")
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
            assert r.status_code in (403, 404) or (cas in CAS_SUPPLEMENTAIRES and r.status_code == 200), (
                f"{membre} : {r.status_code}"
            )
        client.logout()


def test_chaque_url_entretiens_est_dans_la_matrice():
    from entretiens.urls import urlpatterns

    noms = {f"entretiens:{p.name}" for p in urlpatterns}
    assert noms == {c.url for c in CAS}


def test_reunion_pour_un_lycee_non_gere_refusee(cast, client_de):
    from tests.entretiens.matrice import donnees_reunion

    for membre in (cast.chef_b, cast.conseiller_b):
        r = client_de(membre).post(reverse("entretiens:reunion_creer"), donnees_reunion(cast))
        assert r.status_code == 200 and "Sélectionnez un choix valide" in r.content.decode()
    assert not Reunion.objects.exists()
