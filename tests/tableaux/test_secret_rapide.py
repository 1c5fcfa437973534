"""R12 — the fast protection of the statistical secret (ADR 0010) against the general solvers.

`proteger` audits a block of relations in stages (local fixed point, bounds, and Gauss elimination only for blocks
that are not trees). These tests check on random hierarchical tables that what it publishes is safe for the
general solvers too: the reference Gauss-Jordan elimination of `cellules_determinees` (its own pivot order), the
propagation, and the attacker's linear programming (tests/tableaux/attaquant.py, independent of the module). And
that on a tree (one column along the hierarchy) the bounds audit finds exactly the cells the linear programming
finds, for any set of masked cells."""

from collections import defaultdict

import pytest
from django.conf import settings as reglages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from avenirpro.models import Campagne
from avenirpro.secret_statistique import (
    TableauProtege,
    _echelonner,
    _encadrer,
    _equations,
    _lire_echelonnees,
    _propager,
    cellules_determinees,
    zeros_forces,
)
from tableaux.selections import DUREE_CACHE_PILOTAGE, cle_pilotage
from tableaux.tasks import precalculer_pilotage
from tests.tableaux.attaquant import cellules_recalculables
from tests.tableaux.donnees import peupler

effectifs = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 5, 6, 7, 9, 12, 30])


@st.composite
def tableaux(draw):
    """Lycées in bassins in départements in académies; « t » = x + y + w, and z on its own."""
    lignes, infos, pk = {}, {}, 0
    for a in range(draw(st.integers(1, 2))):
        for d in range(draw(st.integers(1, 2))):
            for b in range(draw(st.integers(1, 3))):
                for _ in range(draw(st.integers(1, 3))):
                    pk += 1
                    x, y, w = draw(effectifs), draw(effectifs), draw(effectifs)
                    lignes[pk] = {"t": x + y + w, "x": x, "y": y, "w": w, "z": draw(effectifs)}
                    infos[pk] = {"pk": pk, "academie": f"A{a}", "departement": f"D{a}{d}", "bassin": f"B{a}{d}{b}"}
    return lignes, infos


