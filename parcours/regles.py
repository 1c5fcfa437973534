"""Pure rules of the parcours (R2, R3, R4, R7, R8 in docs/regles.md). No database writes here; parameters come from the
campaign, never from constants."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from avenirpro.dates import ajouter_mois  # noqa: F401  (R3 counts months; the pure helper lives in the core)

UN_JOUR = datetime.timedelta(days=1)
# «Fin de parcours proche»: the chef's dashboard alert and the list filter behind it.
JOURS_FIN_PROCHE = 15

# R2: the MEF follows the diploma of origin.
MEF_PAR_DIPLOME = {"cap": "apro_plus_3", "bac_pro": "apro_plus_4", "bma": "apro_plus_4", "dtms": "apro_plus_4"}


def mef_pour_diplome(diplome: str) -> str:
    """R2: CAP → APRO PLUS 3; bac pro, BMA, DTMS → APRO PLUS 4. Never typed by hand."""
    try:
        return MEF_PAR_DIPLOME[diplome]
    except KeyError:
        raise ValueError(f"Diplôme d'origine inconnu : {diplome!r}.") from None


def _campagne(inscription_ou_campagne):
    return getattr(inscription_ou_campagne, "campagne", inscription_ou_campagne)


def debut_decompte(inscription_ou_campagne, date_entree: datetime.date) -> datetime.date:
    """Where the months count from: the rentrée or the young person's entry (campaign setting)."""
    campagne = _campagne(inscription_ou_campagne)
    if campagne.mode_duree == "rentree":
        return campagne.date_rentree
    return date_entree


def date_limite(inscription_ou_campagne, date_entree: datetime.date | None = None) -> datetime.date:
    """R3: last day of the parcours = start + duree_mois months − 1 day.

    Entry 01/09 → 31/12; entry 31/10/2026 → 28/02/2027; entry 30/10/2027 → 29/02/2028 (leap year)."""
    if date_entree is None:
        date_entree = inscription_ou_campagne.date_entree
    campagne = _campagne(inscription_ou_campagne)
    debut = debut_decompte(campagne, date_entree)
    return ajouter_mois(debut, campagne.duree_mois) - UN_JOUR


# --- Calendars (R4, R7) -------------------------------------------------------------------------------------


# Public holidays depend on the département: Good Friday and 26 December in Moselle (57), Bas-Rhin (67) and
# Haut-Rhin (68); the overseas départements have their own. The `holidays` package knows them by subdivision.
SUBDIVISION_PAR_DEPARTEMENT = {"57": "57", "67": "6AE", "68": "6AE"}
DEPARTEMENTS_OUTRE_MER = ("971", "972", "973", "974", "976")
# School holidays (`vacances-scolaires-france`) cover the three zones of mainland France only.
DEPARTEMENTS_CORSE = ("2A", "2B", "20")


def _normaliser_departement(departement: str) -> str:
    d = (departement or "").strip().upper()
    return d[1:] if len(d) == 3 and d.startswith("0") else d


def subdivision_feries(departement: str) -> str | None:
    """The `holidays` subdivision of a département (None: the national list)."""
    d = _normaliser_departement(departement)
    if d in DEPARTEMENTS_OUTRE_MER:
        return d
    return SUBDIVISION_PAR_DEPARTEMENT.get(d)


@lru_cache(maxsize=256)
def _feries_annee(annee: int, subdivision: str | None = None) -> dict[datetime.date, str]:
    import holidays

    return dict(holidays.France(years=annee, subdiv=subdivision, language="fr"))


def jour_ferie(jour: datetime.date, departement: str = "") -> str:
    """The public holiday's name in the lycée's département (national list without one), or ""."""
    return _feries_annee(jour.year, subdivision_feries(departement)).get(jour, "")


@lru_cache(maxsize=1)
def _calendrier_scolaire():
    from vacances_scolaires_france import SchoolHolidayDates

    donnees = SchoolHolidayDates()
    return donnees, max(donnees.data)


