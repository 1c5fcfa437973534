"""Dates and numbers read from a URL (issue 13, F8): bounded by `avenirpro.parametres`, never a 5xx.

Every parameter of the project that a view parses as a date or a number (found by grepping the views for
`request.GET` and the POSTed week) is fuzzed with Hypothesis; a meta-test keeps new views on the shared helpers.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from avenirpro.parametres import DATE_MAX, DATE_MIN, date_bornee, entier_parametre
from tests.fiabilite.scorecard import consigner
from tests.matrice import construire_scenario

RACINE = Path(__file__).resolve().parents[2]
BILAN = {"requetes": 0, "reponses_5xx": 0}

# (url name, kwargs from the scenario, parameter, member, method)
PARAMETRES = [
    ("parcours:emploi_du_temps", lambda s: {"uuid": s.inscription_a.uuid}, "semaine", "referent_a", "get"),
    ("parcours:emploi_du_temps_pdf", lambda s: {"uuid": s.inscription_a.uuid}, "semaine", "referent_a", "get"),
    ("parcours:presences", lambda s: {"uuid": s.inscription_a.uuid}, "semaine", "referent_a", "get"),
    ("parcours:jeton_ics", lambda s: {"uuid": s.inscription_a.uuid}, "semaine", "referent_a", "post"),
    ("tableaux:pilotage", lambda s: {}, "portee", "pilotage", "get"),
    # The journal's «du» and «au» are the same field; list pages share Django's paginator (`?page`).
    ("administration:journal", lambda s: {}, "du", "admin", "get"),
    ("eleves:liste", lambda s: {}, "campagne", "chef_a", "get"),
    ("notifications:liste", lambda s: {}, "page", "chef_a", "get"),
]

VALEURS = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%d") if d.year >= 1000 else f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    ),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
        lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(max_size=20),
)


@pytest.fixture(scope="module", autouse=True)
def _consigner():
    yield
    if BILAN["requetes"]:
        consigner("securite_parametres_url", dict(BILAN))


@pytest.fixture
def s(cast):
    return construire_scenario(cast)


@pytest.fixture(autouse=True)
def _gabarits_sans_controle_des_variables():
    """What is tested here is the status code: the strict template-variable check (tests/conftest.py), slow on every
    render, is left to the pages' own tests."""
    from django.template import engines

    moteur = engines["django"].engine
    ancien, moteur.string_if_invalid = moteur.string_if_invalid, ""
    yield
    moteur.string_if_invalid = ancien


def test_les_bornes():
    assert date_bornee("9999-12-31") is None and date_bornee("0001-01-01") is None
    assert date_bornee("31/12/2026") == datetime.date(2026, 12, 31) == date_bornee("2026-12-31")
    assert date_bornee(DATE_MIN) == DATE_MIN and date_bornee(DATE_MAX) == DATE_MAX
    assert entier_parametre({"p": "99999999999999999999"}, "p", defaut=3) == 3
    assert entier_parametre({"p": "-1"}, "p") == 0 and entier_parametre({"p": "7"}, "p") == 7


@pytest.mark.parametrize(
    ("url", "kwargs", "cle", "membre", "methode"), PARAMETRES, ids=[f"{p[0]}?{p[2]}" for p in PARAMETRES]
)
def test_fuzz_aucune_reponse_5xx(s, url, kwargs, cle, membre, methode):
    client = Client(raise_request_exception=False)
    client.force_login(getattr(s, membre))
    adresse = reverse(url, kwargs=kwargs(s))
    exemples = 2 if url.endswith("_pdf") else 6

    @settings(
        max_examples=exemples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
        database=None,
    )
    @given(valeur=VALEURS)
    @example(valeur="9999-12-31")
    @example(valeur="0001-01-01")
    @example(valeur="31/12/9999")
    @example(valeur="99999999999999999999")
    def essai(valeur):
        reponse = getattr(client, methode)(adresse, {cle: valeur})
        BILAN["requetes"] += 1
        if reponse.status_code >= 500:
            BILAN["reponses_5xx"] += 1
        assert reponse.status_code < 500, (adresse, cle, valeur, reponse.status_code)

    essai()


def test_aucune_vue_ne_lit_une_date_ou_un_nombre_sans_les_bornes():
    """A date or a number read from a request goes through avenirpro.parametres (the fuzz above covers those)."""
    motif = re.compile(r"(fromisoformat|strptime|int|float|Decimal)\(\s*request\.(GET|POST)")
    fautifs = [
        f"{chemin.relative_to(RACINE)}:{n}"
        for dossier in (
            "avenirpro",
            "eleves",
            "entretiens",
            "parcours",
            "tableaux",
            "rgpd",
            "administration",
            "notifications",
        )
        for chemin in (RACINE / dossier).rglob("*.py")
        for n, ligne in enumerate(chemin.read_text(encoding="utf-8").splitlines(), 1)
        if motif.search(ligne)
    ]
    assert not fautifs, fautifs
