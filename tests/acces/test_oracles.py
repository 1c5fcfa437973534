"""Two more properties of every case of the matrix (docs/scorecard.md):

- AC-04 existence oracle: a record of another lycée answers exactly like a record that does not exist;
- AC-11 no state change on GET: reading a page writes nothing but the access log.
"""

import re
import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.acces.collecte import collecter_cas, empreinte_base
from tests.matrice import MEMBRES, construire_scenario

CAS = collecter_cas()
GET_OBJET = [(i, c) for i, c in CAS if c.methode == "get" and c.objet]
GET = [(i, c) for i, c in CAS if c.methode == "get"]
# Reads that are meant to leave a trace (avenirpro.journal) or to mark a notification as read.
TABLES_ECRITES_EN_LECTURE = {"avenirpro.JournalAcces", "avenirpro.Notification", "avenirpro.TacheEnAttente"}


# Per-request randomness of every page in the site's layout (the French 404 page has it too): the CSRF token of the
# header's logout form and the CSP nonce. They differ between any two requests, existing record or not.
_ALEA = re.compile(rb'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def _normaliser(contenu: bytes, *valeurs) -> bytes:
    for v in valeurs:
        contenu = contenu.replace(str(v).encode(), b"")
    return _ALEA.sub(rb'\1""', contenu)


@pytest.mark.parametrize("cas", [c for _, c in GET_OBJET], ids=[i for i, _ in GET_OBJET])
def test_un_dossier_hors_perimetre_repond_comme_un_dossier_inexistant(cas, cast):
    s = construire_scenario(cast)
    kwargs = cas.kwargs(s)
    faux = {k: (uuid.uuid4() if isinstance(v, uuid.UUID) else v) for k, v in kwargs.items()}
    refuses = [m for m in MEMBRES if m not in cas.autorises]
    for membre in refuses:
        client = Client()
        client.force_login(getattr(s, membre))
        vrai = client.get(reverse(cas.url, kwargs=kwargs), cas.donnees(s))
        assert vrai.status_code == 404, membre
        if faux == kwargs:
            continue  # the record is not named by a UUID in the path: nothing to forge
        invente = client.get(reverse(cas.url, kwargs=faux), cas.donnees(s))
        assert invente.status_code == 404, membre
        a = _normaliser(vrai.content, *kwargs.values())
        b = _normaliser(invente.content, *faux.values())
        assert a == b, f"{membre} distingue un dossier existant d'un dossier inventé sur {cas.url}"


@pytest.mark.parametrize("cas", [c for _, c in GET], ids=[i for i, _ in GET])
def test_une_lecture_n_ecrit_rien(cas, cast):
    s = construire_scenario(cast)
    url = reverse(cas.url, kwargs=cas.kwargs(s))
    for membre in sorted(cas.autorises):
        client = Client()
        client.force_login(getattr(s, membre))
        with transaction.atomic():
            sid = transaction.savepoint()
            avant = empreinte_base()
            client.get(url, cas.donnees(s))
            apres = empreinte_base()
            transaction.savepoint_rollback(sid)
        changees = {k for k in avant if avant[k] != apres.get(k)} - TABLES_ECRITES_EN_LECTURE
        assert not changees, f"GET {url} par {membre} a modifié {sorted(changees)}"