@lru_cache(maxsize=64)
def _vacances_annee(annee: int, zone: str) -> dict[datetime.date, str]:
    donnees, _fin = _calendrier_scolaire()
    try:
        lignes = donnees.holidays_for_year_and_zone(annee, zone)
    except Exception:  # outside the library's years: unknown (see calendrier_scolaire_inconnu)
        return {}
    return {jour: info["nom_vacances"] for jour, info in lignes.items()}


def vacances_scolaires(jour: datetime.date, zone: str) -> str:
    """The school holiday's name for the lycée's zone, or ""."""
    if not zone:
        return ""
    return _vacances_annee(jour.year, zone).get(jour, "")


def prechauffer_calendriers(jour: datetime.date | None = None) -> None:
    """Load the two calendar libraries and this year's and next year's holidays (national list, every subdivision,
    the three school zones) into this process's memory. Called once by every web worker when it starts
    (gunicorn.conf.py `post_worker_init`): the first request that reads a calendar (the référent's screen, an
    attendance sheet) otherwise paid for importing `holidays` and building its tables, over a second on this
    machine, and did so again after every worker restart."""
    from django.utils import timezone

    annee = (jour or timezone.localdate()).year
    for a in (annee, annee + 1):
        for subdivision in (None, *sorted(set(SUBDIVISION_PAR_DEPARTEMENT.values())), *DEPARTEMENTS_OUTRE_MER):
            _feries_annee(a, subdivision)
        for zone in ("A", "B", "C"):
            _vacances_annee(a, zone)


def calendrier_scolaire_inconnu(etablissement, debut: datetime.date, fin: datetime.date) -> str:
    """A French warning when the school holidays of the lycée are not known between `debut` and `fin` (Corse and
    overseas départements are outside the data's zones A/B/C; the data stops at a given year), "" otherwise.
    Never «no holidays» in silence."""
    d = _normaliser_departement(etablissement.departement)
    if d in DEPARTEMENTS_CORSE or d in DEPARTEMENTS_OUTRE_MER or d.startswith("97") or d.startswith("98"):
        return (
            f"Vacances scolaires inconnues pour ce lycée (département {etablissement.departement}) : le calendrier "
            "utilisé ne couvre que les zones A, B et C de métropole. Vérifiez les dates avec le calendrier de "
            "l'académie."
        )
    if not etablissement.zone_vacances:
        return "Vacances scolaires inconnues : la zone de vacances du lycée n'est pas renseignée."
    _donnees, derniere = _calendrier_scolaire()
    if fin > derniere:
        return (
            f"Vacances scolaires inconnues après le {derniere:%d/%m/%Y} : le calendrier utilisé s'arrête là. "
            "Vérifiez les dates avec le calendrier de l'académie."
        )
    return ""


def jours_non_ouvres(etablissement, debut: datetime.date, fin: datetime.date) -> list[str]:
    """R7: the public holidays (of the lycée's département) and school-holiday days between `debut` and `fin`, as
    «jj/mm/aaaa : nom» — for the warnings of a PFMP, a timetable slot or an absence."""
    out = []
    for jour in jours_entre(debut, fin):
        if jour.weekday() >= 5:
            continue
        nom = jour_ferie(jour, etablissement.departement) or vacances_scolaires(jour, etablissement.zone_vacances)
        if nom:
            out.append(f"{jour:%d/%m/%Y} : {nom}")
    return out


def avertissements_periode(etablissement, debut: datetime.date, fin: datetime.date, libelle: str) -> list[str]:
    """R7: what to warn about once a period (PFMP, slot) is saved: the public holidays and school-holiday days it
    covers, and school holidays that are not known for the lycée."""
    alertes = []
    jours = jours_non_ouvres(etablissement, debut, fin)
    if jours:
        alertes.append(
            f"Attention : {libelle} couvre des jours fériés ou des vacances scolaires : "
            + " ; ".join(jours[:8])
            + (" …" if len(jours) > 8 else "")
        )
    inconnu = calendrier_scolaire_inconnu(etablissement, debut, fin)
    if inconnu:
        alertes.append(inconnu)
    return alertes


