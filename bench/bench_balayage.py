#!/usr/bin/env python
"""Benchmark of the daily sweep: 20,000 active parcours (bulk_create) in a database of its own, then the sweep's
duration and its queries per batch, on a first run (everything to notify) and on a second run (nothing new).

Database: BENCH_BALAYAGE_DATABASE_URL, else `<DATABASE_URL>_bench_balayage`, else avenirpro_bench_balayage; created
and migrated if missing, its parcours replaced on each run. Standalone: `python bench/bench_balayage.py`.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))

NOMBRE = int(os.environ.get("BENCH_BALAYAGE_PARCOURS", "20000"))
LYCEES = 100


def _url_base() -> str:
    if os.environ.get("BENCH_BALAYAGE_DATABASE_URL"):
        return os.environ["BENCH_BALAYAGE_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        return base.rstrip("/") + "_bench_balayage"
    return "postgres://avenirpro:avenirpro@127.0.0.1:5432/avenirpro_bench_balayage"


def _preparer_django(url: str) -> None:
    import psycopg

    nom = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nom]).fetchone():
            c.execute(f'CREATE DATABASE "{nom}"')
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="avenirpro.settings",
        DEBUG="true",  # a SECRET_KEY default, nothing else; the sweep's code path is the same
        REDIS_URL="",  # no broker needed: every bench user takes the daily digest, no e-mail task is queued
        LOG_LEVEL="ERROR",
    )
    os.environ.pop("TESTING", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def _peupler() -> None:
    from django.db import transaction
    from django.utils import timezone

    from avenirpro.models import Affectation, Campagne, Etablissement, Notification, Role, Utilisateur
    from avenirpro.validators import lettre_cle_uai
    from eleves.models import Jeune, Reperage
    from parcours.models import PFMP, Inscription, PointSuivi, Presence

    aujourdhui = timezone.localdate()
    marqueur = f"bench-{NOMBRE}-{aujourdhui.isoformat()}"
    if Campagne.objects.filter(session=2026, nom__endswith=marqueur).exists() and (
        Inscription.objects.count() == NOMBRE
    ):
        # Same size, built today: only undo what the previous sweep did.
        Notification.objects.all().delete()
        Inscription.objects.update(statut=Inscription.Statut.EN_COURS)
        PFMP.objects.update(depassement_signale=False)
        return False
    with transaction.atomic():
        from django.db import connection

        tables = [Notification._meta.db_table, Jeune._meta.db_table] + [
            m.history.model._meta.db_table for m in (Jeune, Reperage, Inscription, PFMP, PointSuivi)
        ]
        with connection.cursor() as c:  # the young people and everything hanging on them, without signals
            c.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        campagne, _ = Campagne.objects.get_or_create(
            session=2026,
            defaults={
                "nom": "Session 2026 – banc d'essai",
                "date_rentree": datetime.date(2026, 9, 1),
                "date_entree_min": datetime.date(2026, 9, 1),
            },
        )
        lycees = []
        for n in range(LYCEES):
            chiffres = f"{9800000 + n:07d}"
            lycee, _ = Etablissement.objects.get_or_create(
                uai=chiffres + lettre_cle_uai(chiffres),
                defaults={"nom": f"Lycée banc {n}", "departement": "69", "academie": "Lyon", "zone_vacances": "A"},
            )
            lycees.append(lycee)
        referents = {}
        for lycee in lycees:
            chef, cree = Utilisateur.objects.get_or_create(
                email=f"chef.{lycee.uai}@banc.fr", defaults={"notifications_en_resume": True}
            )
            if cree:
                Affectation.objects.create(utilisateur=chef, role=Role.CHEF, etablissement=lycee)
            refs = []
            for k in range(5):
                ref, cree = Utilisateur.objects.get_or_create(
                    email=f"ref{k}.{lycee.uai}@banc.fr", defaults={"notifications_en_resume": True}
                )
                if cree:
                    Affectation.objects.create(
                        utilisateur=ref,
                        role=Role.REFERENT,
                        etablissement=lycee,
                        date_volontariat=datetime.date(2026, 6, 1),
                    )
                refs.append(ref)
            referents[lycee.pk] = refs
        Utilisateur.objects.filter(email__endswith="@banc.fr").update(notifications_en_resume=True)

        jeunes = Jeune.objects.bulk_create(
            [
                Jeune(
                    ine=f"{i:09d}ZB",
                    nom=f"NOM{i}",
                    prenoms="Camille",
                    date_naissance=datetime.date(2007, 1, 1),
                    etablissement=lycees[i % LYCEES],
                )
                for i in range(NOMBRE)
            ],
            batch_size=2000,
        )
        inscriptions = []
        for i, jeune in enumerate(jeunes):
            # Limits spread from 10 days ago to 120 days ahead: some at J-30, J-15, J-7, some past the limit.
            fin = aujourdhui + datetime.timedelta(days=(i % 131) - 10)
            inscriptions.append(
                Inscription(
                    jeune=jeune,
                    campagne=campagne,
                    etablissement_id=jeune.etablissement_id,
                    mef=Inscription.Mef.NIVEAU4,
                    date_entree=fin - datetime.timedelta(days=121),
                    date_fin_prevue=fin,
                    referent=referents[jeune.etablissement_id][i % 5],
                    statut=Inscription.Statut.EN_COURS,
                )
            )
        inscriptions = Inscription.objects.bulk_create(inscriptions, batch_size=2000)
        PFMP.objects.bulk_create(
            [
                PFMP(
                    inscription=ins,
                    entreprise="Entreprise",
                    date_debut=ins.date_entree + datetime.timedelta(days=7),
                    date_fin=ins.date_entree + datetime.timedelta(days=7 + (20 if n % 10 else 100)),
                )
                for n, ins in enumerate(inscriptions[::2])
            ],
            batch_size=2000,
        )
        PointSuivi.objects.bulk_create(
            [
                PointSuivi(inscription=ins, date=aujourdhui - datetime.timedelta(days=n % 30), contenu="Point")
                for n, ins in enumerate(inscriptions)
            ],
            batch_size=2000,
        )
        lundi = aujourdhui - datetime.timedelta(days=aujourdhui.weekday())
        Presence.objects.bulk_create(
            [
                Presence(inscription=ins, date=lundi, periode=periode, statut="absent_non_justifie")
                for ins in inscriptions[::7]
                for periode in ("matin", "apres_midi")
            ]
            + [
                Presence(
                    inscription=ins,
                    date=lundi - datetime.timedelta(days=7 - k),
                    periode="matin",
                    statut="absent_justifie",
                )
                for ins in inscriptions[::11]
                for k in range(4)
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        Reperage.objects.bulk_create(
            [
                Reperage(
                    jeune=j,
                    campagne=campagne,
                    diplome="cap",
                    resultat="admis",
                    importe_le=timezone.now() - datetime.timedelta(days=20 if n % 3 else 1),
                )
                for n, j in enumerate(jeunes)
            ],
            batch_size=2000,
        )
        Campagne.objects.filter(pk=campagne.pk).update(nom=f"Session 2026 – {marqueur}")
    from django.db import connection

    with connection.cursor() as c:
        c.execute("ANALYZE")  # what autovacuum does after a big load: realistic plans, not empty-table estimates


def _balayer():
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from parcours.balayage import balayer

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        comptes = balayer(rappels=False)
        duree = time.perf_counter() - t0
    return duree, len(ctx.captured_queries), comptes, cache


def mesurer() -> list[tuple[str, str]]:
    _preparer_django(_url_base())
    from django.core.cache import cache

    from parcours.balayage import CLE_DERNIER_PASSAGE, TAILLE_LOT

    t0 = time.perf_counter()
    cree = _peupler() is not False
    creation = time.perf_counter() - t0
    cache.delete(CLE_DERNIER_PASSAGE)
    d1, q1, c1, _ = _balayer()
    d2, q2, c2, _ = _balayer()
    lots = c1.get("lots", 0)
    return [
        (
            "parcours actifs " + ("créés (bulk_create)" if cree else "repris de la base du jour (remis à zéro)"),
            f"{NOMBRE} en {creation:.1f} s",
        ),
        ("taille d'un lot", str(TAILLE_LOT)),
        ("1er balayage : durée (cible ≤ 20 s)", f"{d1:.1f} s"),
        ("1er balayage : notifications créées", str(c1.get("notifications", 0))),
        ("1er balayage : requêtes (total / lots de parcours)", f"{q1} / {lots}"),
        ("1er balayage : requêtes par lot de parcours (total ÷ lots)", f"{q1 / max(lots, 1):.1f}"),
        (
            "1er balayage : à clôturer / J-30 / J-15 / J-7",
            "{} / {} / {} / {}".format(
                c1.get("a_cloturer", 0), c1.get("limite_J30", 0), c1.get("limite_J15", 0), c1.get("limite_J7", 0)
            ),
        ),
        ("1er balayage : PFMP au-delà du plafond", str(c1.get("pfmp_depassements", 0))),
        ("2e balayage (même jour) : durée", f"{d2:.1f} s"),
        ("2e balayage : notifications créées (attendu 0)", str(c2.get("notifications", 0))),
        ("2e balayage : requêtes", str(q2)),
    ]


if __name__ == "__main__":
    for libelle, valeur in mesurer():
        print(f"{libelle:<55} {valeur}")
