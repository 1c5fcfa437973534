"""R1 (volunteering): a confirmed decision before enrolment. Read at the enrolment (`parcours.services.inscrire`,
its screen's prerequisites) and by the rules audit (`parcours.verification.autres_constats`). It reads the
repérage and its contacts (eleves), the interviews' decisions (entretiens) and the enrolments: it lives in the
parcours, the lowest app that may see all three (docs/architecture.md)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from eleves.models import Contact, Reperage
from entretiens.models import Entretien
from parcours.models import Inscription


def _jour(valeur) -> datetime.date:
    if isinstance(valeur, datetime.datetime):
        return timezone.localdate(valeur)
    return valeur


def verifier_volontariat(reperage: Reperage) -> tuple[bool, str]:
    """R1: the young person «ayant confirmé leur souhait» is enrolled. A confirmation (an individual interview
    decided «entrée confirmée», or a written commitment recorded by the chef) is required, and it must not be
    older than a refusal (an interview decided «refus», or a last contact whose outcome is «refus»).
    A written commitment dated on or after the refusal is the chef's way past it (ADR 0014)."""
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