# Found by this property (a run of `make test`): lycées 1 and 3 of one bassin, with t1 + t3 = 1 and y1 + y3 = 1 left
# visible through the bassin's margins, force x1 = w1 = x3 = w3 = 0 by positivity alone — neither the elimination
# nor the bounds saw it; the positivity audit (`zeros_forces`) does.
CROISE = (
    {
        1: {"t": 0, "x": 0, "y": 0, "w": 0, "z": 0},
        2: {"t": 14, "x": 0, "y": 5, "w": 9, "z": 0},
        3: {"t": 1, "x": 0, "y": 1, "w": 0, "z": 0},
        4: {"t": 0, "x": 0, "y": 0, "w": 0, "z": 0},
        5: {"t": 1, "x": 0, "y": 1, "w": 0, "z": 0},
    },
    {
        1: {"pk": 1, "academie": "A0", "departement": "D00", "bassin": "B000"},
        2: {"pk": 2, "academie": "A0", "departement": "D00", "bassin": "B000"},
        3: {"pk": 3, "academie": "A0", "departement": "D00", "bassin": "B000"},
        4: {"pk": 4, "academie": "A0", "departement": "D00", "bassin": "B001"},
        5: {"pk": 5, "academie": "A0", "departement": "D00", "bassin": "B002"},
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tableaux())
@example(CROISE)
def test_ce_que_publie_la_voie_rapide_le_solveur_general_et_l_attaquant_ne_le_recalculent_pas(tableau):
    lignes, infos = tableau
    protege = TableauProtege(lignes, infos, ["t", "x", "y", "w", "z"], {"t": ["x", "y", "w"]})
    valeurs, relations, masques = protege.valeurs, protege.relations, protege.masques
    assert all(c in masques for c, v in valeurs.items() if v < 5)
    assert cellules_determinees(valeurs, relations, masques) == {}  # the reference elimination, its own order
    assert _propager(valeurs, relations, masques) == {}
    connues = {c: v for c, v in valeurs.items() if c not in masques}
    assert cellules_recalculables(connues, dict.fromkeys(masques), relations) == {}


def test_la_positivite_seule_fixe_des_zeros_que_l_elimination_ne_voit_pas():
    """The masks the protection published before the positivity audit: Gauss-Jordan reads nothing, the bounds
    read nothing, the attacker's linear programming recomputes four zeros — and so does `cellules_determinees`."""
    lignes, infos = CROISE
    t = TableauProtege(lignes, infos, ["t", "x", "y", "w", "z"], {"t": ["x", "y", "w"]})
    b, d = ("bassin", "A0", "D00", "B000"), ("departement", "A0", "D00")
    visibles = {(b, "t"), (b, "y"), (d, "t"), (d, "w"), (("lycee", 2), "t"), (("lycee", 2), "y")}
    masques = {c for c in t.valeurs if c not in visibles and c[1] != "z"}
    relations = [r for r in t.relations if r[0][1] != "z"]
    valeurs = {c: v for c, v in t.valeurs.items() if c[1] != "z"}
    attendues = {(("lycee", k), col): 0 for k in (1, 3) for col in ("x", "w")}
    par_cellule = defaultdict(list)
    for i, (total, parties) in enumerate(relations):
        for c in (total, *parties):
            par_cellule[c].append(i)
    assert _lire_echelonnees(_echelonner(_equations(valeurs, relations, masques))) == {}
    assert _encadrer(valeurs, relations, par_cellule, masques)[0] == {}
    connues = {c: v for c, v in valeurs.items() if c not in masques}
    assert cellules_recalculables(connues, dict.fromkeys(masques), relations) == attendues
    assert zeros_forces(_equations(valeurs, relations, masques), masques) == set(attendues)
    assert cellules_determinees(valeurs, relations, masques) == attendues


@st.composite
def arbres_masques(draw):
    """One column along a random hierarchy (lycées → bassins → départements → total), values and ANY mask."""
    valeurs, relations, feuilles = {}, [], 0
    departements = []
    for d in range(draw(st.integers(1, 3))):
        bassins = []
        for b in range(draw(st.integers(1, 3))):
            lycees = []
            for _ in range(draw(st.integers(2, 3))):
                feuilles += 1
                valeurs[("l", feuilles)] = draw(effectifs)
                lycees.append(("l", feuilles))
            valeurs[("b", d, b)] = sum(valeurs[c] for c in lycees)
            relations.append((("b", d, b), lycees))
            bassins.append(("b", d, b))
        if len(bassins) > 1:
            valeurs[("d", d)] = sum(valeurs[c] for c in bassins)
            relations.append((("d", d), bassins))
            departements.append(("d", d))
        else:
            departements.append(bassins[0])
    if len(departements) > 1:
        valeurs[("tout",)] = sum(valeurs[c] for c in departements)
        relations.append((("tout",), departements))
    cellules = sorted(valeurs, key=repr)
    masques = set(draw(st.lists(st.sampled_from(cellules), unique=True, max_size=len(cellules))))
    return valeurs, relations, masques


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbres_masques())
def test_sur_un_arbre_l_encadrement_trouve_exactement_ce_que_trouve_la_programmation_lineaire(arbre):
    valeurs, relations, masques = arbre
    par_cellule = defaultdict(list)
    for i, (total, parties) in enumerate(relations):
        for c in (total, *parties):
            par_cellule[c].append(i)
    exposees, complet = _encadrer(valeurs, relations, par_cellule, masques)
    assert complet
    connues = {c: v for c, v in valeurs.items() if c not in masques}
    attendues = cellules_recalculables(connues, dict.fromkeys(masques), relations)
    assert {c: int(v) for c, v in exposees.items()} == attendues
    assert all(valeurs[c] == v for c, v in exposees.items())


@pytest.mark.django_db
def test_le_precalcul_garde_le_tableau_de_pilotage_au_chaud_et_la_page_ne_le_recalcule_pas(cast, client_de):
    """The beat task computes the protected table into the cache; the pilotage page then reads it instead of
    recomputing the national suppression (fewer queries: no per-lycée figures), within the cache lifetime."""
    peupler(cast, 6)
    url = reverse("tableaux:pilotage")
    cache.clear()
    client = client_de(cast.pilotage)
    with CaptureQueriesContext(connection) as froid:
        page_froide = client.get(url, {"par": "lycee", "format": "csv"})
        contenu_froid = b"".join(page_froide.streaming_content)
    cache.clear()
    assert precalculer_pilotage() is True
    assert isinstance(cache.get(cle_pilotage(Campagne.courante())), TableauProtege)
    client = client_de(cast.pilotage)
    with CaptureQueriesContext(connection) as chaud:
        page_chaude = client.get(url, {"par": "lycee", "format": "csv"})
        contenu_chaud = b"".join(page_chaude.streaming_content)
    assert contenu_chaud == contenu_froid
    assert len(chaud) < len(froid)
    assert reglages.CELERY_BEAT_SCHEDULE["precalcul-pilotage"]["task"] == "avenirpro.tasks.precalculer_pilotage"
    assert reglages.CELERY_BEAT_SCHEDULE["precalcul-pilotage"]["schedule"] < DUREE_CACHE_PILOTAGE
