#!/usr/bin/env python
"""Where a page's time goes, on the benchmark's database (after one `make bench`):

    .venv/bin/python bench/profil.py chef /tableaux/chef/ [-n 200] [--cprofile]

Runs the page in process through the whole middleware stack (Django's test client, DEBUG false) as the bench user
of the role (chef, referent, conseiller, pilotage), then prints the mean time per request, the queries of one request
with their time, and with --cprofile the functions that take the most time. With --moyennes, each statement's mean
time over the N requests (one request's times move by a factor of two from one run to the next) and, for the
statements the connection has prepared (`avenirpro/sql.py`), how many executions PostgreSQL planned for their
parameters and how many ran its plan for any parameters (a statement always planned again pays its planning at
every request). A tool for the developer, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(RACINE), str(RACINE / "bench")]

# The placeholders of a statement, as Django writes them (`%s`, `%(nom)s`) or as PostgreSQL keeps them (`$1`).
_PLACE = re.compile(r"%\(\w+\)s|%s|\$\d+")

COMPTES = {
    "chef": "chef0@bench.test",
    "referent": "referent0-0@bench.test",
    "conseiller": "conseiller0-0@bench.test",
    "pilotage": "pilotage@bench.test",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=sorted(COMPTES))
    parser.add_argument("chemin")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--sans-cache", action="store_true", help="computed, not from the cache")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE of each query of one request")
    parser.add_argument("--moyennes", action="store_true", help="mean time of each statement over the N requests")
    args = parser.parse_args()

    from run import ENV_SERVEUR

    os.environ.update({**ENV_SERVEUR, "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from avenirpro.models import Utilisateur

    client = Client(**({"HTTP_X_BENCH_SANS_CACHE": "1"} if args.sans_cache else {}))
    client.force_login(Utilisateur.objects.get(email=COMPTES[args.role]))
    for _ in range(10):
        assert client.get(args.chemin).status_code == 200
    requetes = []
    with connection.execute_wrapper(chronometrer(requetes)):
        client.get(args.chemin)
    profil = cProfile.Profile() if args.cprofile else None
    toutes = []  # every statement of the N requests (--moyennes)
    debut = time.perf_counter()
    if profil:
        profil.enable()
    with connection.execute_wrapper(chronometrer(toutes)) if args.moyennes else contextlib.nullcontext():
        for _ in range(args.n):
            client.get(args.chemin)
    if profil:
        profil.disable()
    moyenne = (time.perf_counter() - debut) / args.n * 1000
    print(f"{args.chemin} ({args.role}) : {moyenne:.2f} ms par requête en moyenne sur {args.n}")
    print(f"{len(requetes)} requêtes SQL, {sum(float(q['time']) for q in requetes) * 1000:.1f} ms :")
    for q in requetes:
        print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:160]}")
    if args.moyennes:
        afficher_moyennes(toutes, args.n)
    if args.explain:
        with connection.cursor() as cur:
            for q in requetes:
                if not q["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"], q["params"])
                plan = [ligne for (ligne,) in cur.fetchall()]
                print("\n" + q["sql"][:300])
                print("\n".join("    " + ligne for ligne in plan))
    if profil:
        if os.environ.get("PROFIL_FICHIER"):
            profil.dump_stats(os.environ["PROFIL_FICHIER"])
        pstats.Stats(profil).sort_stats(os.environ.get("PROFIL_TRI", "cumulative")).print_stats(
            int(os.environ.get("PROFIL_N", "45"))
        )


def chronometrer(requetes: list):
    """An execute wrapper that appends each statement, its parameters and its time (Django's side) to `requetes`."""

    def noter(execute, sql, params, many, context):
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            requetes.append({"sql": sql, "params": params, "time": time.perf_counter() - debut})

    return noter


def _forme(texte: str) -> str:
    """A statement's text with its placeholders and spacing made alike: psycopg sends a prepared statement with $1,
    $2…, so its text in the catalogue is not Django's `%s`."""
    return _PLACE.sub("?", " ".join(texte.split()))


def afficher_moyennes(requetes: list, n: int) -> None:
    from django.db import connection

    plans = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
            plans = {_forme(texte): (g, c) for texte, g, c in cur.fetchall()}
    durees: dict[str, list[float]] = {}
    for q in requetes:
        durees.setdefault(" ".join(q["sql"].split()), []).append(q["time"])
    total = sum(q["time"] for q in requetes) / n * 1000
    print(f"\nmoyenne par requête sur {n} : {total:.2f} ms de SQL (temps vu par Django, aller-retour compris)")
    print("  ms/req  exéc./req  plans (pour ses paramètres / pour tous)  instruction")
    for texte, temps in durees.items():
        g_c = plans.get(_forme(texte))
        plan = f"{g_c[1]:>6} / {g_c[0]:<6}" if g_c else "non préparée"
        print(f"  {sum(temps) / n * 1000:6.3f}  {len(temps) / n:9.1f}  {plan:>40}  {texte[:110]}")


if __name__ == "__main__":
    main()
