#!/usr/bin/env python
"""Where a page's time goes, on the benchmark's database (after one `make bench`):

    .venv/bin/python bench/profil.py chef /tableaux/chef/ [-n 200] [--cprofile]

Runs the page in process through the whole middleware stack (Django's test client, DEBUG false) as the bench user
of the role (chef, referent, conseiller, pilotage), then prints the mean time per request, the queries of one request
with their time, and with --cprofile the functions that take the most time. A tool for the developer, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(RACINE), str(RACINE / "bench")]

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

    def noter(execute, sql, params, many, context):
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            requetes.append({"sql": sql, "params": params, "time": time.perf_counter() - debut})

    with connection.execute_wrapper(noter):
        client.get(args.chemin)
    profil = cProfile.Profile() if args.cprofile else None
    debut = time.perf_counter()
    if profil:
        profil.enable()
    for _ in range(args.n):
        client.get(args.chemin)
    if profil:
        profil.disable()
    moyenne = (time.perf_counter() - debut) / args.n * 1000
    print(f"{args.chemin} ({args.role}) : {moyenne:.2f} ms par requête en moyenne sur {args.n}")
    print(f"{len(requetes)} requêtes SQL, {sum(float(q['time']) for q in requetes) * 1000:.1f} ms :")
    for q in requetes:
        print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:160]}")
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


if __name__ == "__main__":
    main()
