#!/usr/bin/env python
"""Benchmark of the statistical secret (R12, ADR 0010): a synthetic national table (1,500 lycées in 30 académies,
100 départements, 400 bassins; 30 count columns, of which « identifiés » is the sum of 4 typologies and « sortis »
the sum of 7 exit situations, as on the pilotage screen), many small cells (unfavourable: lots of primary
suppression), protected by `TableauProtege`. Prints the time, the number of masked cells and checks nothing: the
tests do (tests/tableaux/test_secret_statistique.py).

Standalone: `python bench/bench_secret.py [lycées …]` (default 200 1500); `--profil` runs cProfile on the last size.
No database: the module is pure Python.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))

TYPOLOGIES = [f"typologie_{i}" for i in range(4)]
SITUATIONS = [f"situation_{i}" for i in range(7)]
AUTRES = [f"colonne_{i}" for i in range(17)]
COLONNES = ["identifies", *TYPOLOGIES, "sortis", *SITUATIONS, *AUTRES]  # 30
SOMMES = {"identifies": TYPOLOGIES, "sortis": SITUATIONS}


def construire(lycees: int = 1500, graine: int = 13) -> tuple[dict, dict]:
    """({pk: {colonne: effectif}}, {pk: infos}) : a quarter of the cells under 5, zeros included."""
    hasard = random.Random(graine)
    academies = max(1, lycees // 50)
    departements = max(1, lycees // 15)
    bassins = max(1, (lycees * 4) // 15)

    def effectif():
        return hasard.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 20, 35])

    lignes, infos = {}, {}
    for pk in range(1, lycees + 1):
        b = hasard.randrange(bassins)
        d = b % departements
        a = d % academies
        ligne = {c: effectif() for c in TYPOLOGIES + SITUATIONS + AUTRES}
        ligne["identifies"] = sum(ligne[c] for c in TYPOLOGIES)
        ligne["sortis"] = sum(ligne[c] for c in SITUATIONS)
        lignes[pk] = ligne
        infos[pk] = {"pk": pk, "academie": f"A{a}", "departement": f"D{d}", "bassin": f"B{b}"}
    return lignes, infos


def chronometrer(lycees: int) -> tuple[float, float, int, int]:
    """(durée murale, temps processeur, cases masquées, cases) : le processeur compte moins la charge de la
    machine partagée."""
    from avenirpro.secret_statistique import TableauProtege

    lignes, infos = construire(lycees)
    debut, debut_cpu = time.perf_counter(), time.process_time()
    tableau = TableauProtege(lignes, infos, COLONNES, SOMMES)
    duree, cpu = time.perf_counter() - debut, time.process_time() - debut_cpu
    return duree, cpu, len(tableau.masques), len(tableau.valeurs)


def mesurer() -> list[tuple[str, str]]:
    lignes = []
    for n in (200, 1500):
        duree, cpu, masquees, cellules = chronometrer(n)
        lignes.append(
            (
                f"secret statistique – {n} lycées × {len(COLONNES)} colonnes",
                f"{duree * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU)",
            )
        )
        lignes.append((f"secret statistique – {n} lycées : cases masquées / cases", f"{masquees} / {cellules}"))
    return lignes


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    tailles = [int(a) for a in args] or [200, 1500]
    for n in tailles:
        duree, cpu, masquees, cellules = chronometrer(n)
        print(
            f"{n} lycées × {len(COLONNES)} colonnes : {duree:.3f} s ({cpu:.3f} s CPU), "
            f"{masquees} cases masquées sur {cellules}"
        )
    if "--profil" in sys.argv:
        import cProfile
        import pstats

        cProfile.run(f"chronometrer({tailles[-1]})", "/tmp/bench_secret.prof")
        pstats.Stats("/tmp/bench_secret.prof").sort_stats("cumulative").print_stats(25)
