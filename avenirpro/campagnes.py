"""The campaign chosen by `?campagne=<session>` on every list and dashboard. (A campaign's settings are saved through
the parcours rules: `parcours.campagnes`.)"""

from __future__ import annotations

from avenirpro.models import Campagne


def campagne_choisie(params) -> tuple[Campagne | None, list[Campagne]]:
    """(the campaign asked by `?campagne=<session>`, else the current one; every campaign, newest first)."""
    campagnes = list(Campagne.objects.order_by("-session"))
    choisie = str(params.get("campagne", "")) if params is not None else ""
    campagne = next((c for c in campagnes if str(c.session) == choisie), None)
    return campagne or (campagnes[0] if campagnes else None), campagnes
