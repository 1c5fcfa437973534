"""The rows of the personal screens (référent, counsellor), as named querysets with everything they display
joined or annotated, so that a page costs the same number of queries with 1 or 500 rows."""

from __future__ import annotations

import datetime
import hashlib
import threading
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from avenirpro.memo import Memo
from avenirpro.models import Campagne, Etablissement
from avenirpro.secret_statistique import TableauProtege
from avenirpro.sql import SENTINELLE_INSTANT, Envoi, compilee
from eleves.models import Jeune, Reperage
from entretiens.models import Entretien
from parcours.models import PFMP, Inscription, PointSuivi, Presence
from tableaux import lignes
from tableaux.statistiques import JOURS_FIN_PROCHE, TYPOLOGIES_CIBLES, chiffres


def semaine(jour: datetime.date) -> tuple[datetime.date, datetime.date]:
    lundi = jour - datetime.timedelta(days=jour.weekday())
    return lundi, lundi + datetime.timedelta(days=6)


def parcours_suivis(user, *, role: str):
    """Active parcours of which `user` is the référent (role="referent") or the counsellor (role="conseiller"), in
    the screens' order, without the columns of their rows (`annoter`): the screens read their ids first."""
    filtre = {"referent": user} if role == "referent" else {"conseiller": user}
    return (
        Inscription.objects.visibles_par(user)
        .filter(**filtre)
        .exclude(statut=Inscription.Statut.SORTIE)
        .order_by("date_fin_prevue", "jeune__nom", "pk")
    )


def ids_suivis(user, *, role: str, campagne=None) -> list[tuple[int, int]]:
    """(parcours id, young person id) of `parcours_suivis`, in its order, of one campaign when given: what the
    screens read first. Its statement is built and compiled once per process for the user's perimeter
    (`avenirpro.sql.compilee`)."""
    return envoyer_ids_suivis(user, role=role, campagne=campagne).lignes()


def envoyer_ids_suivis(user, *, role: str, campagne=None) -> Envoi:
    """`ids_suivis`, sent (`avenirpro.sql.envoyer`: with others in one round trip within `ensemble()`)."""
    from avenirpro.acces import perimetre

    def fabrique():
        qs = parcours_suivis(user, role=role)
        if campagne is not None:
            qs = qs.filter(campagne=campagne)
        return qs.values_list("pk", "jeune_id")

    cle = ("ids_suivis", perimetre(user), role, campagne.pk if campagne is not None else None)
    return compilee(cle, fabrique).envoyer()


def inscriptions_suivies(user, *, jour: datetime.date, role: str):
    """Active parcours of which `user` is the référent (role="referent") or the counsellor (role="conseiller"),
    with the young person, the lycée, the last follow-up point, the next one, the PFMP flag and this week's
    unexcused absences."""
    return annoter(parcours_suivis(user, role=role), jour).order_by("date_fin_prevue", "jeune__nom", "pk")


