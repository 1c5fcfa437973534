"""Writes on young people's files: every path (views, imports, demo) goes through these functions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from avenirpro.acces import peut_contacter, peut_modifier_coordonnees, peut_modifier_jeune
from eleves.models import Contact, ImportEleves, Jeune, Reperage

# The outcome of an attempt decides where the young person stands in the worklist.
STATUT_PAR_ISSUE = {
    Contact.Issue.JOINT: Reperage.StatutContact.CONTACTE,
    Contact.Issue.INJOIGNABLE: Reperage.StatutContact.INJOIGNABLE,
    Contact.Issue.SOLUTION_TROUVEE: Reperage.StatutContact.SOLUTION_TROUVEE,
    Contact.Issue.INTERESSE: Reperage.StatutContact.INTERESSE,
    Contact.Issue.REFUS: Reperage.StatutContact.NE_SOUHAITE_PAS,
}


@transaction.atomic
def enregistrer_contact(*, auteur, reperage: Reperage, date, canal, issue, note="", relais_estival="") -> Contact:
    """Log one attempt (docs/regles.md) and move the worklist status accordingly."""
    jeune = reperage.jeune
    if auteur is not None and not peut_contacter(auteur, jeune):
        raise PermissionDenied
    contact = Contact(
        jeune=jeune,
        campagne=reperage.campagne,
        date=date or timezone.now(),
        canal=canal,
        issue=issue,
        note=note,
        relais_estival=relais_estival,
        auteur=auteur,
    )
    contact.full_clean(exclude=["auteur"] if auteur is None else None)
    contact.save()
    r = Reperage.objects.select_for_update().get(pk=reperage.pk)
    r.statut_contact = STATUT_PAR_ISSUE[issue]
    champs = ["statut_contact"]
    if relais_estival:
        r.relais_estival = relais_estival
        champs.append("relais_estival")
    r.save(update_fields=champs)
    reperage.statut_contact, reperage.relais_estival = r.statut_contact, r.relais_estival
    return contact


@transaction.atomic
def modifier_typologie(*, auteur, reperage: Reperage, typologie: str, motif: str) -> Reperage:
    """The chef may correct the computed typology, always with a reason (kept in the history)."""
    if not peut_modifier_jeune(auteur, reperage.jeune):
        raise PermissionDenied
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": "Le motif de la modification est obligatoire."})
    if typologie not in Reperage.Typologie.values:
        raise ValidationError({"typologie": "Typologie inconnue."})
    reperage.typologie = typologie
    reperage.typologie_forcee = True
    reperage.typologie_modifiee_motif = motif[:300]
    reperage._change_reason = f"Typologie modifiée : {motif[:80]}"
    reperage.full_clean()
    reperage.save()
    return reperage


@transaction.atomic
def enregistrer_reinscription(
    *, auteur, reperage: Reperage, proposee_le, reponse: str, canal: str = "", motif: str = "", precisions: str = ""
) -> Reperage:
    """R9: the re-enrolment offer (redoublement / MOREA) made by the chef to a failed candidate: date, channel,
    answer and, when declined or not fitting, the reason («ne répond pas à sa situation / à son projet»)."""
    if not peut_modifier_jeune(auteur, reperage.jeune):
        raise PermissionDenied
    if not reperage.est_echec:
        raise ValidationError("La réinscription ne se propose qu'à un candidat ajourné ou absent.")
    if not proposee_le:
        raise ValidationError({"reinscription_proposee_le": "Indiquez la date de la proposition."})
    if proposee_le > timezone.localdate():
        raise ValidationError({"reinscription_proposee_le": "La proposition ne peut être datée dans le futur."})
    reponse = reponse or Reperage.ReponseReinscription.EN_ATTENTE
    if reponse not in Reperage.REPONSES_OUVRANT_AVENIRPRO:
        motif = ""
    elif not motif:
        # Checked here rather than in Reperage.clean: offers recorded before this rule stay editable elsewhere
        # (typology, written commitment) and are listed by eleves.regles.reperages_reinscription_sans_motif.
        raise ValidationError(
            {"reinscription_motif": "Indiquez pourquoi la réinscription ne répond pas à la situation ou au projet."}
        )
    reperage.reinscription_proposee_le = proposee_le
    reperage.reinscription_canal = canal or ""
    reperage.reponse_reinscription = reponse
    reperage.reinscription_motif = motif or ""
    reperage.reinscription_precisions = (precisions or "").strip()
    reperage._change_reason = (
        f"Réinscription proposée le {proposee_le:%d/%m/%Y} : {reperage.get_reponse_reinscription_display()}"
    )
    reperage.full_clean()
    reperage.save()
    return reperage


@transaction.atomic
def enregistrer_engagement(*, auteur, reperage: Reperage, date, precisions: str) -> Reperage:
    """R1: the young person's written commitment to enter AvenirPro+, recorded by the chef with how it was
    obtained. It confirms the wish like an interview «entrée confirmée», and lifts an earlier refusal (ADR 0014)."""
    if not peut_modifier_jeune(auteur, reperage.jeune):
        raise PermissionDenied
    precisions = (precisions or "").strip()
    erreurs = {}
    if not date:
        erreurs["date"] = "Indiquez la date de l'engagement écrit."
    elif date > timezone.localdate():
        erreurs["date"] = "L'engagement ne peut être daté dans le futur."
    if not precisions:
        erreurs["precisions"] = "Indiquez comment l'engagement a été recueilli (document signé, courriel…)."
    if erreurs:
        raise ValidationError(erreurs)
    reperage.engagement_ecrit_le = date
    reperage.engagement_ecrit_motif = precisions[:300]
    reperage._change_reason = f"Engagement écrit du {date:%d/%m/%Y} : {precisions}"[:100]
    reperage.full_clean()
    reperage.save()
    return reperage


# What a hand edit may change, by who may change it (ADR 0017).
CHAMPS_IDENTITE = ("nom", "prenoms", "date_naissance", "sexe")
CHAMPS_COORDONNEES = (
    "telephone",
    "email",
    "adresse",
    "responsable_nom",
    "responsable_telephone",
    "responsable_email",
)
CHAMPS_BOURSE = ("boursier", "echelon_bourse")
CHAMPS_MODIFIABLES = CHAMPS_IDENTITE + CHAMPS_COORDONNEES + CHAMPS_BOURSE


def champs_modifiables(user, jeune) -> tuple[str, ...]:
    """The fields of the record `user` may correct: all of them for the direction, the contact details for the
    référent and the counsellor of an open parcours, none otherwise."""
    if peut_modifier_jeune(user, jeune):
        return CHAMPS_MODIFIABLES
    if peut_modifier_coordonnees(user, jeune):
        return CHAMPS_COORDONNEES
    return ()


@transaction.atomic
def modifier_jeune(*, auteur, jeune: Jeune, donnees: dict, motif: str = "") -> list[str]:
    """Correct a young person's details by hand. The identity needs a reason (kept in the history); every field
    changed is remembered as corrected by hand, so that a later import keeps it (ADR 0017). Returns the fields
    changed."""
    permis = champs_modifiables(auteur, jeune)
    j = Jeune.objects.select_for_update().get(pk=jeune.pk)
    changes = [c for c in CHAMPS_MODIFIABLES if c in donnees and getattr(j, c) != donnees[c]]
    interdits = [c for c in changes if c not in permis]
    if interdits or not permis:
        raise PermissionDenied
    if not changes:
        return []
    motif = (motif or "").strip()
    if any(c in CHAMPS_IDENTITE for c in changes) and not motif:
        raise ValidationError(
            {"motif": "Indiquez le motif de la correction de l'identité (pièce vue, erreur de saisie…)."}
        )
    if "boursier" in changes and not donnees["boursier"] and "echelon_bourse" not in donnees:
        donnees = {**donnees, "echelon_bourse": None}
        changes.append("echelon_bourse")
    for c in changes:
        setattr(j, c, donnees[c])
    j.champs_saisis_main = sorted({*(j.champs_saisis_main or []), *changes})
    j._history_user = auteur
    j._change_reason = (f"Correction à la main : {motif}" if motif else "Correction à la main")[:100]
    j.full_clean()
    j.save()
    for c in (*changes, "champs_saisis_main", "recherche", "modifie_le"):
        setattr(jeune, c, getattr(j, c))
    return changes


def peut_entrer_avenirpro(reperage: Reperage) -> tuple[bool, str]:
    """R1 + R9: who may be offered AvenirPro+. A known solution closes the door; every failed candidate must first
    have been offered a re-enrolment, declined or not fitting, with the reason (eleves.regles)."""
    from eleves.regles import verifier_offre_reinscription

    if reperage.typologie == Reperage.Typologie.AVEC_SOLUTION:
        return False, "Une solution est connue : le jeune n'entre pas dans le dispositif."
    return verifier_offre_reinscription(reperage)


def analyser_import(imp: ImportEleves) -> ImportEleves:
    """Analyse a stored file and keep the preview on the import record (no write on young people)."""
    from eleves.importation import analyser

    ImportEleves.objects.filter(pk=imp.pk).update(statut=ImportEleves.Statut.ANALYSE, progression=1)

    def avance(p):
        ImportEleves.objects.filter(pk=imp.pk).update(progression=max(1, min(p, 99)))

    a = analyser(
        bytes(imp.contenu),
        etablissement=imp.etablissement,
        campagne=imp.campagne,
        progression=avance,
        correspondance=imp.correspondance or None,
    )
    imp.apercu = a.resume()
    if a.correspondance_requise:
        from eleves.importation import echantillons

        imp.apercu["echantillons"] = echantillons(bytes(imp.contenu))
    imp.statut = ImportEleves.Statut.PRET
    imp.progression = 100
    # The write reads the file with the very mapping of the preview (ADR 0022).
    imp.correspondance = a.correspondance if not a.erreur_fichier else imp.correspondance
    imp.save(update_fields=["apercu", "statut", "progression", "correspondance"])
    return imp


def enregistrer_correspondance(etablissement, entetes: list, correspondance: dict, auteur=None):
    """Save a lycée's column mapping for files with these headers (ADR 0022): the next such file is read with it."""
    from eleves.importation import signature_entetes
    from eleves.models import CorrespondanceColonnes

    obj, _ = CorrespondanceColonnes.objects.update_or_create(
        etablissement=etablissement,
        signature=signature_entetes(entetes),
        defaults={
            "entetes": list(entetes),
            "correspondance": dict(correspondance),
            "auteur": auteur,
            "modifie_le": timezone.now(),
        },
    )
    return obj


