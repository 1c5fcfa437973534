"""The register («faire l'appel»): the young people expected on a day (or at a workshop of the local offer, or a
half-day), one row per young person and one choice per half-day, for every parcours whose attendance the user may
record. Also the référent's week for all their young people. A fixed number of queries, whatever the group's size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from avenirpro.acces import q_parcours_modifiables
from parcours import regles
from parcours.models import PFMP, Creneau, Inscription, Presence

VIDE = ("", "")
# The register's choices, in the order of a tap: the common case first.
CHOIX = [
    (Presence.Statut.PRESENT, "Présent"),
    (Presence.Statut.RETARD, "Retard"),
    (Presence.Statut.ABSENT_NON_JUSTIFIE, "Absent"),
    (Presence.Statut.ABSENT_JUSTIFIE, "Absence justifiée"),
    ("", "Non saisi"),
]
ABREGES = {
    Presence.Statut.PRESENT: "P",
    Presence.Statut.RETARD: "R",
    Presence.Statut.ABSENT_NON_JUSTIFIE: "A",
    Presence.Statut.ABSENT_JUSTIFIE: "AJ",
}


def cle_cellule(inscription, jour: datetime.date, periode: str) -> str:
    return f"{inscription.uuid}_{jour:%Y%m%d}_{periode}"


def lire_cle(cle: str):
    """(uuid, date, période) of a cell key, or None."""
    try:
        uuid, jour, periode = cle.split("_", 2)
        jour = datetime.datetime.strptime(jour, "%Y%m%d").date()
    except ValueError:
        return None
    if periode not in Presence.Periode.values:
        return None
    return uuid, jour, periode


def parcours_a_la_date(user, debut: datetime.date, fin: datetime.date):
    """The parcours the user may record attendance for that run at some point between `debut` and `fin`."""
    return (
        Inscription.objects.visibles_par(user)
        .filter(q_parcours_modifiables(user))
        .filter(date_entree__lte=fin)
        .filter(Q(date_sortie__gte=debut) | Q(date_sortie__isnull=True, date_fin_prevue__gte=debut))
        .select_related("jeune", "etablissement", "campagne")
        .order_by("jeune__nom", "jeune__prenoms", "pk")
    )


@dataclass
class Cellule:
    cle: str
    date: datetime.date
    periode: str
    statut: str = ""
    motif: str = ""
    origine: tuple[str, str] = VIDE
    attendue: bool = False
    lieu: str = ""
    ferie: str = ""

    @property
    def libelle_periode(self):
        return Presence.Periode(self.periode).label

    @property
    def abrege(self):
        return ABREGES.get(self.statut, "")


@dataclass
class Ligne:
    inscription: Inscription
    cellules: list[Cellule] = field(default_factory=list)


def _donnees(inscriptions, debut, fin):
    ids = [i.pk for i in inscriptions]
    creneaux, pfmps, presences = {}, {}, {}
    for c in (
        Creneau.objects.filter(
            action__inscription_id__in=ids, action__date_debut__lte=fin, action__date_fin__gte=debut
        )
        .select_related("action")
        .order_by("heure_debut", "pk")
    ):
        creneaux.setdefault(c.action.inscription_id, []).append(c)
    for p in PFMP.objects.filter(inscription_id__in=ids, date_debut__lte=fin, date_fin__gte=debut):
        pfmps.setdefault(p.inscription_id, []).append(p)
    for p in Presence.objects.filter(inscription_id__in=ids, date__range=(debut, fin)):
        presences[(p.inscription_id, p.date, p.periode)] = p
    return creneaux, pfmps, presences


def registre(
    user,
    jour: datetime.date,
    *,
    offre=None,
    periode: str = "",
    tous: bool = False,
    saisies: dict | None = None,
) -> list[Ligne]:
    """The register of `jour`: a row per young person expected (at the workshop `offre`, in the half-day `periode`
    when given; every young person the user follows when `tous`), a cell per half-day, with what is saved now (and
    drawn as the cell's origin). `saisies` ({clé: (statut, motif)}) puts back what the user chose, after a refusal."""
    inscriptions = list(parcours_a_la_date(user, jour, jour))
    creneaux, pfmps, presences = _donnees(inscriptions, jour, jour)
    periodes = [periode] if periode else list(Presence.Periode.values)
    lignes = []
    for i in inscriptions:
        ferie = regles.jour_ferie(jour, i.etablissement.departement)
        mes_creneaux = creneaux.get(i.pk, [])
        if offre is not None:
            mes_creneaux = [c for c in mes_creneaux if c.action.offre_id == offre.pk]
        attendues = regles.demi_journees_attendues(i, mes_creneaux, [] if offre else pfmps.get(i.pk, []), jour, jour)
        if not tous and not any((jour, per) in attendues for per in periodes):
            continue
        ligne = Ligne(inscription=i)
        for per in periodes:
            attendue = (jour, per) in attendues
            if not (attendue or tous):
                continue
            p = presences.get((i.pk, jour, per))
            actuel = (p.statut, p.motif) if p else VIDE
            cle = cle_cellule(i, jour, per)
            statut, motif = (saisies or {}).get(cle, actuel)
            ligne.cellules.append(
                Cellule(
                    cle=cle,
                    date=jour,
                    periode=per,
                    statut=statut,
                    motif=motif,
                    origine=actuel,
                    attendue=attendue,
                    lieu=attendues.get((jour, per), ""),
                    ferie=ferie,
                )
            )
        lignes.append(ligne)
    return lignes


def semaine(user, lundi: datetime.date) -> tuple[list[Ligne], list[datetime.date]]:
    """The week (Monday to Friday) of every young person the user follows: saved statuses, expected half-days."""
    jours = [lundi + datetime.timedelta(days=n) for n in range(5)]
    inscriptions = list(parcours_a_la_date(user, jours[0], jours[-1]))
    creneaux, pfmps, presences = _donnees(inscriptions, jours[0], jours[-1])
    lignes = []
    for i in inscriptions:
        attendues = regles.demi_journees_attendues(i, creneaux.get(i.pk, []), pfmps.get(i.pk, []), jours[0], jours[-1])
        ligne = Ligne(inscription=i)
        for jour in jours:
            for per in Presence.Periode.values:
                p = presences.get((i.pk, jour, per))
                ligne.cellules.append(
                    Cellule(
                        cle=cle_cellule(i, jour, per),
                        date=jour,
                        periode=per,
                        statut=p.statut if p else "",
                        motif=p.motif if p else "",
                        attendue=(jour, per) in attendues,
                        lieu=attendues.get((jour, per), ""),
                    )
                )
        lignes.append(ligne)
    return lignes, jours
