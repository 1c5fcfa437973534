"""The campaign's figures, computed by aggregate queries (a fixed number of queries whatever the volume).

A scope is a dict of lookups on `Etablissement` (`{"pk__in": [...]}` for a chef's lycées, `{"academie": "Lyon"}`
for a pilotage affectation); a dimension (`None`, "lycee", "bassin", "departement", "academie") groups the figures.
Every function returns plain dicts: the views decide what is shown, linked or masked.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Avg, Count, F, Q, Subquery
from django.utils import timezone

from avenirpro.acces import DansLaListe
from avenirpro.models import Affectation, Etablissement
from eleves.models import Reperage
from entretiens.models import Entretien, Invitation
from parcours.models import PFMP, Inscription, Presence
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

    Seven queries whatever the number of rows: repérage, invitations, interviews, enrolments, PFMP flags,
    attendance and the labels of the groups.
    """
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
    # The exit motifs as well (the memento: «la date et le motif de sortie»), ADR 0019.
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

    if dimension is None:
        # One scope, no grouping (the chef's dashboard): the attendance rows of its parcours, read through the
        # presence index parcours by parcours, rather than a join that PostgreSQL runs as a parallel scan.
        inscriptions = Inscription.objects.filter(campagne=campagne, **_prefixe(portee, "etablissement")).values("pk")
        qs = Presence.objects.filter(DansLaListe(F("inscription_id"), Subquery(inscriptions)))
    else:
        qs = Presence.objects.filter(inscription__campagne=campagne, **_prefixe(portee, "inscription__etablissement"))
    agregats = {
        "demi_journees": Count("pk"),
        "demi_journees_presentes": Count("pk", filter=Q(statut__in=[Presence.Statut.PRESENT, Presence.Statut.RETARD])),
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