def ecrire_import(imp: ImportEleves) -> ImportEleves:
    """Write a confirmed import: all rows, or only the valid ones if the user said so. Never half-written."""
    from eleves.importation import ImportRefuse, appliquer

    ImportEleves.objects.filter(pk=imp.pk).update(statut=ImportEleves.Statut.ECRITURE, progression=1)

    def avance(p):
        ImportEleves.objects.filter(pk=imp.pk).update(progression=max(1, min(p, 99)))

    try:
        a = appliquer(
            bytes(imp.contenu),
            etablissement=imp.etablissement,
            campagne=imp.campagne,
            auteur=imp.auteur,
            valides_seulement=imp.valides_seulement,
            progression=avance,
            correspondance=imp.correspondance or None,
        )
    except ImportRefuse as exc:
        imp.apercu = exc.analyse.resume()
        imp.statut = ImportEleves.Statut.ECHEC
        imp.message = str(exc)
    else:
        imp.apercu = a.resume()
        imp.statut = ImportEleves.Statut.TERMINE
        imp.message = (
            f"{a.nouveaux} nouveau(x), {a.modifies} mis à jour, {a.inchanges} inchangé(s)"
            + (f", {a.en_erreur} ligne(s) en erreur ignorée(s)" if a.en_erreur else "")
            + "."
        )
    imp.progression = 100
    imp.termine_le = timezone.now()
    imp.save(update_fields=["apercu", "statut", "message", "progression", "termine_le"])
    return imp
