"""Rules on the way in kept by the repérage (R9 re-sit first). Each rule has a function deciding one young person and
a function listing, over the whole database, the rows that break it (for the rules audit). R1 (volunteering) reads the
interviews and the parcours above this app: it lives in `parcours.volontariat`."""

from __future__ import annotations

from django.db.models import F

from eleves.models import Reperage

# --- R9: every failed candidate is first offered a re-enrolment ---------------------------------------------


def offre_reinscription_requise(reperage: Reperage) -> bool:
    """R9: a failed candidate («ajourné» or «absent», ADR 0015) must have been offered a re-enrolment. A graduate
    is never asked."""
    return reperage.est_echec


def verifier_offre_reinscription(reperage: Reperage) -> tuple[bool, str]:
    """R9: may this candidate be enrolled in AvenirPro+ as far as the re-enrolment offer goes? (ok, French reason)"""
    if not offre_reinscription_requise(reperage):
        return True, ""
    R = Reperage.ReponseReinscription
    if not reperage.reinscription_proposee_le:
        return False, (
            "Candidat ajourné ou absent : proposez d'abord une réinscription dans le lycée pour repréparer le "
            "diplôme (redoublement ou MOREA) et enregistrez la réponse."
        )
    if reperage.reponse_reinscription not in Reperage.REPONSES_OUVRANT_AVENIRPRO:
        if reperage.reponse_reinscription == R.ACCEPTEE:
            return False, "La réinscription proposée a été acceptée : le jeune n'entre pas dans AvenirPro+."
        return False, "La réponse à la proposition de réinscription est attendue : elle reste prioritaire."
    if not reperage.reinscription_motif:
        return False, "Indiquez pourquoi la réinscription ne répond pas à la situation ou au projet du jeune."
    return True, ""


def reperages_en_attente_d_offre(qs=None):
    """R9: failed candidates still waiting for their re-enrolment offer (worklist filter, dashboard, sweep).
    Those with a known solution are not counted: they do not enter the scheme."""
    qs = Reperage.objects.all() if qs is None else qs
    return qs.filter(
        resultat__in=(Reperage.Resultat.AJOURNE, Reperage.Resultat.ABSENT),
        reinscription_proposee_le__isnull=True,
    ).exclude(typologie=Reperage.Typologie.AVEC_SOLUTION)


def inscriptions_sans_offre_reinscription() -> list[str]:
    """Audit (R9): every enrolled failed candidate whose repérage lacks the offer, a declining answer or its reason."""
    qs = Reperage.objects.filter(
        resultat__in=(Reperage.Resultat.AJOURNE, Reperage.Resultat.ABSENT),
        jeune__inscriptions__campagne_id=F("campagne_id"),
    ).select_related("jeune", "campagne")
    messages = []
    for reperage in qs:
        ok, motif = verifier_offre_reinscription(reperage)
        if not ok:
            messages.append(f"R9 – {reperage.jeune} ({reperage.campagne}), inscrit : {motif}")
    return messages


def reperages_reinscription_sans_motif() -> list[str]:
    """Audit (R9): an offer declined or not fitting without its reason."""
    qs = Reperage.objects.filter(
        reponse_reinscription__in=Reperage.REPONSES_OUVRANT_AVENIRPRO, reinscription_motif=""
    ).select_related("jeune", "campagne")
    return [f"R9 – repérage {r.uuid} ({r.jeune}, {r.campagne}) : réinscription refusée sans motif." for r in qs]
