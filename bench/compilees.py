#!/usr/bin/env python
"""The lists of the personal screens, built by the ORM at every request against their statements compiled once per
perimeter (`avenirpro.sql.compilee`, ADR 0027), on the benchmark's database (after `bench/run.py --preparer`):

    .venv/bin/python bench/compilees.py [-n 600]

Both ways run in the same process, in turn (the order swapped at every round, on a fresh user object each time, as
a request has), so that a load on the shared machine weighs on both alike; the perimeter is computed outside the
measure (both need it). Prints per screen the mean wall clock and CPU time of each way. A tool for the developer,
not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(RACINE), str(RACINE / "bench")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=600, help="rounds (each way once per round)")
    args = parser.parse_args()

    from profil import COMPTES
    from run import ENV_SERVEUR

    os.environ.update({**ENV_SERVEUR, "ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from avenirpro.campagnes import campagne_choisie
    from avenirpro.models import Utilisateur
    from tableaux import selections

    campagne, _ = campagne_choisie({})

    def orm_conseiller(u):
        list(selections.parcours_suivis(u, role="conseiller").values_list("pk", "jeune_id"))
        list(selections._jeunes_par_lycee(u, u.perimetre, campagne))
        list(selections.entretiens_a_venir(u, participant=True)[:50])

    def compilees_conseiller(u):
        selections.ids_suivis(u, role="conseiller")
        selections.jeunes_par_lycee(u, campagne)
        selections.entretiens_du_tableau(u, participant=True, limite=50)

    def orm_referent(u):
        ids = list(selections.parcours_suivis(u, role="referent").values_list("pk", "jeune_id"))
        list(selections.entretiens_a_venir(u, jeunes=[j for _, j in ids])[:20])

    def compilees_referent(u):
        ids = selections.ids_suivis(u, role="referent")
        selections.entretiens_du_tableau(u, jeunes=[j for _, j in ids], limite=20)

    echauffement = min(50, args.n // 10)
    print("| écran | façon | mur (ms) | CPU (ms) |\n|---|---|---|---|")
    for role, facons in (
        ("conseiller", {"ORM à chaque requête": orm_conseiller, "compilées par périmètre": compilees_conseiller}),
        ("referent", {"ORM à chaque requête": orm_referent, "compilées par périmètre": compilees_referent}),
    ):
        pk = Utilisateur.objects.get(email=COMPTES[role]).pk
        mesures = {nom: [0.0, 0.0] for nom in facons}
        for tour in range(args.n):
            ordre = list(facons.items())
            if tour % 2:
                ordre.reverse()
            for nom, facon in ordre:
                u = Utilisateur.objects.get(pk=pk)  # a fresh user object, as each request has
                u.perimetre  # noqa: B018 — computed outside the measure
                mur, cpu = time.perf_counter(), time.process_time()
                facon(u)
                if tour >= echauffement:
                    mesures[nom][0] += time.perf_counter() - mur
                    mesures[nom][1] += time.process_time() - cpu
        n = args.n - echauffement
        for nom, (mur, cpu) in mesures.items():
            print(f"| {role} | {nom} | {mur / n * 1000:.2f} | {cpu / n * 1000:.2f} |")


if __name__ == "__main__":
    main()