def annoter(qs, jour: datetime.date):
    """What a row of the personal screens shows, joined or annotated on the parcours of `qs`: the young person,
    the lycée, the last follow-up point, the next one, the PFMP flag and the unexcused absences of the week."""
    lundi, dimanche = semaine(jour)
    dernier_point = PointSuivi.objects.filter(inscription=OuterRef("pk")).order_by("-date", "-pk")
    absences = (
        Presence.objects.filter(
            inscription=OuterRef("pk"),
            date__range=(lundi, dimanche),
            statut=Presence.Statut.ABSENT_NON_JUSTIFIE,
        )
        .order_by()
        .values("inscription")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.select_related("jeune", "etablissement", "campagne", "referent", "conseiller").annotate(
        dernier_point=Subquery(dernier_point.values("date")[:1]),
        prochain_point=Subquery(dernier_point.values("prochaine_date")[:1]),
        pfmp_signale=Exists(PFMP.objects.filter(inscription=OuterRef("pk"), depassement_signale=True)),
        absences_semaine=Subquery(absences),
    )


def attendus_de_la_semaine(inscription_ids, lundi: datetime.date, jour: datetime.date):
    """What `parcours.regles.demi_journees_attendues` needs for the week of `lundi`, for the given parcours: the
    parcours as rows of the screens at `jour` (`lignes.LigneParcours`: what a row shows, as `annoter` at that day,
    and their lycée's holiday zone), their slots and their PFMP by parcours id. Three statements
    (`tableaux/lignes.py`).

    The slots (ordered by day, start time and pk, abandoned actions included: the rule and the timetable leave
    them out) carry their action, and the action the parcours object of the first list (with its young person):
    the timetable of the week is drawn from them without another query, and no slot row repeats the parcours' and
    the young person's columns. The référent's screen takes its page's rows from the first list."""
    return envoyer_attendus_de_la_semaine(inscription_ids, lundi, jour)()


def envoyer_attendus_de_la_semaine(inscription_ids, lundi: datetime.date, jour: datetime.date):
    """`attendus_de_la_semaine`, its three statements sent (with others in one round trip within `ensemble()`):
    returns the function that reads them."""
    envoi_lignes = lignes.envoyer_lignes(inscription_ids, jour)
    lire_semaine = lignes.envoyer_semaine(inscription_ids, lundi)

    def lire():
        inscriptions = envoi_lignes.lignes()
        return inscriptions, *lire_semaine(inscriptions)

    return lire


class EntretienLu:
    """An interview as the screens list it (`COLONNES_ENTRETIEN`): its date, type and link, the young person's name
    and link, their lycée's name."""

    __slots__ = ("pk", "id", "uuid", "type", "date", "jeune", "lien")

    def __init__(self, pk, uuid, type_, date, jeune_id, j_uuid, j_nom, j_prenoms, e_nom):
        self.pk = self.id = pk
        self.uuid, self.type, self.date, self.lien = uuid, type_, date, None
        self.jeune = lignes.JeuneLu(jeune_id, j_uuid, j_nom, j_prenoms, "")
        self.jeune.etablissement = lignes.EtablissementLu(None, e_nom, None, None)

    def get_type_display(self):
        return lignes.libelle(Entretien, "type", self.type)


def entretiens_du_tableau(user, *, jeunes=None, participant=False, limite: int) -> list[EntretienLu]:
    """The first `limite` of `entretiens_a_venir`, as light rows (`EntretienLu`): its statement built and compiled
    once per process for the user's perimeter and these arguments, the clock put in at each request."""
    return envoyer_entretiens_du_tableau(user, jeunes=jeunes, participant=participant, limite=limite).lignes()


def envoyer_entretiens_du_tableau(user, *, jeunes=None, participant=False, limite: int) -> Envoi:
    """`entretiens_du_tableau`, sent (with others in one round trip within `ensemble()`)."""
    from avenirpro.acces import perimetre

    if jeunes is not None:
        jeunes = tuple(sorted(set(jeunes)))

    def fabrique(depuis):
        qs = entretiens_a_venir(user, jeunes=jeunes, participant=participant, depuis=depuis)
        return qs.values_list("pk", *COLONNES_ENTRETIEN_LUES)[:limite]

    cle = ("entretiens_du_tableau", perimetre(user), jeunes, participant, limite)
    requete = compilee(cle, fabrique, depuis=SENTINELLE_INSTANT)
    depuis = timezone.now() - AVANT_ENTRETIEN
    return requete.envoyer(apres=lambda lignes: [EntretienLu(*ligne) for ligne in lignes], depuis=depuis)


# An interview stays «to come» for two hours after its start.
AVANT_ENTRETIEN = datetime.timedelta(hours=2)


def entretiens_a_venir(user, *, jeunes=None, participant=False, depuis=None):
    if depuis is None:
        depuis = timezone.now() - AVANT_ENTRETIEN
    qs = Entretien.objects.visibles_par(user).filter(date__gte=depuis)
    if jeunes is not None:
        qs = qs.filter(jeune__in=jeunes)
    if participant:
        # The interviews I take part in or wrote, as one id set rather than a join (no DISTINCT over the wide rows)
        # and rather than `IN (…) OR auteur = …` (which PostgreSQL could only test row by row, reading the
        # interviews of every young person visible to a counsellor first): the set is read from two indexes.
        mes_entretiens = Entretien.participants.through.objects.filter(utilisateur=user).values("entretien_id")
        ecrits = Entretien.objects.filter(auteur=user).order_by().values("pk")
        qs = qs.filter(pk__in=mes_entretiens.union(ecrits))
    # Only what the screens show of an interview (its date, type and link, the young person's name, link and lycée):
    # not the interview's notes, sections and JSON, nor the young person's, read and decoded for 50 rows.
    return qs.select_related("jeune", "jeune__etablissement").only(*COLONNES_ENTRETIEN).order_by("date", "pk")


COLONNES_ENTRETIEN = (
    "uuid",
    "type",
    "date",
    "jeune",
    "jeune__uuid",
    "jeune__nom",
    "jeune__prenoms",
    "jeune__etablissement",
    "jeune__etablissement__nom",
)
# What `EntretienLu` reads, in its order: the same columns, the lycée by its name only.
COLONNES_ENTRETIEN_LUES = tuple(c for c in COLONNES_ENTRETIEN if c != "jeune__etablissement")


def jeunes_par_lycee(user, campagne):
    """Young people of the lycées the counsellor's mission locale covers (as far as they are visible to them),
    counted per lycée, with those enrolled in the campaign."""
    return envoyer_jeunes_par_lycee(user, campagne).lignes()


# `campagne` of `envoyer_jeunes_par_lycee`: the newest campaign (what `campagne_choisie` gives when none is asked
# for), read by the statement itself, so that it goes out in the same round trip as the campaigns.
LA_PLUS_RECENTE = "la plus récente"


def envoyer_jeunes_par_lycee(user, campagne) -> Envoi:
    """`jeunes_par_lycee`, sent (with others in one round trip within `ensemble()`). `campagne` may be
    `LA_PLUS_RECENTE`. Two statements: the counts grouped by the lycée's id (the young people visible to the user,
    each joined to their one parcours of the campaign, if any: R10, one per campaign), and the names of the lycées
    covered; joined and ordered by name here. Grouping on the names in SQL joined every young person to their lycée
    and sorted them all (a third of the statement's time)."""
    from avenirpro.acces import perimetre

    p = perimetre(user)
    noms = compilee(
        ("lycees_couverts", p),
        lambda: Etablissement.objects.filter(pk__in=p.couverts).values_list("pk", "uuid", "nom", "commune"),
    ).envoyer()
    cle = ("jeunes_par_lycee", p, campagne if campagne == LA_PLUS_RECENTE else getattr(campagne, "pk", None))

    def assembler(comptes):
        lycees = {pk: (uuid, nom, commune) for pk, uuid, nom, commune in noms.lignes()}
        lignes = [
            {
                "etablissement__uuid": lycees[pk][0],
                "etablissement__nom": lycees[pk][1],
                "etablissement__commune": lycees[pk][2],
                "jeunes": jeunes,
                "inscrits": inscrits,
            }
            for pk, jeunes, inscrits in comptes
        ]
        return sorted(lignes, key=lambda ligne: ligne["etablissement__nom"])

    return compilee(cle, lambda: _jeunes_par_lycee(user, p, campagne)).envoyer(apres=assembler)


def _jeunes_par_lycee(user, p, campagne):
    """(lycée id, young people visible to `user` in it, those of them enrolled in `campagne`), for the lycées
    `p` covers."""
    if campagne == LA_PLUS_RECENTE:
        campagne = Subquery(Campagne.objects.order_by("-session").values("pk")[:1])
    return (
        Jeune.objects.visibles_par(user)
        .filter(etablissement_id__in=p.couverts)
        .annotate(de_la_campagne=FilteredRelation("inscriptions", condition=Q(inscriptions__campagne=campagne)))
        .values("etablissement_id")
        .annotate(jeunes=Count("pk"), inscrits=Count("de_la_campagne"))
        .values_list("etablissement_id", "jeunes", "inscrits")
        .order_by()
    )


# --- Figures shared by the dashboards, the weekly summary and the beat (which import no views module) ------


def lien(nom: str, **params) -> str | None:
    """URL of a named list with its filters as query string; None while that list does not exist yet.

    Kept per process for the URL configuration in force: a chef dashboard draws some forty of these links, and
    resolving each one again cost about a millisecond per page (bench/profil.py --cprofile). The parameters are the
    code's own filter values or a lycée's uuid, never what a user typed; the memo is bounded anyway."""
    cle = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), nom, tuple(params.items()))
    return _LIENS.lire(cle, lambda: _lien(nom, params))


