"""Bulk actions on the worklist «Jeunes sans solution»: one contact for several, the typology (with its reason); the
apps above add theirs through `eleves.extensions.ACTIONS_LOT` (parcours: the référent and the counsellor, in
`parcours.lot`). All or nothing: every row is checked (visibility, then the same
named predicate as the single edit, through the same service); one refusal or one invalid row and nothing is
written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

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


def erreur_de_ligne(reperage, exc: ValidationError) -> ValidationError:
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
            raise erreur_de_ligne(r, exc) from exc
    return len(reperages)


@transaction.atomic
def typologie_groupee(*, auteur, reperages, typologie: str, motif: str) -> int:
    """The same typology, with the same required reason, kept in each file's history."""
    for r in reperages:
        try:
            services.modifier_typologie(auteur=auteur, reperage=r, typologie=typologie, motif=motif)
        except ValidationError as exc:
            raise erreur_de_ligne(r, exc) from exc
    return len(reperages)
