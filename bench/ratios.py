#!/usr/bin/env python
"""The per-user screens computed without the cache against the 50-row reference page, in process, on the benchmark's
database (after `python bench/run.py --preparer` and a collectstatic into var/, as `make bench` does):

    .venv/bin/python bench/ratios.py [-n 60]

Each round requests every page once, in turn, through the whole middleware stack (Django's test client, DEBUG false,
the bench users of bench/profil.py), so that a load on the shared machine weighs on every page alike; then prints
per page the p50 and p95 (wall clock) and the CPU time of this process, each with its ratio to the reference. The CPU
ratio is the steadiest figure on a loaded machine (the database's time is not in it: see bench/profil.py --explain).
A tool for the developer, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(RACINE), str(RACINE / "bench")]

PAGES = [
    ("référence : liste 50 lignes", "chef", "/tableaux/bench/liste?depuis=25000", False),
    ("chef, calcul complet", "chef", "/tableaux/chef/", True),
    ("référent, calcul complet", "referent", "/tableaux/referent/", True),
    ("conseiller, calcul complet", "conseiller", "/tableaux/conseiller/", True),
    ("liste de travail, calcul complet", "chef", "/jeunes/", True),
    ("pilotage (académie)", "pilotage", "/tableaux/pilotage/", False),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=60, help="rounds (each page once per round)")
    args = parser.parse_args()

    from profil import COMPTES
    from run import ENV_SERVEUR

    os.environ.update({**ENV_SERVEUR, "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.test import Client

    from avenirpro.models import Utilisateur

    clients = {}
    for nom, role, chemin, sans_cache in PAGES:
        client = Client(**({"HTTP_X_BENCH_SANS_CACHE": "1"} if sans_cache else {}))
        client.force_login(Utilisateur.objects.get(email=COMPTES[role]))
        for _ in range(5):
            assert client.get(chemin).status_code == 200, chemin
        clients[nom] = client
    murs = {nom: [] for nom, *_ in PAGES}
    cpu = dict.fromkeys(murs, 0.0)
    for _ in range(args.n):
        for nom, _role, chemin, _sans_cache in PAGES:
            c0, t0 = time.process_time(), time.perf_counter()
            clients[nom].get(chemin)
            murs[nom].append((time.perf_counter() - t0) * 1000)
            cpu[nom] += (time.process_time() - c0) * 1000 / args.n

    def p95(valeurs):
        return statistics.quantiles(valeurs, n=100, method="inclusive")[94]

    ref = PAGES[0][0]
    print(f"{args.n} tours ; ms ; ratio à « {ref} »")
    print(f"| {'page':<34} | p50 ms | ratio | p95 ms | ratio | CPU ms | ratio |")
    print(f"|{'-' * 36}|--------|-------|--------|-------|--------|-------|")
    for nom, *_ in PAGES:
        m, r = murs[nom], murs[ref]
        print(
            f"| {nom:<34} | {statistics.median(m):6.1f} | {statistics.median(m) / statistics.median(r):5.2f} "
            f"| {p95(m):6.1f} | {p95(m) / p95(r):5.2f} | {cpu[nom]:6.1f} | {cpu[nom] / cpu[ref]:5.2f} |"
        )


if __name__ == "__main__":
    main()