def _lien(nom: str, params: dict) -> str | None:
    try:
        url = reverse(nom)
    except NoReverseMatch:
        return None
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


_LIENS = Memo(2048)


def alertes(c: dict) -> list[dict]:
    return [
        {
            "libelle": f"Fin de parcours dans {JOURS_FIN_PROCHE} jours ou moins",
            "valeur": c["fin_proche"],
            "lien": lien("parcours:liste", alerte="fin_proche"),
            "niveau": "warning",
        },
        {
            "libelle": "Parcours à clôturer",
            "valeur": c["a_cloturer"],
            "lien": lien("parcours:liste", statut=Inscription.Statut.A_CLOTURER),
            "niveau": "error",
        },
        {
            "libelle": "Dépassements du plafond PFMP signalés",
            "valeur": c["pfmp_signales"],
            "lien": lien("parcours:liste", alerte="pfmp"),
            "niveau": "error",
        },
        {
            "libelle": "PFMP en cours sans convention signée",
            "valeur": c["pfmp_sans_convention"],
            "lien": lien("parcours:liste", alerte="pfmp_sans_convention"),
            "niveau": "error",
        },
        {
            "libelle": "Parcours encore en préparation après leur date d'entrée",
            "valeur": c["en_preparation_depassee"],
            "lien": lien("parcours:liste", statut=Inscription.Statut.EN_PREPARATION),
            "niveau": "warning",
        },
        {
            "libelle": "Inscrits sans référent de parcours",
            "valeur": c["sans_referent"],
            "lien": lien("parcours:liste", alerte="sans_referent"),
            "niveau": "warning",
        },
        {
            "libelle": "Candidats ajournés ou absents en attente de la proposition de réinscription",
            "valeur": c["reinscription_a_proposer"],
            "lien": lien("eleves:liste", reinscription="a_proposer"),
            "niveau": "warning",
        },
        {
            "libelle": "Jeunes pas encore contactés",
            "valeur": c["non_contactes"],
            "lien": lien("eleves:liste", statut_contact=Reperage.StatutContact.A_CONTACTER),
            "niveau": "info",
        },
    ]


