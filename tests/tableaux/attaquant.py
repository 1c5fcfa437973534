"""The attacker of the statistical secret (R12, ADR 0010), written independently of `avenirpro.secret_statistique`.

Given the cells a reader saw (numbers) and the masked ones (unknowns), the linear relations a reader knows
(totals, groupings, columns that are sums of other columns) and bounds (counts are ≥ 0; a «< 5» label also says
≤ 4), it computes by linear programming the smallest and the largest value each masked cell can take. A cell whose
range holds a single integer is recomputed: the secret is broken.

A small two-phase simplex with Bland's rule, in floating point, solved component by component (the unknowns linked
by relations): the tables of the tests are small.
"""

from __future__ import annotations

import math
from collections import defaultdict

EPS = 1e-7


def _pivot(t, base, i, j):
    p = t[i][j]
    t[i] = [v / p for v in t[i]]
    for k in range(len(t)):
        if k != i and abs(t[k][j]) > EPS:
            f = t[k][j]
            t[k] = [a - f * b for a, b in zip(t[k], t[i], strict=True)]
    base[i] = j


def _optimiser(t, base, cout, colonnes):
    """Minimise cout·x on the tableau (last column = right-hand side); False when unbounded."""
    for _ in range(5000):
        lignes_cout = [(i, cout[base[i]]) for i in range(len(t)) if cout[base[i]]]
        entrant = None
        for j in colonnes:
            if cout[j] - sum(cb * t[i][j] for i, cb in lignes_cout) < -EPS:
                entrant = j
                break
        if entrant is None:
            return True
        meilleur = None
        for i in range(len(t)):
            if t[i][entrant] > EPS:
                cle = (t[i][-1] / t[i][entrant], base[i])
                if meilleur is None or cle < meilleur[0]:
                    meilleur = (cle, i)
        if meilleur is None:
            return False
        _pivot(t, base, meilleur[1], entrant)
    raise RuntimeError("simplexe : trop d'itérations")


def realisable(a, b):
    """Phase 1: a feasible basis of a·x = b, x ≥ 0 (the system is feasible: the truth satisfies it)."""
    m, n = len(a), len(a[0])
    t = []
    for i in range(m):
        ligne, bi = list(a[i]), b[i]
        if bi < 0:
            ligne, bi = [-v for v in ligne], -bi
        t.append(ligne + [1.0 if k == i else 0.0 for k in range(m)] + [bi])
    base = [n + i for i in range(m)]
    _optimiser(t, base, [0.0] * n + [1.0] * m, list(range(n + m)))
    assert sum(t[i][-1] for i in range(m) if base[i] >= n) < 1e-6, "relations incohérentes"
    garder = []
    for i in range(m):
        if base[i] >= n:
            j = next((j for j in range(n) if abs(t[i][j]) > EPS), None)
            if j is None:
                continue  # redundant relation
            _pivot(t, base, i, j)
        garder.append(i)
    return [t[i][:n] + [t[i][-1]] for i in garder], [base[i] for i in garder]


def optimum(depart, c) -> tuple[float, list[float] | None]:
    """(min c·x, a minimising x) from a feasible basis; (−inf, None) when unbounded."""
    t, base = [list(ligne) for ligne in depart[0]], list(depart[1])
    n = len(c)
    if not _optimiser(t, base, list(c), list(range(n))):
        return -math.inf, None
    x = [0.0] * n
    for i, j in enumerate(base):
        x[j] = t[i][-1]
    return sum(c[j] * x[j] for j in range(n)), x


def _deux_entiers(bas, haut) -> bool:
    return not math.isfinite(haut) or math.floor(haut + 1e-6) - math.ceil(bas - 1e-6) >= 1


def cellules_recalculables(connues: dict, inconnues: dict, relations) -> dict:
    """{unknown: value} for every masked cell whose range holds one integer.

    `connues`: {cell: number}; `inconnues`: {cell: upper bound or None}; `relations`: [(total, [parts])]."""
    equations = []
    for total, parties in relations:
        coefs, constante = defaultdict(float), 0.0
        for cellule, coef in [(total, 1.0)] + [(p, -1.0) for p in parties]:
            if cellule in inconnues:
                coefs[cellule] += coef
            else:
                constante -= coef * connues[cellule]
        coefs = {k: v for k, v in coefs.items() if v}
        if coefs:
            equations.append((coefs, constante))
        else:
            assert abs(constante) < 1e-9, f"relation fausse entre chiffres publiés : {total}"
    # Components: unknowns linked by an equation.
    parent = {x: x for x in inconnues}

    def racine(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for coefs, _ in equations:
        premiers = list(coefs)
        for autre in premiers[1:]:
            parent[racine(autre)] = racine(premiers[0])
    composantes = defaultdict(list)
    for x in inconnues:
        composantes[racine(x)].append(x)
    eq_par_comp = defaultdict(list)
    for coefs, constante in equations:
        eq_par_comp[racine(next(iter(coefs)))].append((coefs, constante))

    trouvees = {}
    for r, variables in composantes.items():
        variables = sorted(variables, key=repr)
        bornees = [x for x in variables if inconnues[x] is not None]
        colonnes = variables + [("écart", x) for x in bornees]
        index = {x: k for k, x in enumerate(colonnes)}
        a, b = [], []
        for coefs, constante in eq_par_comp[r]:
            ligne = [0.0] * len(colonnes)
            for x, v in coefs.items():
                ligne[index[x]] = v
            a.append(ligne)
            b.append(constante)
        for x in bornees:  # x + écart = borne
            ligne = [0.0] * len(colonnes)
            ligne[index[x]] = 1.0
            ligne[index[("écart", x)]] = 1.0
            a.append(ligne)
            b.append(float(inconnues[x]))
        if not a:
            continue
        depart = realisable(a, b)
        # Vertices reached by a few objectives: a cell seen at two integers apart is not determined.
        vus = {x: [] for x in variables}
        for graine in range(4):
            c = [((k * 7919 + graine * 104729) % 13 - 6) * 1.0 for k in range(len(colonnes))]
            _, sol = optimum(depart, c)
            if sol is not None:
                for x in variables:
                    vus[x].append(sol[index[x]])
        for x in variables:
            if len(vus[x]) > 1 and _deux_entiers(min(vus[x]), max(vus[x])):
                continue
            c = [0.0] * len(colonnes)
            c[index[x]] = 1.0
            bas, _ = optimum(depart, c)
            c[index[x]] = -1.0
            haut, _ = optimum(depart, c)
            if not _deux_entiers(bas, -haut):
                trouvees[x] = round(bas)
    return trouvees
