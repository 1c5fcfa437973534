"""The campaign's figures, computed by aggregate queries (a fixed number of queries whatever the volume).

A scope is a dict of lookups on `Etablissement` (`{"pk__in": [...]}` for a chef's lycées, `{"academie": "Lyon"}`
for a pilotage affectation); a dimension (`None`, "lycee", "bassin", "departement", "academie") groups the figures.
Every function returns plain dicts: the views decide what is shown, linked or masked.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from avenirpro.models import Affectation, Etablissement
from avenirpro.sql import envoyer
from eleves.models import Jeune, Reperage
from entretiens.models import Entretien, Invitation, Reunion
from parcours.models import PFMP, ComptePresences, Inscription, Presence
from parcours.regles import JOURS_FIN_PROCHE

# Pilotage dimensions: (label, path from Etablissement).
DIMENSIONS = {
    "academie": ("Académie", "academie"),
    "departement": ("Département", "departement"),
    "bassin": ("Bassin", "bassin"),
    "lycee": ("Lycée", "nom"),
}
# The level just below a pilotage scope, shown by default.
DIMENSION_PAR_NIVEAU = {
    Affectation.Niveau.NATIONAL: "academie",
    Affectation.Niveau.ACADEMIE: "departement",
    Affectation.Niveau.DEPARTEMENT: "bassin",
    Affectation.Niveau.BASSIN: "lycee",
}

TYPOLOGIES_CIBLES = [t for t in Reperage.Typologie if t != Reperage.Typologie.AVEC_SOLUTION]
STATUTS_ACTIFS = [Inscription.Statut.EN_PREPARATION, Inscription.Statut.EN_COURS, Inscription.Statut.A_CLOTURER]


def portee_pilotage(niveau: str, perimetre: str) -> dict:
    """Lookups on Etablissement for a pilotage affectation (académie name, département code, bassin name)."""
    if niveau == Affectation.Niveau.ACADEMIE:
        return {"academie": perimetre}
    if niveau == Affectation.Niveau.DEPARTEMENT:
        return {"departement": perimetre}
    if niveau == Affectation.Niveau.BASSIN:
        return {"bassin": perimetre}
    if niveau == Affectation.Niveau.NATIONAL:
        return {}
    return {"pk__in": []}


def _prefixe(portee: dict, chemin: str) -> dict:
    return {f"{chemin}__{cle}": valeur for cle, valeur in portee.items()}


def _grouper(qs, chemin: str, dimension: str | None):
    if dimension is None:
        return qs, None
    champ = f"{chemin}__{DIMENSIONS[dimension][1]}"
    if dimension == "lycee":
        # Two lycées may share a name: group on the id, show the name.
        return qs.values(f"{chemin}__id", champ), f"{chemin}__id"
    return qs.values(champ), champ


def _rangs(qs, chemin: str, dimension: str | None, **agregats):
    """[(key, {figure: value})] for one aggregate query, grouped by the dimension (one row when None)."""
    if dimension is None:
        return [(None, qs.aggregate(**agregats))]
    qs, cle = _grouper(qs, chemin, dimension)
    lignes = []
    for ligne in qs.annotate(**agregats).order_by():
        lignes.append((ligne[cle], ligne))
    return lignes


def chiffres(campagne, portee: dict, dimension: str | None = None, jour: datetime.date | None = None) -> dict:
    """{key: figures} for the campaign in the scope; the key is None without dimension.

    On PostgreSQL, a chef's lycées (no dimension) are ONE statement per lycée (`chiffres_par_lycee`); elsewhere,
    and for the groupings (the national table by lycée of pilotage), seven aggregate queries (`chiffres_orm`). Both
    give the same figures (tests/tableaux/test_chiffres_sql.py).
    """
    if campagne is None:
        return {}
    return envoyer_chiffres(campagne, portee, dimension, jour)()


def envoyer_chiffres(campagne, portee: dict, dimension: str | None = None, jour: datetime.date | None = None):
    """`chiffres`, its statements sent when they are the chef's (with others in one round trip within
    `ensemble()`): returns the function that reads them."""
    if campagne is None:
        return dict
    if connection.vendor == "postgresql" and dimension is None and set(portee) == {"pk__in"}:
        lire = envoyer_chiffres_par_lycee(campagne, list(portee["pk__in"]), jour)
        return lambda: {None: _somme_des_lycees(lire().values())}
    # The national table (pilotage, recomputed by the beat) stays in seven statements: as one, it would run into
    # the statement timeout on a loaded server (seen on the bench's shared machine at scale 1).
    return lambda: chiffres_orm(campagne, portee, dimension, jour)


def _sql_chiffres(campagne, lycee: int | None, jour: datetime.date) -> tuple[str, list]:
    """The statement behind `chiffres_par_lycee`: one CTE per table, each grouped by lycée and reading only the
    lycée asked for through its indexes (reperage and invitation by the young person's lycée, parcours by its
    own), joined on the lycée; `lycee=None`: every lycée."""
    R, INV, E = Reperage._meta.db_table, Invitation._meta.db_table, Entretien._meta.db_table
    J, N, P = Jeune._meta.db_table, Inscription._meta.db_table, PFMP._meta.db_table
    CP, RE = ComptePresences._meta.db_table, Reunion._meta.db_table
    params: dict = {
        "c": campagne.pk,
        "lycee": lycee,
        "avec": Reperage.Typologie.AVEC_SOLUTION,
        "a_contacter": Reperage.StatutContact.A_CONTACTER,
        "echecs": [Reperage.Resultat.AJOURNE, Reperage.Resultat.ABSENT],
        "ancien": timezone.now() - datetime.timedelta(days=campagne.jours_sans_contact),
        "present": Invitation.Presence.PRESENT,
        "niv3": Inscription.Mef.NIVEAU3,
        "niv4": Inscription.Mef.NIVEAU4,
        "prep": Inscription.Statut.EN_PREPARATION,
        "cours": Inscription.Statut.EN_COURS,
        "clot": Inscription.Statut.A_CLOTURER,
        "sortie": Inscription.Statut.SORTIE,
        "actifs": [str(s) for s in STATUTS_ACTIFS],
        "jour": jour,
        "fin": jour + datetime.timedelta(days=JOURS_FIN_PROCHE),
    }
    typologies = []
    for n, t in enumerate(Reperage.Typologie):
        params[f"t{n}"] = t.value
        typologies.append(f"count(*) FILTER (WHERE r.typologie = %(t{n})s) AS typologie_{t.value}")
    situations = []
    for n, s in enumerate(Inscription.SituationSortie):
        params[f"s{n}"] = s.value
        situations.append(
            f"count(*) FILTER (WHERE i.statut = %(sortie)s AND i.situation_sortie = %(s{n})s) AS situation_{s.value}"
        )
    for n, m in enumerate(Inscription.MotifSortie):
        params[f"m{n}"] = m.value
        situations.append(
            f"count(*) FILTER (WHERE i.statut = %(sortie)s AND i.motif_sortie = %(m{n})s) AS motif_{m.value}"
        )
    # One lycée (a chef's), or every lycée (the national table: no condition). Not one statement for both
    # (`%(tous)s OR col = ...`): its plan, made once for any parameters (avenirpro/sql.py), would have to read every
    # lycée's rows. One lycée, not a list: PostgreSQL estimates `col = $1` from the column's statistics, so the plan
    # made once for any lycée is the plan for one lycée and is kept (`= ANY($1)`, of unknown length, was estimated
    # dearer: planned again at every execution, 1.3 ms of the statement's 3.9, and at scale 3 a parallel plan).
    dans = "TRUE" if lycee is None else "{col} = %(lycee)s"
    # Attendance: the counts the database keeps per parcours (`parcours.ComptePresences`), not every half-day of
    # the lycée's parcours (150 per parcours; 3,000,000 rows for the whole country).
    presences = f"""
        SELECT i.etablissement_id AS e, sum(c.demi_journees)::bigint AS demi_journees,
               sum(c.presentes)::bigint AS demi_journees_presentes,
               sum(c.absences_non_justifiees)::bigint AS absences_non_justifiees
        FROM {N} i JOIN {CP} c ON c.inscription_id = i.id
        WHERE i.campagne_id = %(c)s AND {dans.format(col="i.etablissement_id")}
        GROUP BY 1"""
    sql = f"""
    WITH rep AS (
        SELECT j.etablissement_id AS e,
               count(*) FILTER (WHERE r.typologie <> %(avec)s) AS identifies,
               count(*) FILTER (WHERE r.typologie <> %(avec)s AND r.statut_contact <> %(a_contacter)s) AS contactes,
               count(*) FILTER (WHERE r.typologie <> %(avec)s AND r.statut_contact = %(a_contacter)s)
                   AS non_contactes,
               count(*) FILTER (WHERE r.typologie <> %(avec)s AND r.resultat = ANY(%(echecs)s)
                                AND r.reinscription_proposee_le IS NULL) AS reinscription_a_proposer,
               count(*) FILTER (WHERE r.typologie <> %(avec)s AND r.statut_contact = %(a_contacter)s
                                AND r.importe_le < %(ancien)s) AS non_contactes_anciens,
               {", ".join(typologies)}
        FROM {R} r JOIN {J} j ON j.id = r.jeune_id
        WHERE r.campagne_id = %(c)s AND {dans.format(col="j.etablissement_id")}
        GROUP BY 1
    ), inv AS (
        SELECT j.etablissement_id AS e, count(DISTINCT v.jeune_id) AS invites,
               count(DISTINCT v.jeune_id) FILTER (WHERE v.presence = %(present)s) AS presents
        FROM {INV} v JOIN {RE} re ON re.id = v.reunion_id JOIN {J} j ON j.id = v.jeune_id
        WHERE re.campagne_id = %(c)s AND {dans.format(col="j.etablissement_id")}
        GROUP BY 1
    ), ent AS (
        SELECT j.etablissement_id AS e, count(DISTINCT x.jeune_id) AS entretiens
        FROM {E} x JOIN {J} j ON j.id = x.jeune_id
        WHERE x.campagne_id = %(c)s AND {dans.format(col="j.etablissement_id")}
        GROUP BY 1
    ), ins AS (
        SELECT i.etablissement_id AS e, count(*) AS inscrits,
               count(*) FILTER (WHERE i.mef = %(niv3)s) AS inscrits_apro_plus_3,
               count(*) FILTER (WHERE i.mef = %(niv4)s) AS inscrits_apro_plus_4,
               count(*) FILTER (WHERE i.statut = %(prep)s) AS en_preparation,
               count(*) FILTER (WHERE i.statut = %(prep)s AND i.date_entree < %(jour)s) AS en_preparation_depassee,
               count(*) FILTER (WHERE i.statut = %(cours)s) AS en_cours,
               count(*) FILTER (WHERE i.statut = %(clot)s) AS a_cloturer,
               count(*) FILTER (WHERE i.statut = %(sortie)s) AS sortis,
               count(*) FILTER (WHERE i.statut = ANY(%(actifs)s) AND i.referent_id IS NULL) AS sans_referent,
               count(*) FILTER (WHERE i.statut IN (%(prep)s, %(cours)s)
                                AND i.date_fin_prevue BETWEEN %(jour)s AND %(fin)s) AS fin_proche,
               sum(i.date_sortie - i.date_entree) FILTER (WHERE i.statut = %(sortie)s) AS duree_somme,
               count(i.date_sortie - i.date_entree) FILTER (WHERE i.statut = %(sortie)s) AS duree_nombre,
               {", ".join(situations)}
        FROM {N} i
        WHERE i.campagne_id = %(c)s AND {dans.format(col="i.etablissement_id")}
        GROUP BY 1
    ), pf AS (
        SELECT i.etablissement_id AS e,
               count(DISTINCT f.inscription_id) FILTER (WHERE f.depassement_signale) AS pfmp_signales,
               count(*) FILTER (WHERE f.date_debut <= %(jour)s AND f.date_fin >= %(jour)s
                                AND f.convention_signee_le IS NULL) AS pfmp_sans_convention
        FROM {P} f JOIN {N} i ON i.id = f.inscription_id
        WHERE i.campagne_id = %(c)s AND {dans.format(col="i.etablissement_id")}
        GROUP BY 1
    ), pres AS ({presences}
    ), lycees AS (
        SELECT e FROM rep UNION SELECT e FROM inv UNION SELECT e FROM ent UNION SELECT e FROM ins
        UNION SELECT e FROM pf UNION SELECT e FROM pres
    )
    SELECT l.e AS lycee, rep.*, inv.*, ent.*, ins.*, pf.*, pres.*
    FROM lycees l LEFT JOIN rep ON rep.e = l.e LEFT JOIN inv ON inv.e = l.e LEFT JOIN ent ON ent.e = l.e
         LEFT JOIN ins ON ins.e = l.e LEFT JOIN pf ON pf.e = l.e LEFT JOIN pres ON pres.e = l.e
    """
    return sql, params


def chiffres_par_lycee(campagne, lycees: list[int] | None, jour: datetime.date | None = None) -> dict:
    """{lycée id: figures} for the campaign, for the given lycées (None: every lycée, in one statement; else one
    statement per lycée, the same prepared statement each time); only the lycées that have at least one row appear
    (as with the grouped aggregates). PostgreSQL only."""
    return envoyer_chiffres_par_lycee(campagne, lycees, jour)()


def envoyer_chiffres_par_lycee(campagne, lycees: list[int] | None, jour: datetime.date | None = None):
    """`chiffres_par_lycee`, its statements sent (`avenirpro.sql.envoyer`: with others in one round trip within
    `ensemble()`, and several lycées' together): returns the function that reads them. PostgreSQL only."""
    jour = jour or timezone.localdate()
    # Prepared: planned once per connection, not on every dashboard (ADR 0027).
    lycees = [None] if lycees is None else sorted(set(lycees))
    envois = [envoyer(*_sql_chiffres(campagne, lycee, jour)) for lycee in lycees]

    def lire() -> dict:
        resultat = {}
        for envoi in envois:
            lignes = envoi.lignes()
            for ligne in lignes:
                valeurs = {}
                for nom, v in zip(envoi.colonnes, ligne, strict=True):
                    if nom in ("e", "lycee"):
                        continue
                    valeurs[nom] = v
                somme, nombre = valeurs.pop("duree_somme"), valeurs.pop("duree_nombre")
                valeurs = {k: v for k, v in valeurs.items() if v is not None}
                valeurs["duree_moyenne"] = datetime.timedelta(days=somme / nombre) if nombre else None
                valeurs["_duree"] = (somme or 0, nombre or 0)
                resultat[ligne[0]] = _completer(valeurs)
        return resultat

    return lire


def _somme_des_lycees(lignes) -> dict:
    """The figures of several lycées as one scope: counts add up (a young person, a parcours belongs to one lycée,
    so the distinct counts add up too), the average duration is recomputed from its sum and count."""
    somme: dict = {champ: 0 for champ in CHAMPS_COMPTES}
    jours = nombre = 0
    for v in lignes:
        for champ in CHAMPS_COMPTES:
            somme[champ] += v.get(champ, 0)
        s, n = v.get("_duree", (0, 0))
        jours, nombre = jours + s, nombre + n
    somme["duree_moyenne"] = datetime.timedelta(days=jours / nombre) if nombre else None
    return _completer(somme)


def chiffres_orm(campagne, portee: dict, dimension: str | None = None, jour: datetime.date | None = None) -> dict:
    """`chiffres` in seven aggregate queries through the ORM (any database, any grouping): repérage, invitations,
    interviews, enrolments, PFMP flags, attendance and the labels of the groups."""
    jour = jour or timezone.localdate()
    resultat: dict = defaultdict(dict)
    if campagne is None:
        return {}

    agregats_reperage = {
        "identifies": Count("pk", filter=~Q(typologie=Reperage.Typologie.AVEC_SOLUTION)),
        "contactes": Count(
            "pk",
            filter=~Q(typologie=Reperage.Typologie.AVEC_SOLUTION)
            & ~Q(statut_contact=Reperage.StatutContact.A_CONTACTER),
        ),
        "non_contactes": Count(
            "pk",
            filter=~Q(typologie=Reperage.Typologie.AVEC_SOLUTION)
            & Q(statut_contact=Reperage.StatutContact.A_CONTACTER),
        ),
        # R9: failed candidates still waiting for their offer (eleves.regles.reperages_en_attente_d_offre).
        "reinscription_a_proposer": Count(
            "pk",
            filter=~Q(typologie=Reperage.Typologie.AVEC_SOLUTION)
            & Q(resultat__in=(Reperage.Resultat.AJOURNE, Reperage.Resultat.ABSENT))
            & Q(reinscription_proposee_le__isnull=True),
        ),
        "non_contactes_anciens": Count(
            "pk",
            filter=~Q(typologie=Reperage.Typologie.AVEC_SOLUTION)
            & Q(statut_contact=Reperage.StatutContact.A_CONTACTER)
            & Q(importe_le__lt=timezone.now() - datetime.timedelta(days=campagne.jours_sans_contact)),
        ),
    }
    for t in Reperage.Typologie:
        agregats_reperage[f"typologie_{t.value}"] = Count("pk", filter=Q(typologie=t))
    qs = Reperage.objects.filter(campagne=campagne, **_prefixe(portee, "jeune__etablissement"))
    for cle, valeurs in _rangs(qs, "jeune__etablissement", dimension, **agregats_reperage):
        resultat[cle].update({k: valeurs[k] for k in agregats_reperage})

    qs = Invitation.objects.filter(reunion__campagne=campagne, **_prefixe(portee, "jeune__etablissement"))
    agregats = {
        "invites": Count("jeune", distinct=True),
        "presents": Count("jeune", distinct=True, filter=Q(presence=Invitation.Presence.PRESENT)),
    }
    for cle, valeurs in _rangs(qs, "jeune__etablissement", dimension, **agregats):
        resultat[cle].update({k: valeurs[k] for k in agregats})

    qs = Entretien.objects.filter(campagne=campagne, **_prefixe(portee, "jeune__etablissement"))
    agregats = {"entretiens": Count("jeune", distinct=True)}
    for cle, valeurs in _rangs(qs, "jeune__etablissement", dimension, **agregats):
        resultat[cle].update({k: valeurs[k] for k in agregats})

    actifs = Q(statut__in=STATUTS_ACTIFS)
    sortie = Q(statut=Inscription.Statut.SORTIE)
    agregats = {
        "inscrits": Count("pk"),
        "inscrits_apro_plus_3": Count("pk", filter=Q(mef=Inscription.Mef.NIVEAU3)),
        "inscrits_apro_plus_4": Count("pk", filter=Q(mef=Inscription.Mef.NIVEAU4)),
        "en_preparation": Count("pk", filter=Q(statut=Inscription.Statut.EN_PREPARATION)),
        # Still «en préparation» after the entry date: the parcours should have started.
        "en_preparation_depassee": Count(
            "pk", filter=Q(statut=Inscription.Statut.EN_PREPARATION, date_entree__lt=jour)
        ),
        "en_cours": Count("pk", filter=Q(statut=Inscription.Statut.EN_COURS)),
        "a_cloturer": Count("pk", filter=Q(statut=Inscription.Statut.A_CLOTURER)),
        "sortis": Count("pk", filter=sortie),
        "sans_referent": Count("pk", filter=actifs & Q(referent__isnull=True)),
        "fin_proche": Count(
            "pk",
            filter=Q(statut__in=[Inscription.Statut.EN_PREPARATION, Inscription.Statut.EN_COURS])
            & Q(date_fin_prevue__gte=jour, date_fin_prevue__lte=jour + datetime.timedelta(days=JOURS_FIN_PROCHE)),
        ),
        "duree_moyenne": Avg(F("date_sortie") - F("date_entree"), filter=sortie),
    }
    for s in Inscription.SituationSortie:
        agregats[f"situation_{s.value}"] = Count("pk", filter=sortie & Q(situation_sortie=s))
    # The exit motifs as well (the memento: «la date et le motif de sortie»), ADR 0022.
    for m in Inscription.MotifSortie:
        agregats[f"motif_{m.value}"] = Count("pk", filter=sortie & Q(motif_sortie=m))
    qs = Inscription.objects.filter(campagne=campagne, **_prefixe(portee, "etablissement"))
    for cle, valeurs in _rangs(qs, "etablissement", dimension, **agregats):
        resultat[cle].update({k: valeurs[k] for k in agregats})

    qs = PFMP.objects.filter(inscription__campagne=campagne, **_prefixe(portee, "inscription__etablissement"))
    agregats = {
        "pfmp_signales": Count("inscription", distinct=True, filter=Q(depassement_signale=True)),
        # Under way today without a signed convention (R18).
        "pfmp_sans_convention": Count(
            "pk", filter=Q(date_debut__lte=jour, date_fin__gte=jour, convention_signee_le__isnull=True)
        ),
    }
    for cle, valeurs in _rangs(qs, "inscription__etablissement", dimension, **agregats):
        resultat[cle].update({k: valeurs[k] for k in agregats})

    if connection.vendor == "postgresql":
        # The counts the database keeps per parcours (`parcours.ComptePresences`): one row per parcours rather than
        # every half-day (the national table read the whole attendance table at every recomputation).
        qs = ComptePresences.objects.filter(
            inscription__campagne=campagne, **_prefixe(portee, "inscription__etablissement")
        )
        agregats = {
            "demi_journees": Sum("demi_journees", default=0),
            "demi_journees_presentes": Sum("presentes", default=0),
            "absences_non_justifiees": Sum("absences_non_justifiees", default=0),
        }
    else:
        # SQLite (the demo): no trigger keeps the counts; the attendance rows themselves.
        qs = Presence.objects.filter(inscription__campagne=campagne, **_prefixe(portee, "inscription__etablissement"))
        presentes = Q(statut__in=[Presence.Statut.PRESENT, Presence.Statut.RETARD])
        agregats = {
            "demi_journees": Count("pk"),
            "demi_journees_presentes": Count("pk", filter=presentes),
            "absences_non_justifiees": Count("pk", filter=Q(statut=Presence.Statut.ABSENT_NON_JUSTIFIE)),
        }
    for cle, valeurs in _rangs(qs, "inscription__etablissement", dimension, **agregats):
        resultat[cle].update({k: valeurs[k] for k in agregats})

    for valeurs in resultat.values():
        _completer(valeurs)
    if dimension == "lycee" and resultat:
        noms = dict(Etablissement.objects.filter(pk__in=list(resultat)).values_list("pk", "nom"))
        for cle, valeurs in resultat.items():
            valeurs["libelle"] = noms.get(cle, "")
    elif dimension is not None:
        for cle, valeurs in resultat.items():
            valeurs["libelle"] = cle or "Non renseigné"
    if dimension is None and None not in resultat:
        resultat[None] = _completer({})
    return dict(resultat)


CHAMPS_COMPTES = (
    ["identifies", "contactes", "non_contactes", "non_contactes_anciens", "reinscription_a_proposer"]
    + [f"typologie_{t.value}" for t in Reperage.Typologie]
    + ["invites", "presents", "entretiens", "inscrits", "inscrits_apro_plus_3", "inscrits_apro_plus_4"]
    + ["en_preparation", "en_cours", "a_cloturer", "sortis", "sans_referent", "fin_proche", "pfmp_signales"]
    + ["en_preparation_depassee", "pfmp_sans_convention"]
    + [f"situation_{s.value}" for s in Inscription.SituationSortie]
    + [f"motif_{m.value}" for m in Inscription.MotifSortie]
    + ["demi_journees", "demi_journees_presentes", "absences_non_justifiees"]
)


def _completer(valeurs: dict) -> dict:
    """Zero for missing counts, the attendance rate and the average duration in days."""
    for champ in CHAMPS_COMPTES:
        valeurs.setdefault(champ, 0)
    duree = valeurs.get("duree_moyenne")
    if isinstance(duree, datetime.timedelta):
        valeurs["duree_moyenne_jours"] = round(duree.total_seconds() / 86400)
    elif isinstance(duree, (int, float)):
        valeurs["duree_moyenne_jours"] = round(duree)
    else:
        valeurs["duree_moyenne_jours"] = None
    total = valeurs["demi_journees"]
    valeurs["taux_assiduite"] = round(100 * valeurs["demi_journees_presentes"] / total) if total else None
    return valeurs


def total(lignes: dict) -> dict:
    """Sum of grouped figures (the averages are recomputed where possible, else left out)."""
    somme = {champ: sum(v.get(champ, 0) for v in lignes.values()) for champ in CHAMPS_COMPTES}
    sortis = [(v["sortis"], v.get("duree_moyenne_jours")) for v in lignes.values() if v.get("duree_moyenne_jours")]
    n = sum(s for s, _ in sortis)
    somme["duree_moyenne_jours"] = round(sum(s * d for s, d in sortis) / n) if n else None
    somme["taux_assiduite"] = (
        round(100 * somme["demi_journees_presentes"] / somme["demi_journees"]) if somme["demi_journees"] else None
    )
    return somme
