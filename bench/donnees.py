"""National-scale data set for `make bench`, generated into its own PostgreSQL database.

Scale 1 (BENCH_ECHELLE=1): 1,500 lycées, 200,000 candidates (jeunes + repérages, loaded with COPY), 20,000
parcours, 3,000,000 attendance rows (150 half-days per parcours, generated server-side), plus invitations,
interviews, actions, timetable slots, follow-up points and PFMP. A size marker lets a later run reuse the data.
Django must be set up on the benchmark database before `generer()` is called.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import time
import uuid

ACADEMIES = [
    "Aix-Marseille", "Amiens", "Besançon", "Bordeaux", "Clermont-Ferrand", "Corse", "Créteil", "Dijon", "Grenoble",
    "Guadeloupe", "Guyane", "La Réunion", "Lille", "Limoges", "Lyon", "Martinique", "Mayotte", "Montpellier",
    "Nancy-Metz", "Nantes", "Nice", "Normandie", "Orléans-Tours", "Paris", "Poitiers", "Reims", "Rennes",
    "Strasbourg", "Toulouse", "Versailles",
]  # fmt: skip
NOMS = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent"]
PRENOMS = ["Léa", "Hugo", "Chloé", "Lucas", "Inès", "Nathan", "Manon", "Yanis", "Jade", "Adam"]
TYPOLOGIES = ["echec_repreparer", "echec_accompagnement", "diplome_sans_parcoursup", "diplome_sans_solution"]
TYPOLOGIES += ["avec_solution"]
STATUTS_CONTACT = ["a_contacter", "contacte", "injoignable", "interesse", "ne_souhaite_pas", "solution_trouvee"]
VERSION = "v4"  # v2: invitations, interviews and parcours spread over every lycée; v3: R1 and R9 prerequisites;
# v4: the visibility facts of the young people (ADR 0019, maison)


def tailles(echelle: float) -> dict:
    lycees = max(8, round(1500 * echelle))
    return {
        "lycees": lycees,
        "jeunes": max(lycees * 20, round(200_000 * echelle)),
        "parcours": max(lycees * 2, round(20_000 * echelle)),
        "presences_par_parcours": 150,
        "reference": 50_000,
    }


def marqueur(t: dict) -> str:
    return VERSION + ":" + ",".join(f"{k}={v}" for k, v in sorted(t.items()))


def lire_marqueur(cur) -> str | None:
    cur.execute("SELECT to_regclass('bench_marqueur')")
    if cur.fetchone()[0] is None:
        return None
    cur.execute("SELECT valeur FROM bench_marqueur LIMIT 1")
    row = cur.fetchone()
    return row[0] if row else None


def _uai(n: int) -> str:
    from avenirpro.validators import lettre_cle_uai

    chiffres = f"{1000000 + n:07d}"
    return chiffres + lettre_cle_uai(chiffres)


TABLES_EN_SQL = [
    "eleves.Jeune",
    "eleves.Reperage",
    "entretiens.Invitation",
    "entretiens.Entretien",
    "parcours.Inscription",
    "parcours.Action",
    "parcours.Creneau",
    "parcours.PointSuivi",
    "parcours.PFMP",
    "parcours.Presence",
]


@contextlib.contextmanager
def defauts_du_modele(pg, connection):
    """While the tables are filled by COPY and INSERT … SELECT, every NOT NULL column that has a default in its model
    (a blank text, False, an empty list…) gets it as a database default too, so that a column added by a later
    migration does not break the generation on a new machine; the defaults are removed afterwards."""
    from django.apps import apps
    from psycopg import sql

    poses = []
    for nom in TABLES_EN_SQL:
        modele = apps.get_model(nom)
        for champ in modele._meta.concrete_fields:
            if champ.primary_key or champ.null or champ.is_relation:
                continue
            if not (champ.has_default() or champ.empty_strings_allowed):
                continue
            valeur = champ.get_db_prep_save(champ.get_default(), connection)
            table, colonne = sql.Identifier(modele._meta.db_table), sql.Identifier(champ.column)
            pg.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(table, colonne, sql.Literal(valeur))
            )
            poses.append((table, colonne))
    try:
        yield
    finally:
        for table, colonne in poses:
            pg.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT").format(table, colonne))


def generer(t: dict, journal=print) -> dict:
    """Fill the (freshly migrated) benchmark database. Returns the ids the load test needs."""
    from django.db import connection, transaction

    from avenirpro.models import (
        Affectation,
        Campagne,
        Couverture,
        Etablissement,
        MissionLocale,
        Role,
        Utilisateur,
    )
    from eleves.models import normaliser_recherche
    from entretiens.models import Reunion

    rnd = random.Random(2026)
    debut = time.monotonic()
    campagne = Campagne.objects.create(
        nom="Session 2026 – rentrée 2026",
        session=2026,
        date_rentree=datetime.date(2026, 9, 1),
        date_entree_min=datetime.date(2026, 9, 1),
    )
    n_l = t["lycees"]
    lycees = []
    for i in range(n_l):
        bassin = i % max(1, n_l // 5)
        dep = bassin % 100
        lycees.append(
            Etablissement(
                uai=_uai(i),
                nom=f"Lycée professionnel n°{i:04d}",
                commune=f"Commune {i}",
                departement=f"{dep + 1:02d}",
                academie=ACADEMIES[dep % len(ACADEMIES)],
                bassin=f"Bassin {bassin:03d}",
                zone_vacances="ABC"[dep % 3],
            )
        )
    lycees = Etablissement.objects.bulk_create(lycees, batch_size=2000)
    n_ml = max(1, n_l // 4)
    mls = MissionLocale.objects.bulk_create(
        [MissionLocale(nom=f"Mission locale n°{k}", email=f"ml{k}@ml.example", departement="") for k in range(n_ml)]
    )
    Couverture.objects.bulk_create(
        [Couverture(mission_locale=mls[min(i // 4, n_ml - 1)], etablissement=lyc) for i, lyc in enumerate(lycees)]
    )
    users, affectations = [], []

    def utilisateur(email):
        u = Utilisateur(email=email, password="!", first_name="Bench", last_name=email.split("@")[0])
        users.append(u)
        return u

    chefs = [utilisateur(f"chef{i}@bench.test") for i in range(n_l)]
    referents = [[utilisateur(f"referent{i}-{k}@bench.test") for k in range(2)] for i in range(n_l)]
    conseillers = [[utilisateur(f"conseiller{m}-{k}@bench.test") for k in range(2)] for m in range(n_ml)]
    pilote = utilisateur("pilotage@bench.test")
    Utilisateur.objects.bulk_create(users, batch_size=2000)
    for i, lyc in enumerate(lycees):
        affectations.append(Affectation(utilisateur=chefs[i], role=Role.CHEF, etablissement=lyc))
        for r in referents[i]:
            affectations.append(
                Affectation(
                    utilisateur=r, role=Role.REFERENT, etablissement=lyc, date_volontariat=datetime.date(2026, 6, 1)
                )
            )
    for m, ml in enumerate(mls):
        for c in conseillers[m]:
            affectations.append(Affectation(utilisateur=c, role=Role.CONSEILLER_ML, mission_locale=ml))
    academie = lycees[0].academie
    affectations.append(Affectation(utilisateur=pilote, role=Role.PILOTAGE, niveau="academie", perimetre=academie))
    Affectation.objects.bulk_create(affectations, batch_size=2000)
    tz = datetime.UTC
    reunions = Reunion.objects.bulk_create(
        [
            Reunion(
                campagne=campagne,
                etablissement=lyc,
                mission_locale=mls[min(i // 4, n_ml - 1)],
                debut=datetime.datetime(2026, 9, 10, 14, 0, tzinfo=tz),
                lieu="Salle polyvalente",
            )
            for i, lyc in enumerate(lycees)
        ],
        batch_size=2000,
    )
    journal(f"  organisations et comptes : {time.monotonic() - debut:.1f} s")

    lycee_ids = [lyc.pk for lyc in lycees]
    maintenant = datetime.datetime.now(tz)
    n_j = t["jeunes"]
    with transaction.atomic(), connection.cursor() as cur, defauts_du_modele(cur.cursor, connection):
        pg = cur.cursor
        pg.execute("SELECT coalesce(max(id), 0) FROM eleves_jeune")
        base_id = pg.fetchone()[0]
        t0 = time.monotonic()
        with pg.copy(
            "COPY eleves_jeune (id, uuid, ine, nom, prenoms, date_naissance, sexe, telephone, email, adresse, "
            "responsable_nom, responsable_telephone, responsable_email, boursier, etablissement_id, cree_le, "
            "modifie_le, recherche) FROM STDIN"
        ) as copy:
            for j in range(n_j):
                copy.write_row(
                    (
                        base_id + j + 1,
                        uuid.uuid4(),
                        f"{j:09d}BN",
                        f"{NOMS[j % 10]}-{j}",
                        PRENOMS[(j // 10) % 10],
                        datetime.date(2007, 1 + j % 12, 1 + j % 28),
                        "MF"[j % 2],
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        j % 4 == 0,
                        lycee_ids[j % n_l],
                        maintenant,
                        maintenant,
                        normaliser_recherche(f"{NOMS[j % 10]}-{j}", PRENOMS[(j // 10) % 10]),
                    )
                )
        pg.execute("SELECT setval(pg_get_serial_sequence('eleves_jeune', 'id'), %s)", [base_id + n_j])
        with pg.copy(
            "COPY eleves_reperage (uuid, jeune_id, campagne_id, diplome, specialite, mef_origine, division, resultat, "
            "parcoursup, situation_rentree, typologie, typologie_modifiee_motif, souhaite_repreparer, "
            "statut_contact, importe_le, typologie_forcee, reponse_reinscription, relais_estival) FROM STDIN"
        ) as copy:
            for j in range(n_j):
                typologie = TYPOLOGIES[rnd.randrange(5)]
                copy.write_row(
                    (
                        uuid.uuid4(),
                        base_id + j + 1,
                        campagne.pk,
                        "cap" if j % 2 else "bac_pro",
                        "Spécialité",
                        "",
                        "T1",
                        "ajourne" if typologie.startswith("echec") else "admis",
                        "aucune",
                        "sans_solution",
                        typologie,
                        "",
                        typologie == "echec_repreparer",
                        STATUTS_CONTACT[rnd.randrange(6)],
                        maintenant - datetime.timedelta(days=rnd.randrange(60)),
                        False,
                        "",
                        "",
                    )
                )
        journal(f"  {n_j} jeunes et repérages (COPY) : {time.monotonic() - t0:.1f} s")

        t0 = time.monotonic()
        # Interviews and invitations for one young person in three; parcours for the first `parcours` of those.
        premier_reunion = reunions[0].pk
        pg.execute(
            """
            INSERT INTO entretiens_invitation (uuid, reunion_id, jeune_id, invite_le, presence)
            SELECT gen_random_uuid(), %(r0)s + ((j.id - %(b)s - 1) %% %(nl)s), j.id, now(),
                   (ARRAY['present','present','excuse','absent','a_renseigner'])[1 + (j.id %% 5)]
            FROM eleves_jeune j WHERE j.id > %(b)s AND ((j.id - %(b)s - 1) / %(nl)s) %% 3 = 0
            """,
            {"r0": premier_reunion, "b": base_id, "nl": n_l},
        )
        pg.execute(
            """
            INSERT INTO entretiens_entretien (uuid, jeune_id, campagne_id, type, date, decision,
                                              sante, famille, justice, finances)
            SELECT gen_random_uuid(), j.id, %(c)s, 'entree',
                   now() + make_interval(days => ((j.id %% 40) - 30)::int),
                   CASE WHEN j.id %% 40 >= 30 THEN '' ELSE 'entree_confirmee' END, '', '', '', ''
            FROM eleves_jeune j WHERE j.id > %(b)s AND ((j.id - %(b)s - 1) / %(nl)s) %% 4 = 0
            """,
            {"c": campagne.pk, "b": base_id, "nl": n_l},
        )
        pg.execute(
            """
            INSERT INTO parcours_inscription (uuid, jeune_id, campagne_id, etablissement_id, mef, date_entree,
                date_fin_prevue, referent_id, conseiller_id, numero_imilo, statut, date_sortie, motif_sortie,
                situation_sortie, version, modifie_le)
            SELECT gen_random_uuid(), x.id, %(c)s, x.etablissement_id,
                   CASE WHEN x.rang %% 2 = 1 THEN 'apro_plus_3' ELSE 'apro_plus_4' END,
                   x.entree, (x.entree + interval '4 months' - interval '1 day')::date,
                   NULL, NULL, x.id::text,
                   (ARRAY['en_cours','en_cours','en_cours','en_cours','en_cours','en_cours',
                          'en_preparation','a_cloturer','sortie','sortie'])[1 + x.rang %% 10],
                   CASE WHEN x.rang %% 10 >= 8 THEN x.entree + (30 + x.rang %% 60)::int END,
                   CASE WHEN x.rang %% 10 < 8 THEN ''
                        WHEN 1 + x.rang %% 7 >= 6 THEN 'abandon' ELSE 'solution_avant_terme' END,
                   CASE WHEN x.rang %% 10 >= 8 THEN (ARRAY['formation','emploi','insertion','formation_initiale',
                        'service_civique','sans_solution','inconnue'])[1 + x.rang %% 7] ELSE '' END,
                   1, now()
            FROM (SELECT j.id, j.etablissement_id, row_number() OVER (ORDER BY j.id) AS rang,
                         DATE '2026-09-07' + ((j.id %% 4) * 7)::int AS entree
                  FROM eleves_jeune j WHERE j.id > %(b)s AND ((j.id - %(b)s - 1) / %(nl)s) %% 8 = 0
                  ORDER BY j.id LIMIT %(n)s) x
            """,
            {"c": campagne.pk, "b": base_id, "n": t["parcours"], "nl": n_l},
        )
        # Référent and counsellor: the first référent of the lycée, a counsellor of the covering mission locale.
        # One parcours in twenty is left without référent, chosen by the young person's rank in this data set (not by
        # the row id, which depends on what the database held before: the small-scale test then failed by chance).
        pg.execute(
            """
            UPDATE parcours_inscription i SET referent_id = r.utilisateur_id
            FROM avenirpro_affectation r
            WHERE r.role = 'referent' AND r.etablissement_id = i.etablissement_id
              AND r.utilisateur_id = (SELECT min(utilisateur_id) FROM avenirpro_affectation a2
                                      WHERE a2.role = 'referent' AND a2.etablissement_id = i.etablissement_id)
              AND ((i.jeune_id - %(b)s) %% 20 <> 0 OR i.statut = 'en_cours')
            """,
            {"b": base_id},
        )
        pg.execute(
            """
            UPDATE parcours_inscription i SET conseiller_id = a.utilisateur_id
            FROM avenirpro_couverture c JOIN avenirpro_affectation a
                 ON a.mission_locale_id = c.mission_locale_id AND a.role = 'conseiller_ml'
            WHERE c.etablissement_id = i.etablissement_id
              AND a.utilisateur_id = (SELECT min(a2.utilisateur_id) FROM avenirpro_affectation a2
                                      WHERE a2.mission_locale_id = c.mission_locale_id AND a2.role = 'conseiller_ml')
            """
        )
        # The visibility facts (ADR 0019, maison), written by the apps' signals in the application, here in SQL like
        # the rows they sum up.
        pg.execute(
            """
            UPDATE eleves_jeune j SET
                a_invitation = EXISTS (SELECT 1 FROM entretiens_invitation i WHERE i.jeune_id = j.id),
                a_entretien = EXISTS (SELECT 1 FROM entretiens_entretien e WHERE e.jeune_id = j.id),
                a_parcours = EXISTS (SELECT 1 FROM parcours_inscription p WHERE p.jeune_id = j.id)
            WHERE j.id > %(b)s
            """,
            {"b": base_id},
        )
        pg.execute(
            """
            INSERT INTO eleves_accompagnant (jeune_id, utilisateur_id, referent, conseiller, ouvert)
            SELECT x.jeune_id, x.uid, bool_or(x.role = 'r'), bool_or(x.role = 'c'), bool_or(x.statut <> 'sortie')
            FROM (SELECT jeune_id, referent_id AS uid, 'r' AS role, statut FROM parcours_inscription
                  WHERE referent_id IS NOT NULL AND jeune_id > %(b)s
                  UNION ALL
                  SELECT jeune_id, conseiller_id, 'c', statut FROM parcours_inscription
                  WHERE conseiller_id IS NOT NULL AND jeune_id > %(b)s) x
            GROUP BY x.jeune_id, x.uid
            """,
            {"b": base_id},
        )
        # R9: every enrolled failed candidate was offered a re-enrolment first, and declined it with a reason.
        # R1: every enrolled young person confirmed their wish (a written commitment where no interview confirmed).
        pg.execute(
            """
            UPDATE eleves_reperage r SET reinscription_proposee_le = DATE '2026-07-06',
                   reinscription_canal = 'telephone', reponse_reinscription = 'refusee',
                   reinscription_motif = (ARRAY['situation','projet'])[1 + r.jeune_id %% 2],
                   reinscription_precisions = 'Proposition faite par le chef d''établissement'
            FROM parcours_inscription i
            WHERE i.jeune_id = r.jeune_id AND i.campagne_id = r.campagne_id AND r.jeune_id > %(b)s
              AND r.resultat IN ('ajourne', 'absent')
            """,
            {"b": base_id},
        )
        pg.execute(
            """
            UPDATE eleves_reperage r SET engagement_ecrit_le = DATE '2026-09-04',
                   engagement_ecrit_motif = 'Engagement signé remis au lycée'
            FROM parcours_inscription i
            WHERE i.jeune_id = r.jeune_id AND i.campagne_id = r.campagne_id AND r.jeune_id > %(b)s
              AND NOT EXISTS (SELECT 1 FROM entretiens_entretien e WHERE e.jeune_id = r.jeune_id
                              AND e.campagne_id = r.campagne_id AND e.decision = 'entree_confirmee')
            """,
            {"b": base_id},
        )
        pg.execute(
            """
            INSERT INTO parcours_action (uuid, inscription_id, type, intitule, type_lieu, lieu, date_debut, date_fin,
                                         statut)
            SELECT gen_random_uuid(), i.id, (ARRAY['tre','cps','consolidation'])[k],
                   (ARRAY['Atelier CV','Compétences psychosociales','Consolidation des acquis'])[k],
                   'lycee', 'Salle B' || k, i.date_entree, i.date_fin_prevue, 'en_cours'
            FROM parcours_inscription i, generate_series(1, 3) k
            """
        )
        pg.execute(
            """
            INSERT INTO parcours_creneau (action_id, jour, heure_debut, heure_fin)
            SELECT a.id, (a.id + k) %% 5, CASE WHEN k = 0 THEN TIME '09:00' ELSE TIME '14:00' END,
                   CASE WHEN k = 0 THEN TIME '12:00' ELSE TIME '16:30' END
            FROM parcours_action a, generate_series(0, 1) k
            """,
            {},
        )
        pg.execute(
            """
            INSERT INTO parcours_pointsuivi (uuid, inscription_id, date, contenu, prochaine_date)
            SELECT gen_random_uuid(), i.id, i.date_entree + 14 * k, 'Point de suivi',
                   i.date_entree + 14 * (k + 1) + 60
            FROM parcours_inscription i, generate_series(1, 3) k
            """
        )
        pg.execute(
            """
            INSERT INTO parcours_pfmp (uuid, inscription_id, type, entreprise, siret, adresse, tuteur_nom,
                tuteur_telephone, tuteur_email, signataires, date_debut, date_fin, heures_hebdo, activites,
                depassement_signale)
            SELECT gen_random_uuid(), i.id, 'pfmp', 'Entreprise ' || i.id, '', '', '', '', '', '',
                   i.date_entree + 28, i.date_entree + 39, 35, '', i.id %% 50 = 0
            FROM parcours_inscription i WHERE i.id %% 2 = 0
            """,
            {},
        )
        journal(
            f"  invitations, entretiens, parcours, actions, créneaux, points, PFMP : {time.monotonic() - t0:.1f} s"
        )
        t0 = time.monotonic()
        # Bulk load: constraints and indexes of the attendance table are dropped, then rebuilt in one pass each.
        pg.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'parcours_presence'::regclass AND contype IN ('f', 'u')"
        )
        contraintes = pg.fetchall()
        pg.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'parcours_presence' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'parcours_presence'::regclass)"
        )
        index = [(nom, d) for nom, d in pg.fetchall() if not nom.endswith("_pkey")]
        pg.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's FKs are deferred: check what is pending now
        for nom, _ in contraintes:
            pg.execute(f'ALTER TABLE parcours_presence DROP CONSTRAINT "{nom}"')
        for nom, _ in index:
            pg.execute(f'DROP INDEX "{nom}"')
        # 150 half-days per parcours: 75 weekdays (15 weeks) × morning and afternoon.
        semaines = t["presences_par_parcours"] // 10
        pg.execute(
            """
            INSERT INTO parcours_presence (inscription_id, date, periode, statut, motif)
            SELECT i.id, d.jour, p.periode,
                   CASE WHEN (i.id + d.n) %% 23 = 0 THEN 'absent_non_justifie'
                        WHEN (i.id + d.n) %% 31 = 0 THEN 'absent_justifie'
                        WHEN (i.id + d.n) %% 41 = 0 THEN 'retard' ELSE 'present' END, ''
            FROM parcours_inscription i
            CROSS JOIN LATERAL (SELECT g AS n, i.date_entree + g AS jour FROM generate_series(0, %(jours)s) g
                                WHERE extract(isodow FROM i.date_entree + g) < 6) d
            CROSS JOIN (VALUES ('matin'), ('apres_midi')) p(periode)
            """,
            {"jours": semaines * 7 - 1},
        )
        n_presences = pg.rowcount
        for _, definition in index:
            pg.execute(definition)
        for nom, definition in contraintes:
            pg.execute(f'ALTER TABLE parcours_presence ADD CONSTRAINT "{nom}" {definition}')
        # R8: a half-day inside a PFMP's dates is tied to it (the services do the same).
        pg.execute(
            """
            UPDATE parcours_presence p SET pfmp_id = f.id
            FROM parcours_pfmp f
            WHERE f.inscription_id = p.inscription_id AND p.date BETWEEN f.date_debut AND f.date_fin
            """
        )
        journal(f"  {n_presences} présences (INSERT … SELECT, index reconstruits) : {time.monotonic() - t0:.1f} s")
        pg.execute(
            """
            CREATE TABLE bench_reference (id integer PRIMARY KEY, libelle varchar(100) NOT NULL,
                                          categorie varchar(30) NOT NULL, valeur integer NOT NULL,
                                          jour date NOT NULL)
            """
        )
        pg.execute(
            """
            INSERT INTO bench_reference SELECT g, 'Ligne de référence n°' || g,
                   (ARRAY['alpha','beta','gamma','delta'])[1 + g %% 4], g * 7 %% 1000, DATE '2026-01-01' + g %% 365
            FROM generate_series(1, %(n)s) g
            """,
            {"n": t["reference"]},
        )
        pg.execute("CREATE TABLE bench_marqueur (valeur text NOT NULL)")
        pg.execute("INSERT INTO bench_marqueur VALUES (%s)", [marqueur(t)])
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    journal(f"  données générées en {time.monotonic() - debut:.1f} s")
