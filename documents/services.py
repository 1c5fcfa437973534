"""Documents of the parcours (ADR 0019): what each generated PDF needs, the deposit of a signed copy (checked
before anything is written), its download journal, its removal by erasure and retention.

Every PDF is rendered by `avenirpro.pdf` (the one PDF module of the project)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from avenirpro.models import JournalAcces
from documents.models import PieceSignee
from documents.verification import verifier_fichier
from parcours import regles

STOCKAGE = "documents"


def stockage():
    """The «documents» storage (settings.STORAGES): file system under var/documents, or an S3-compatible bucket."""
    return storages[STOCKAGE]


# --- What a generated document needs ------------------------------------------------------------------------


def elements_manquants_convention(pfmp) -> list[str]:
    """The items a PFMP convention cannot be issued without, in French; [] when it is complete.

    Parties (lycée, organisme d'accueil with its SIRET and address, the young person, the legal guardian of a
    minor), dates and weekly hours, the tutor and how to reach them, the activities entrusted, the référent who
    follows the period. The gratification is the campaign's daily rate for the young person's MEF (R8)."""
    inscription = pfmp.inscription
    jeune = inscription.jeune
    manquants = []
    if not pfmp.siret:
        manquants.append("le SIRET de l'organisme d'accueil")
    if not pfmp.adresse.strip():
        manquants.append("l'adresse de l'organisme d'accueil")
    if not pfmp.tuteur_nom.strip():
        manquants.append("le nom du tuteur ou de la tutrice")
    if not (pfmp.tuteur_telephone.strip() or pfmp.tuteur_email.strip()):
        manquants.append("le téléphone ou le courriel du tuteur")
    if not pfmp.heures_hebdo:
        manquants.append("les heures par semaine")
    if not pfmp.activites.strip():
        manquants.append("les activités confiées")
    if not jeune.adresse.strip():
        manquants.append("l'adresse du jeune")
    if not inscription.referent_id:
        manquants.append("le référent de parcours (enseignant qui suit la période)")
    if jeune.est_mineur:
        if not jeune.responsable_nom.strip():
            manquants.append("le nom du responsable légal (le jeune est mineur)")
        if not (jeune.responsable_telephone.strip() or jeune.responsable_email.strip()):
            manquants.append("le téléphone ou le courriel du responsable légal (le jeune est mineur)")
    return manquants


def contexte_convention(pfmp) -> dict:
    inscription = pfmp.inscription
    semaines = Decimal((pfmp.date_fin - pfmp.date_debut).days + 1) / 7
    return {
        "pfmp": pfmp,
        "inscription": inscription,
        "jeune": inscription.jeune,
        "taux": regles.taux_gratification(inscription),
        "jours_prevus": regles.compter_jours(
            [(pfmp.date_debut, pfmp.date_fin)], "jours_ouvres", departement=regles.departement(inscription)
        ),
        "heures_totales": (pfmp.heures_hebdo * semaines).quantize(Decimal("0.5")),
        "produit_le": timezone.localdate(),
    }


def contexte_attestation(pfmp, presences=None) -> dict:
    """R8: the days done in this PFMP (half-days present or late, from attendance) and the amount owed at the
    campaign's daily rate for the young person's MEF — the rule of `parcours.regles.gratification`."""
    inscription = pfmp.inscription
    if presences is None:
        presences = list(pfmp.presences.all())
    presences = [p for p in presences if p.pfmp_id == pfmp.pk]
    jours = regles.jours_pfmp_effectues(presences)
    taux = regles.taux_gratification(inscription)
    absences = sum(1 for p in presences if p.statut not in regles.STATUTS_EFFECTUES)
    return {
        "pfmp": pfmp,
        "inscription": inscription,
        "jeune": inscription.jeune,
        "jours": jours,
        "demi_journees_absence": absences,
        "taux": taux,
        "montant": (jours * taux).quantize(Decimal("0.01")),
        "saisies": len(presences),
        "produit_le": timezone.localdate(),
    }


def contexte_engagement(inscription) -> dict:
    reperage = inscription.jeune.reperages.filter(campagne_id=inscription.campagne_id).first()
    return {
        "inscription": inscription,
        "jeune": inscription.jeune,
        "reperage": reperage,
        "produit_le": timezone.localdate(),
    }


# --- Deposit, journal, removal --------------------------------------------------------------------------------


def deposer_piece(*, inscription, type: str, fichier, user, pfmp=None) -> PieceSignee:
    """Check the file by content, then store it and record it. A refusal (ValidationError, in French) writes
    nothing: neither a row nor a file."""
    if type not in PieceSignee.Type.values:
        raise ValidationError({"type": "Choisissez le document déposé."})
    if type in PieceSignee.TYPES_PFMP and (pfmp is None or pfmp.inscription_id != inscription.pk):
        raise ValidationError({"pfmp": "Choisissez la période en entreprise de ce document."})
    if type == PieceSignee.Type.ENGAGEMENT:
        pfmp = None
    verifie = verifier_fichier(fichier)
    piece = PieceSignee(
        jeune_id=inscription.jeune_id,
        inscription=inscription,
        pfmp=pfmp,
        type=type,
        nom_fichier=(getattr(fichier, "name", "") or "")[:200],
        type_contenu=verifie.type_contenu,
        taille=len(verifie.contenu),
        empreinte=verifie.empreinte,
        depose_par=user if getattr(user, "is_authenticated", False) else None,
    )
    piece.full_clean(exclude=["chemin"])
    chemin = stockage().save(f"{inscription.uuid}/{piece.uuid}{verifie.extension}", ContentFile(verifie.contenu))
    try:
        with transaction.atomic():
            piece.chemin = chemin
            piece.save()
    except BaseException:
        stockage().delete(chemin)
        raise
    return piece


def journaliser_telechargement(user, piece) -> None:
    """Journaled like an export, under the young person's identifier: erasure anonymises the entry with the others."""
    jeune = piece.jeune
    JournalAcces.objects.create(
        utilisateur=user if getattr(user, "is_authenticated", False) else None,
        action=JournalAcces.Action.EXPORT,
        objet=f"{piece.get_type_display()} – {jeune}"[:200],
        objet_uuid=jeune.uuid,
    )


def supprimer_fichier_apres_commit(chemin: str) -> None:
    """The file leaves the storage once the deletion of its row is committed (never before: a rollback keeps both)."""
    if chemin:
        transaction.on_commit(lambda: stockage().delete(chemin))


def supprimer_pieces_du_jeune(jeune) -> int:
    """Erasure and retention: every signed copy of the young person, row and file (after commit)."""
    return PieceSignee.objects.filter(jeune=jeune).delete()[0]


def fichiers_du_jeune(jeune) -> list[tuple[str, bytes]]:
    """Right of access: the signed copies themselves, as (name in the archive, bytes)."""
    fichiers = []
    for piece in PieceSignee.objects.filter(jeune=jeune).order_by("depose_le", "pk"):
        with stockage().open(piece.chemin, "rb") as f:
            fichiers.append((f"pieces-signees/{piece.nom_telechargement}", f.read()))
    return fichiers
