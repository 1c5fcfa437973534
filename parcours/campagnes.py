"""Campaigns on screen: the administrator creates the next campaign and sets its parameters; before a change is
saved the screen shows its effect on the campaign's existing parcours (R3: their end date follows the campaign).
(The campaign chosen by `?campagne=<session>` on every list is in the core: `avenirpro.campagnes`.)"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from avenirpro.models import Campagne
from parcours.models import Inscription
from parcours.regles import date_limite
from parcours.services import enregistrer_campagne as enregistrer_sous_les_regles


@dataclass(frozen=True)
class ParcoursTouche:
    inscription_id: int
    jeune: str
    ancienne_fin: datetime.date
    nouvelle_fin: datetime.date


def parcours_touches(campagne: Campagne) -> list[ParcoursTouche]:
    """The parcours of this campaign (not closed) whose end date (R3) would change with these settings."""
    if campagne.pk is None:
        return []
    touches = []
    for i in (
        Inscription.objects.filter(campagne_id=campagne.pk)
        .exclude(statut=Inscription.Statut.SORTIE)
        .select_related("jeune")
        .only("pk", "date_entree", "date_fin_prevue", "jeune__nom", "jeune__prenoms")
        .order_by("jeune__nom", "pk")
    ):
        nouvelle = date_limite(campagne, i.date_entree)
        if nouvelle != i.date_fin_prevue:
            touches.append(ParcoursTouche(i.pk, str(i.jeune), i.date_fin_prevue, nouvelle))
    return touches


@transaction.atomic
def enregistrer_campagne(*, campagne: Campagne) -> list[ParcoursTouche]:
    """Validate and save the campaign through the rules of the parcours (`parcours.services.enregistrer_campagne`:
    under lock, refused when an existing parcours would break a rule, every planned end recomputed). Returns the
    parcours whose end date changed."""
    touches = parcours_touches(campagne)
    enregistrer_sous_les_regles(campagne=campagne)
    return touches