def avertissements_absences(etablissement, lignes) -> list[str]:
    """R7: an unexcused absence recorded on a public holiday or in the school holidays is probably a mistake."""
    jours = sorted({li["date"] for li in lignes if li.get("statut") == "absent_non_justifie"})
    alertes = []
    suspects = []
    for jour in jours:
        nom = jour_ferie(jour, etablissement.departement) or vacances_scolaires(jour, etablissement.zone_vacances)
        if nom:
            suspects.append(f"{jour:%d/%m/%Y} : {nom}")
    if suspects:
        alertes.append(
            "Attention : absence non justifiée un jour férié ou de vacances scolaires : " + " ; ".join(suspects)
        )
    if jours:
        inconnu = calendrier_scolaire_inconnu(etablissement, jours[0], jours[-1])
        if inconnu:
            alertes.append(inconnu)
    return alertes


def jours_entre(debut: datetime.date, fin: datetime.date):
    jour = debut
    while jour <= fin:
        yield jour
        jour += UN_JOUR


def jour_compte(jour: datetime.date, unite: str, departement: str = "") -> bool:
    if unite == "jours_calendaires":
        return True
    return jour.weekday() < 5 and not jour_ferie(jour, departement)


def compter_jours(
    periodes: Iterable[tuple[datetime.date, datetime.date]],
    unite: str,
    jusqu_au: datetime.date | None = None,
    departement: str = "",
) -> int:
    """Days covered by the periods in the campaign's unit, overlapping periods counted once; working days exclude
    the public holidays of the lycée's département."""
    jours = set()
    for debut, fin in periodes:
        if jusqu_au is not None:
            fin = min(fin, jusqu_au)
        jours.update(j for j in jours_entre(debut, fin) if jour_compte(j, unite, departement))
    return len(jours)


def departement(inscription) -> str:
    """The département of the parcours' lycée (its public holidays); "" (national list) when it has none."""
    etablissement = getattr(inscription, "etablissement", None)
    return getattr(etablissement, "departement", "") or ""


def fin_reelle(inscription) -> datetime.date:
    """The real end of a parcours: the exit date after an early exit, the planned end otherwise."""
    if inscription.date_sortie and inscription.date_sortie < inscription.date_fin_prevue:
        return inscription.date_sortie
    return inscription.date_fin_prevue


def jours_pfmp(inscription, jusqu_au: datetime.date | None = None, periodes=None) -> int:
    """R4: days in a company (PFMP, stages, immersions) of the parcours, overlaps counted once.

    `periodes` replaces the stored periods (a service checks a period being added or edited)."""
    if periodes is None:
        periodes = [(p.date_debut, p.date_fin) for p in inscription.pfmps.all()]
    return compter_jours(periodes, inscription.campagne.unite_pfmp, jusqu_au, departement(inscription))


def plafond_pfmp(inscription, fin: datetime.date | None = None) -> int:
    """R4: two thirds of the parcours' length (entry → `fin`, default the planned end), in the campaign's unit."""
    fin = fin or inscription.date_fin_prevue
    longueur = compter_jours(
        [(inscription.date_entree, fin)], inscription.campagne.unite_pfmp, departement=departement(inscription)
    )
    return longueur * 2 // 3


def libelle_jauge(jours: int, plafond: int) -> str:
    return f"PFMP : {jours} j / {plafond} j autorisés"


# --- R8: gratification ---------------------------------------------------------------------------------------

STATUTS_EFFECTUES = ("present", "retard")


def taux_gratification(inscription) -> Decimal:
    campagne = inscription.campagne
    if inscription.mef == "apro_plus_3":
        return campagne.taux_gratification_niveau3
    return campagne.taux_gratification_niveau4


def jours_pfmp_effectues(presences) -> Decimal:
    """R8: PFMP days actually done, from the half-days recorded in a PFMP (present or late). Absent half-days are
    not paid; a half-day done counts for half a day."""
    demi_journees = sum(1 for p in presences if p.pfmp_id and p.statut in STATUTS_EFFECTUES)
    return Decimal(demi_journees) / 2


