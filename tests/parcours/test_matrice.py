"""Runs the parcours access matrix for every member of the cast (and an anonymous visitor)."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.matrice import MEMBRES, construire_scenario
from tests.parcours.matrice import CAS


@pytest.fixture
def scenario(cast):
    return construire_scenario(cast)


@pytest.mark.parametrize("cas", CAS, ids=lambda c: f"{c.url}-{c.methode}")
def test_matrice(scenario, cas):
    url = reverse(cas.url, kwargs=cas.kwargs(scenario))
    for membre in MEMBRES:
        client = Client()
        client.force_login(getattr(scenario, membre))
        reponse = getattr(client, cas.methode)(url, cas.donnees(scenario))
        if membre in cas.autorises:
            assert reponse.status_code in cas.succes, f"{membre} {cas.methode} {url}: {reponse.status_code}"
        elif cas.objet:
            assert reponse.status_code == 404, f"{membre} {cas.methode} {url}: {reponse.status_code}"
        else:
            assert reponse.status_code in (403, 404), f"{membre} {cas.methode} {url}: {reponse.status_code}"
    anonyme = getattr(Client(), cas.methode)(url, cas.donnees(scenario))
    if cas.url == "parcours:ics":
        assert anonyme.status_code == 200
    else:
        assert anonyme.status_code == 302 and "/comptes/login/" in anonyme["Location"]


def test_chaque_url_du_parcours_a_un_cas():
    noms = {f"parcours:{n}" for n in get_resolver().namespace_dict["parcours"][1].reverse_dict if isinstance(n, str)}
    assert noms == {c.url for c in CAS}
