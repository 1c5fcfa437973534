"""The bulk designation of the worklist «Jeunes sans solution» (eleves:lot): the référent and/or the counsellor of the
parcours of each selected young person, all or nothing. Registered as an action of the worklist through
`eleves.extensions.ACTIONS_LOT` by `ParcoursConfig.ready()`: eleves shows it without importing the parcours."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from avenirpro.acces import peut_inscrire
from eleves.lot import erreur_de_ligne
from parcours.models import Inscription
from parcours.services import modifier_inscription


@transaction.atomic
def designer_groupe(*, auteur, reperages, referent=None, conseiller=None) -> int:
    """The référent and/or the counsellor of the parcours of each young person of the campaign (the designation
    belongs to the chef, like the enrolment; R5 and the coverage are checked by the parcours itself)."""
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
            raise erreur_de_ligne(r, exc) from exc
    return len(reperages)