COLONNES_PILOTAGE = [
    ("identifies", "Identifiés"),
    ("contactes", "Contactés"),
    ("invites", "Invités"),
    ("presents", "Présents à la réunion"),
    ("entretiens", "Reçus en entretien"),
    ("inscrits_apro_plus_3", "Inscrits APRO PLUS 3"),
    ("inscrits_apro_plus_4", "Inscrits APRO PLUS 4"),
    ("en_cours", "En cours"),
    ("sortis", "Sortis"),
    ("duree_moyenne_jours", "Durée moyenne (jours)"),
    ("taux_assiduite", "Assiduité (%)"),
]


COLONNES_EXPORT = (
    COLONNES_PILOTAGE[:5]
    + [(f"typologie_{t.value}", t.label) for t in Reperage.Typologie]
    + COLONNES_PILOTAGE[5:9]
    + [("a_cloturer", "À clôturer"), ("sans_referent", "Sans référent"), ("pfmp_signales", "PFMP signalés")]
    + [(f"situation_{s.value}", f"Sortie : {s.label}") for s in Inscription.SituationSortie]
    + [(f"motif_{m.value}", f"Motif de sortie : {m.label}") for m in Inscription.MotifSortie]
    + COLONNES_PILOTAGE[9:]
)


COLONNES_COMPTEES = [champ for champ, _ in COLONNES_EXPORT if champ not in ("duree_moyenne_jours", "taux_assiduite")]


