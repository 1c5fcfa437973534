"""Bulk actions on the worklist «Jeunes sans solution»: one contact for several, the typology (with its reason),
the référent and the counsellor of their parcours. All or nothing: every row is checked (visibility, then the same
named predicate as the single edit, through the same service); one refusal or one invalid row and nothing is
written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from avenirpro.acces import peut_inscrire
from eleves import services
from eleves.models import Reperage

MAXIMUM = 200  # lignes par action groupée (une page de la liste en compte 50)


def reperages_choisis(user, campagne, uuids) -> list[Reperage]:
    """The selected rows of the campaign, read through the visibility filter. A young person outside the user's
    scope (or unknown) refuses the whole selection: the caller answers 404, nothing says which one was refused."""
    uuids = list(dict.fromkeys(str(u) for u in uuids))
    if not uuids or len(uuids) > MAXIMUM:
        raise ValidationError(f"Sélectionnez entre 1 et {MAXIMUM} jeunes.")
    reperages = list(
        Reperage.objects.visibles_par(user)
        .filter(campagne=campagne, jeune__uuid__in=uuids)
        .select_related("jeune", "jeune__etablissement", "campagne")
        .order_by("jeune__nom", "jeune__prenoms", "pk")
    )
    if len(reperages) != len(uuids):
        raise PermissionDenied
    return reperages


def _erreur_de_ligne(reperage, exc: ValidationError) -> ValidationError:
    messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
    return ValidationError(f"{reperage.jeune} : {' '.join(messages)} Aucune modification n'a été enregistrée.")


@transaction.atomic
def contact_groupe(*, auteur, reperages, date, canal, issue, note="", relais_estival="") -> int:
    """One attempt (e.g. the same SMS sent to several) logged for each; `enregistrer_contact` checks the right."""
    for r in reperages:
        try:
            services.enregistrer_contact(
                auteur=auteur,
                reperage=r,
                date=date,
                canal=canal,
                issue=issue,
                note=note,
                relais_estival=relais_estival,
            )
        except ValidationError as exc:
            raise _erreur_de_ligne(r, exc) from exc
    return len(reperages)


@transaction.atomic
def typologie_groupee(*, auteur, reperages, typologie: str, motif: str) -> int:
    """The same typology, with the same required reason, kept in each file's history."""
    for r in reperages:
        try:
            services.modifier_typologie(auteur=auteur, reperage=r, typologie=typologie, motif=motif)
        except ValidationError as exc:
            raise _erreur_de_ligne(r, exc) from exc
    return len(reperages)


@transaction.atomic
def designer_groupe(*, auteur, reperages, referent=None, conseiller=None) -> int:
    """The référent and/or the counsellor of the parcours of each young person of the campaign (the designation
    belongs to the chef, like the enrolment; R5 and the coverage are checked by the parcours itself)."""
    from parcours.models import Inscription
    from parcours.services import modifier_inscription

    if referent is None and conseiller is None:
        raise ValidationError("Choisissez un référent, un conseiller ou les deux.")
    inscriptions = {
        i.jeune_id: i
        for i in Inscription.objects.visibles_par(auteur).filter(
            jeune_id__in=[r.jeune_id for r in reperages], campagne=reperages[0].campagne if reperages else None
        )
    }
    for r in reperages:
        if not peut_inscrire(auteur, r.jeune):
            raise PermissionDenied
        inscription = inscriptions.get(r.jeune_id)
        if inscription is None:
            raise ValidationError(
                f"{r.jeune} n'est pas inscrit pour cette campagne : le référent et le conseiller se désignent à "
                "l'inscription. Aucune modification n'a été enregistrée."
            )
        donnees = {}
        if referent is not None:
            donnees["referent"] = referent
        if conseiller is not None:
            donnees["conseiller"] = conseiller
        try:
            modifier_inscription(inscription=inscription, version=inscription.version, donnees=donnees)
        except ValidationError as exc:
            raise _erreur_de_ligne(r, exc) from exc
    return len(reperages)
