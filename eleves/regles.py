"""Rules on the way in (R1 volunteering, R9 re-sit first). Each rule has a function deciding one young person and a
function listing, over the whole database, the rows that break it (for the rules audit)."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils import timezone

from eleves.models import Contact, Reperage

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


# --- R1: volunteering, a confirmed decision before enrolment ------------------------------------------------


def _jour(valeur) -> datetime.date:
    if isinstance(valeur, datetime.datetime):
        return timezone.localdate(valeur)
    return valeur


def verifier_volontariat(reperage: Reperage) -> tuple[bool, str]:
    """R1: the young person «ayant confirmé leur souhait» is enrolled. A confirmation (an individual interview
    decided «entrée confirmée», or a written commitment recorded by the chef) is required, and it must not be
    older than a refusal (an interview decided «refus», or a last contact whose outcome is «refus»).
    A written commitment dated on or after the refusal is the chef's way past it (ADR 0014)."""
    from entretiens.models import Entretien

    decisions = list(
        Entretien.objects.filter(
            jeune_id=reperage.jeune_id,
            campagne_id=reperage.campagne_id,
            decision__in=(Entretien.Decision.ENTREE_CONFIRMEE, Entretien.Decision.REFUS),
        ).values_list("date", "decision")
    )
    dernier_contact = (
        Contact.objects.filter(jeune_id=reperage.jeune_id, campagne_id=reperage.campagne_id)
        .order_by("-date", "-pk")
        .values_list("date", "issue")
        .first()
    )
    return decision_volontariat(decisions, dernier_contact, reperage.engagement_ecrit_le)


def decision_volontariat(decisions, dernier_contact, engagement_ecrit_le) -> tuple[bool, str]:
    """R1 on already-read facts: interview (date, decision) pairs, the last contact (date, issue) or None, and the
    written commitment's date or None."""
    from entretiens.models import Entretien

    confirmations = [_jour(d) for d, dec in decisions if dec == Entretien.Decision.ENTREE_CONFIRMEE]
    refus = [
        (_jour(d), f"l'entretien du {_jour(d):%d/%m/%Y} a conclu à un refus")
        for d, dec in decisions
        if dec == Entretien.Decision.REFUS
    ]
    if dernier_contact and dernier_contact[1] == Contact.Issue.REFUS:
        jour = _jour(dernier_contact[0])
        refus.append((jour, f"le dernier contact, le {jour:%d/%m/%Y}, a pour résultat « refus »"))
    if engagement_ecrit_le:
        confirmations.append(engagement_ecrit_le)
    derniere_confirmation = max(confirmations, default=None)
    if refus:
        jour_refus, texte = max(refus)
        if derniere_confirmation is None or derniere_confirmation < jour_refus:
            return False, (
                f"Le jeune n'est pas volontaire : {texte}. Une inscription demande un nouvel entretien « entrée "
                "confirmée » ou un engagement écrit recueilli depuis."
            )
    if derniere_confirmation is None:
        return False, (
            "Le jeune n'a pas confirmé son souhait d'entrer dans AvenirPro+ : enregistrez la décision « entrée "
            "confirmée » de l'entretien individuel ou son engagement écrit."
        )
    return True, ""


def inscriptions_sans_volontariat() -> list[str]:
    """Audit (R1): enrolled young people without a confirmed decision (or with a later refusal). A fixed number of
    queries whatever the number of parcours."""
    from collections import defaultdict

    from entretiens.models import Entretien
    from parcours.models import Inscription

    inscrits = {
        (j, c): (u, nom, prenoms, session)
        for j, c, u, nom, prenoms, session in Inscription.objects.values_list(
            "jeune_id", "campagne_id", "uuid", "jeune__nom", "jeune__prenoms", "campagne__session"
        )
    }
    if not inscrits:
        return []
    jeunes = {j for j, _ in inscrits}
    decisions = defaultdict(list)
    for j, c, d, dec in Entretien.objects.filter(
        jeune_id__in=jeunes, decision__in=(Entretien.Decision.ENTREE_CONFIRMEE, Entretien.Decision.REFUS)
    ).values_list("jeune_id", "campagne_id", "date", "decision"):
        decisions[(j, c)].append((d, dec))
    derniers = {}
    for j, c, d, issue in (
        Contact.objects.filter(jeune_id__in=jeunes)
        .order_by("jeune_id", "campagne_id", "-date", "-pk")
        .distinct("jeune_id", "campagne_id")
        .values_list("jeune_id", "campagne_id", "date", "issue")
    ):
        derniers[(j, c)] = (d, issue)
    engagements = {
        (j, c): e
        for j, c, e in Reperage.objects.filter(jeune_id__in=jeunes).values_list(
            "jeune_id", "campagne_id", "engagement_ecrit_le"
        )
    }
    messages = []
    for cle, (u, nom, prenoms, session) in sorted(inscrits.items()):
        if cle not in engagements:
            continue  # no repérage: another rule
        ok, motif = decision_volontariat(decisions.get(cle, []), derniers.get(cle), engagements[cle])
        if not ok:
            messages.append(f"R1 – inscription {u} ({nom} {prenoms}, session {session}) : {motif}")
    return messages


def reperages_reinscription_sans_motif() -> list[str]:
    """Audit (R9): an offer declined or not fitting without its reason."""
    qs = Reperage.objects.filter(
        reponse_reinscription__in=Reperage.REPONSES_OUVRANT_AVENIRPRO, reinscription_motif=""
    ).select_related("jeune", "campagne")
    return [f"R9 – repérage {r.uuid} ({r.jeune}, {r.campagne}) : réinscription refusée sans motif." for r in qs]
