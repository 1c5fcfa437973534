"""The campaign chosen by `?campagne=<session>` on every list and dashboard. (A campaign's settings are saved through
the parcours rules: `parcours.campagnes`.)"""

from __future__ import annotations

from avenirpro.models import Campagne
from avenirpro.sql import compilee


def toutes() -> list[Campagne]:
    """Every campaign, newest first: read on every dashboard and list, its statement compiled once per process
    (`avenirpro.sql.compilee`), the rows read each time."""
    champs = tuple(f.attname for f in Campagne._meta.concrete_fields)
    requete = compilee(("campagnes", champs), lambda: Campagne.objects.order_by("-session").values_list(*champs))
    return requete.instances(Campagne)


def campagne_choisie(params) -> tuple[Campagne | None, list[Campagne]]:
    """(the campaign asked by `?campagne=<session>`, else the current one; every campaign, newest first)."""
    campagnes = toutes()
    choisie = str(params.get("campagne", "")) if params is not None else ""
    campagne = next((c for c in campagnes if str(c.session) == choisie), None)
    return campagne or (campagnes[0] if campagnes else None), campagnes
