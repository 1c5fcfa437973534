"""The access matrix (docs/scorecard.md): every `Cas` of every `tests/<app>/matrice.py` × every
member of the cast and an anonymous visitor.

- an authorised member gets one of `cas.succes`;
- any other member gets 404 when the URL names a record (`objet=True`), 403 or 404 otherwise, and a refused POST
  changes no row of the project's tables;
- an anonymous visitor is sent to the login page.

Each member's request runs in a savepoint rolled back afterwards, so that what one authorised member changes does not
alter what the next one sees. The number of checks is printed and written to var/scorecard/matrice.json.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.acces.collecte import PUBLIQUES, collecter_cas, empreinte_base, urls_a_couvrir
from tests.matrice import MEMBRES, construire_scenario

CAS = collecter_cas()
BILAN = {"cas": 0, "fuites": 0, "erreurs": 0}


class _Annuler(Exception):
    pass


@pytest.fixture(scope="module", autouse=True)
def _scorecard():
    yield
    if BILAN["cas"]:
        dossier = Path(settings.BASE_DIR) / "var" / "scorecard"
        dossier.mkdir(parents=True, exist_ok=True)
        (dossier / "matrice.json").write_text(
            json.dumps({"cas": BILAN["cas"], "fuites": BILAN["fuites"], "cas_declares": len(CAS)}) + "\n"
        )
        print(
            f"\nMatrice d'accès : {BILAN['cas']} vérifications ({len(CAS)} cas × {len(MEMBRES) + 1} acteurs), "
            f"{BILAN['fuites']} fuite(s), {BILAN['erreurs']} autre(s) écart(s)."
        )


def _requete(client, cas, url, donnees):
    if cas.methode == "post":
        return client.post(url, donnees)
    return client.get(url, donnees)


def _verifier(cas, membre, reponse, avant, apres) -> str | None:
    statut = reponse.status_code
    if membre is None and cas.public:
        return None if statut in cas.succes else f"anonyme (URL publique à jeton) : {statut}, attendu {cas.succes}"
    if membre is None:
        if statut == 302 and reverse("account_login") in reponse.get("Location", ""):
            return None
        return f"anonyme : {statut} au lieu d'un renvoi vers la connexion"
    if membre in cas.autorises:
        return None if statut in cas.succes else f"{membre} (autorisé) : {statut}, attendu {cas.succes}"
    attendus = (404,) if cas.objet else (403, 404)
    if statut not in attendus:
        return f"FUITE {membre} (refusé) : {statut}, attendu {attendus}"
    if avant != apres:
        changees = sorted(k for k in avant if avant[k] != apres.get(k))
        return f"FUITE {membre} (refusé) : la requête a modifié {changees}"
    return None


@pytest.mark.parametrize("cas", [c for _, c in CAS], ids=[i for i, _ in CAS])
def test_matrice_d_acces(cas, cast):
    s = construire_scenario(cast)
    url = reverse(cas.url, kwargs=cas.kwargs(s))
    donnees = cas.donnees(s)
    ecarts = []
    for membre in [*MEMBRES, None]:
        client = Client()
        try:
            with transaction.atomic():
                if membre is not None:
                    client.force_login(getattr(s, membre))
                avant = empreinte_base() if cas.methode == "post" else None
                try:
                    reponse = _requete(client, cas, url, donnees)
                except Exception as e:  # an exception is a failure of the case, not of the whole run
                    ecarts.append(f"{membre or 'anonyme'} : exception {type(e).__name__}: {e}")
                    raise _Annuler from e
                apres = empreinte_base() if cas.methode == "post" and membre not in cas.autorises else avant
                ecart = _verifier(cas, membre, reponse, avant, apres)
                if ecart:
                    ecarts.append(ecart)
                raise _Annuler
        except _Annuler:
            pass
        BILAN["cas"] += 1
    BILAN["fuites"] += sum(1 for e in ecarts if e.startswith("FUITE"))
    BILAN["erreurs"] += sum(1 for e in ecarts if not e.startswith("FUITE"))
    assert not ecarts, f"{cas.methode.upper()} {url} :\n" + "\n".join(ecarts)


def test_chaque_url_du_projet_est_dans_un_cas():
    """AC-01: a URL added without a Cas fails here (allauth, the technical admin and declared public pages aside)."""
    urls, problemes = urls_a_couvrir()
    couvertes = {c.url for _, c in CAS}
    manquantes = sorted(f"{route} ({nom})" for route, nom in urls if nom not in couvertes)
    assert not problemes, "\n".join(problemes)
    assert not manquantes, "URL sans cas dans tests/<app>/matrice.py :\n" + "\n".join(manquantes)
    print(f"\n{len(urls)} URL du projet, toutes couvertes par {len(CAS)} cas.")


def test_chaque_cas_designe_une_url_existante():
    noms = {nom for _, nom in urls_a_couvrir()[0]} | {c.url for _, c in CAS if c.public and c.url in PUBLIQUES}
    inconnues = sorted({c.url for _, c in CAS} - noms)
    assert not inconnues, f"Cas pour des URL inexistantes : {inconnues}"


def test_les_membres_autorises_existent():
    inconnus = {m for _, c in CAS for m in c.autorises} - set(MEMBRES)
    assert not inconnus, f"Membres inconnus dans `autorises` : {inconnus}"
