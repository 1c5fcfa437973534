"""«Situation à 6 mois» (issue 19, R14): the answers of the last devenir point of a campaign, by lycée (and the
levels above it), by MEF and by typology, under the same statistical secrecy as the rest of pilotage (R12,
`avenirpro.secret_statistique`, ADR 0010).

One protected table per campaign and day: its columns are «segment × situation» (segment: all, each MEF, each
typology of the repérage), and its relations say that each segment's «répondants» is the sum of its situations and
that the «all» segment is the sum of the MEF segments AND the sum of the typology segments — so the primary and
secondary suppression hold across every breakdown at once: no breakdown recomputes a cell masked in another.
"""

import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from avenirpro.models import Etablissement
from avenirpro.secret_statistique import TableauProtege
from devenir.models import PointDevenir, Situation
from eleves.models import Reperage
from parcours.models import Inscription

NON_RENSEIGNEE = "non_renseignee"
TYPOLOGIES = [*Reperage.Typologie.values, NON_RENSEIGNEE]
MEFS = Inscription.Mef.values
SITUATIONS = [*Situation.values, "repondus"]
DUREE_CACHE = 120


def libelle_segment(segment: str) -> str:
    if segment == "tous":
        return "Ensemble"
    genre, _, valeur = segment.partition(":")
    if genre == "mef":
        return Inscription.Mef(valeur).label
    return "Typologie non renseignée" if valeur == NON_RENSEIGNEE else Reperage.Typologie(valeur).label


SEGMENTS = {
    "ensemble": ["tous"],
    "mef": [f"mef:{m}" for m in MEFS],
    "typologie": [f"typo:{t}" for t in TYPOLOGIES],
}
TOUS_SEGMENTS = [s for liste in SEGMENTS.values() for s in liste]
COLONNES = [f"{seg}|{sit}" for seg in TOUS_SEGMENTS for sit in SITUATIONS]


class _Relations(list):
    """(total column, part columns) pairs; a column may be the total of two partitions (MEF and typology)."""

    def items(self):
        return iter(self)


def _relations() -> _Relations:
    r = _Relations()
    for seg in TOUS_SEGMENTS:
        r.append((f"{seg}|repondus", [f"{seg}|{s}" for s in Situation.values]))
    for sit in SITUATIONS:
        r.append((f"tous|{sit}", [f"{seg}|{sit}" for seg in SEGMENTS["mef"]]))
        r.append((f"tous|{sit}", [f"{seg}|{sit}" for seg in SEGMENTS["typologie"]]))
    return r


def _lignes(campagne) -> dict:
    """{lycée pk: {column: count}} in one query."""
    typologie = Reperage.objects.filter(
        jeune_id=OuterRef("inscription__jeune_id"), campagne_id=OuterRef("inscription__campagne_id")
    ).values("typologie")[:1]
    qs = (
        PointDevenir.objects.filter(
            inscription__campagne=campagne, jalon_mois=campagne.devenir_second_point_mois, repondu_le__isnull=False
        )
        .annotate(typologie=Subquery(typologie))
        .values("inscription__etablissement_id", "inscription__mef", "typologie", "situation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    lignes: dict = defaultdict(lambda: defaultdict(int))
    for r in qs:
        ligne = lignes[r["inscription__etablissement_id"]]
        typo = r["typologie"] or NON_RENSEIGNEE
        for seg in ("tous", f"mef:{r['inscription__mef']}", f"typo:{typo}"):
            ligne[f"{seg}|{r['situation']}"] += r["n"]
            ligne[f"{seg}|repondus"] += r["n"]
    return {pk: dict(v) for pk, v in lignes.items()}


def tableau(campagne) -> TableauProtege:
    if campagne is None:
        return TableauProtege({}, {}, COLONNES, _relations())
    cle = "devenir:situation6:" + hashlib.sha256(repr((campagne.pk, timezone.localdate())).encode()).hexdigest()
    t = cache.get(cle)
    if t is None:
        lignes = _lignes(campagne)
        champs = ("pk", "nom", "academie", "departement", "bassin")
        infos = {i["pk"]: i for i in Etablissement.objects.filter(pk__in=list(lignes)).values(*champs)}
        for pk, ligne in lignes.items():
            ligne["libelle"] = infos[pk]["nom"]
        t = TableauProtege(lignes, infos, COLONNES, _relations())
        cache.set(cle, t, DUREE_CACHE)
    return t