def gratification(inscription, presences=None) -> Decimal:
    """R8: amount owed for the PFMP days done, at the campaign's daily rate for the young person's MEF."""
    if presences is None:
        presences = inscription.presences.all()
    montant = jours_pfmp_effectues(presences) * taux_gratification(inscription)
    return montant.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- R7: attendance rates -------------------------------------------------------------------------------------


def taux_assiduite(presences) -> int | None:
    """Share of recorded half-days where the young person was there (present or late), in percent."""
    presences = list(presences)
    if not presences:
        return None
    faites = sum(1 for p in presences if p.statut in STATUTS_EFFECTUES)
    return round(100 * faites / len(presences))


def lundi(jour: datetime.date) -> datetime.date:
    return jour - datetime.timedelta(days=jour.weekday())


# --- Attendance expected (R7: attendance is owed on the half-days of the timetable and of the PFMP) -----------

MIDI = datetime.time(12)


def periode_de_l_heure(heure: datetime.time) -> str:
    """The half-day of a slot: a slot starting before noon is a morning."""
    return "matin" if heure < MIDI else "apres_midi"


def demi_journees_attendues(inscription, creneaux, pfmps, debut: datetime.date, fin: datetime.date) -> dict:
    """The half-days on which the young person is expected between `debut` and `fin` (both included), as
    {(date, période): lieu}: each half-day of a timetable slot whose action runs that day (not abandoned, not on a
    school or public holiday), and both half-days of each working day of a PFMP (not on a public holiday); never
    outside the parcours (entry to real end). `creneaux` carry their action (select_related), `pfmps` are the
    parcours' periods in a company."""
    zone = inscription.etablissement.zone_vacances
    premier, dernier = max(debut, inscription.date_entree), min(fin, fin_reelle(inscription))
    attendues, lieux = {}, {}
    for jour in jours_entre(premier, dernier):
        if jour_ferie(jour, inscription.etablissement.departement):
            continue
        pf = next((p for p in pfmps if p.date_debut <= jour <= p.date_fin), None)
        if pf is not None and jour.weekday() < 5:
            for periode in ("matin", "apres_midi"):
                attendues[(jour, periode)] = f"PFMP – {pf.entreprise}"
            continue
        if vacances_scolaires(jour, zone):
            continue
        for c in creneaux:
            a = c.action
            if c.jour == jour.weekday() and a.date_debut <= jour <= a.date_fin and a.statut != "abandonnee":
                lieux.setdefault((jour, periode_de_l_heure(c.heure_debut)), set()).add(
                    a.lieu or a.get_type_lieu_display()
                )
    return {**attendues, **{cle: ", ".join(sorted(noms)) for cle, noms in lieux.items()}}


# --- I-Milo file number: one young person per number ---------------------------------------------------------


def avertissement_imilo(inscription) -> str:
    """A warning when the parcours' I-Milo number is also on another young person's parcours ("" otherwise). The
    other file is not named: it may lie outside the user's lycées."""
    from parcours.models import Inscription

    if not inscription.numero_imilo:
        return ""
    autres = (
        Inscription.objects.filter(numero_imilo=inscription.numero_imilo)
        .exclude(jeune_id=inscription.jeune_id)
        .values("jeune_id")
        .distinct()
        .count()
    )
    if not autres:
        return ""
    return (
        f"Le numéro I-Milo {inscription.numero_imilo} figure aussi sur le dossier de {autres} autre(s) jeune(s) : "
        "vérifiez-le auprès de la mission locale."
    )


def numeros_imilo_partages() -> list[str]:
    """Audit: every I-Milo number recorded on the parcours of more than one young person."""
    from django.db.models import Count

    from parcours.models import Inscription

    lignes = (
        Inscription.objects.exclude(numero_imilo="")
        .values("numero_imilo")
        .annotate(n=Count("jeune_id", distinct=True))
        .filter(n__gt=1)
        .order_by("numero_imilo")
    )
    return [f"I-Milo – le numéro {li['numero_imilo']} figure sur {li['n']} jeunes." for li in lignes]