# Published columns that are the sum of other published columns: a relation a reader could use.
SOMMES_DE_COLONNES = {
    "identifies": [f"typologie_{t.value}" for t in TYPOLOGIES_CIBLES],
    # «sortis» is the sum of the situations and, again, of the motifs: both relations protect the small numbers.
    "sortis": [
        [f"situation_{s.value}" for s in Inscription.SituationSortie],
        [f"motif_{m.value}" for m in Inscription.MotifSortie],
    ],
}


# seconds: how long a computed table may be served. The beat task `avenirpro.tasks.precalculer_pilotage` recomputes
# it every minute (settings), so while the beat runs the figures are as old as one computation. The lifetime is
# longer than the longest computation measured (`make bench`, scale 3 — three times the country: 164 s) with room to
# spare: a reader never waits for the national protection (ADR 0010), even when a computation outlasts the minute.
DUREE_CACHE_PILOTAGE = 15 * 60


def cle_pilotage(campagne) -> str:
    return "tableaux:pilotage:" + hashlib.sha256(repr((campagne.pk, timezone.localdate())).encode()).hexdigest()


# The last table read by this process, with the stamp it was stored under: every request reads the stamp (a few
# bytes) from the shared cache and unpickles the whole table (every lycée of the country, megabytes at scale 3) only
# when the stamp has changed — once a minute, when the beat stores a new table, or when the cache was cleared.
_dernier_lu = threading.local()


def tableau_protege(campagne, *, recalculer: bool = False) -> TableauProtege:
    """The campaign's figures for EVERY lycée, with primary and secondary suppression computed once (ADR 0010):
    every scope, grouping and format reads its cells from this one table, so that no breakdown can be used to
    recompute a cell masked in another. Aggregated statistics, not a worklist: kept in the cache
    (`DUREE_CACHE_PILOTAGE`), recomputed every minute by the beat (`recalculer=True`) so that the cache stays warm."""
    if campagne is None:
        return TableauProtege({}, {}, COLONNES_COMPTEES, SOMMES_DE_COLONNES)
    cle = cle_pilotage(campagne)
    if not recalculer:
        tampon = cache.get(cle + ":tampon")
        memo = getattr(_dernier_lu, "memo", None)
        if tampon is not None and memo is not None and memo[0] == (cle, tampon):
            return memo[1]
        tableau = cache.get(cle) if tampon is not None else None
        if isinstance(tableau, TableauProtege) and getattr(tableau, "tampon", None) == tampon:
            _dernier_lu.memo = ((cle, tampon), tableau)
            return tableau
    lignes = chiffres(campagne, {}, "lycee")
    champs = ("pk", "academie", "departement", "bassin")
    infos = {i["pk"]: i for i in Etablissement.objects.filter(pk__in=list(lignes)).values(*champs)}
    tableau = TableauProtege(lignes, infos, COLONNES_COMPTEES, SOMMES_DE_COLONNES)
    tableau.tampon = tampon = time.time_ns()
    # The table first, its stamp second: a reader never finds a stamp whose table is not stored yet.
    cache.set(cle, tableau, DUREE_CACHE_PILOTAGE)
    cache.set(cle + ":tampon", tampon, DUREE_CACHE_PILOTAGE)
    _dernier_lu.memo = ((cle, tampon), tableau)
    return tableau


def portees(user) -> list[dict]:
    """The scopes this user may look at: each pilotage affectation, and a chef's own lycées."""
    from avenirpro.acces import perimetre
    from avenirpro.models import Affectation
    from tableaux.statistiques import DIMENSION_PAR_NIVEAU, portee_pilotage

    p = perimetre(user)
    out = []
    for niveau, territoire in p.pilotage:
        libelle = Affectation.Niveau(niveau).label if niveau in Affectation.Niveau.values else niveau
        out.append(
            {
                "libelle": f"{libelle} : {territoire}" if territoire else libelle,
                "portee": portee_pilotage(niveau, territoire),
                "dimension": DIMENSION_PAR_NIVEAU.get(niveau, "lycee"),
            }
        )
    if p.chef:
        out.append({"libelle": "Mes lycées", "portee": {"pk__in": sorted(p.chef)}, "dimension": "lycee"})
    return out
