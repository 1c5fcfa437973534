#!/usr/bin/env python
"""The CPU time the PostgreSQL server process spends on each statement of a page, on the benchmark's database (after
`python bench/run.py --preparer` and `bench/run.py --sessions`):

    .venv/bin/python bench/cpu_postgres.py conseiller /tableaux/conseiller/ [-n 200]

Runs the page in process, computed without the cache, as the bench user of the role (bench/profil.py), and reads the
server process' own CPU time (`/proc/<pid>/schedstat`, nanoseconds: the server runs on this machine) before and after
each statement. The statements a screen sends together (`avenirpro.sql.ensemble`) are sent one by one here, so that
each one's time is its own. Prints the server CPU per request and per statement. At 50 connections the server and the
two web workers share the machine's two cores: a page's server CPU weighs on its throughput as its Python does.
A tool for the developer, not a test.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(RACINE), str(RACINE / "bench")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role")
    parser.add_argument("chemin")
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()

    from profil import COMPTES
    from run import ENV_SERVEUR

    os.environ.update({**ENV_SERVEUR, "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    import avenirpro.sql
    from avenirpro.models import Utilisateur

    @contextlib.contextmanager
    def un_par_un():
        yield

    avenirpro.sql.ensemble = un_par_un
    for module in list(sys.modules.values()):
        if getattr(module, "ensemble", None) is not None and module.__name__.startswith("tableaux"):
            module.ensemble = un_par_un

    client = Client(HTTP_X_BENCH_SANS_CACHE="1")
    client.force_login(Utilisateur.objects.get(email=COMPTES[args.role]))
    for _ in range(5):
        assert client.get(args.chemin).status_code == 200
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        (pid,) = cur.fetchone()

    def cpu_ns() -> int:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])

    par_instruction, executions = collections.defaultdict(int), collections.Counter()

    def mesurer(execute, sql, params, many, context):
        avant = cpu_ns()
        try:
            return execute(sql, params, many, context)
        finally:
            cle = " ".join(sql.split())[:110]
            par_instruction[cle] += cpu_ns() - avant
            executions[cle] += 1

    debut = cpu_ns()
    with connection.execute_wrapper(mesurer):
        for _ in range(args.n):
            client.get(args.chemin)
    print(f"{args.chemin} ({args.role}) : {(cpu_ns() - debut) / args.n / 1e6:.3f} ms de CPU du serveur par requête")
    for cle, ns in sorted(par_instruction.items(), key=lambda x: -x[1]):
        print(f"  {ns / args.n / 1e6:6.3f} ms  ×{executions[cle] / args.n:g}  {cle}")


if __name__ == "__main__":
    main()
