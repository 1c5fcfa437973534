"""The campaign chosen by `?campagne=<session>` on every list and dashboard. (A campaign's settings are saved through
the parcours rules: `parcours.campagnes`.)"""

from __future__ import annotations

from avenirpro.models import Campagne
from avenirpro.sql import Envoi, compilee


def toutes() -> list[Campagne]:
    """Every campaign, newest first: read on every dashboard and list, its statement compiled once per process
    (`avenirpro.sql.compilee`), the rows read each time."""
    return envoyer_toutes().lignes()


def envoyer_toutes() -> Envoi:
    """`toutes`, sent (`avenirpro.sql.envoyer`: with others in one round trip within `ensemble()`)."""
    champs = tuple(f.attname for f in Campagne._meta.concrete_fields)
    requete = compilee(("campagnes", champs), lambda: Campagne.objects.order_by("-session").values_list(*champs))
    return requete.envoyer_instances(Campagne)


def campagne_choisie(params) -> tuple[Campagne | None, list[Campagne]]:
    """(the campaign asked by `?campagne=<session>`, else the current one; every campaign, newest first)."""
    return campagne_parmi(params, toutes())


def campagne_parmi(params, campagnes: list[Campagne]) -> tuple[Campagne | None, list[Campagne]]:
    """`campagne_choisie` among `campagnes` already read (`toutes`): with none asked for, the newest."""
    choisie = str(params.get("campagne", "")) if params is not None else ""
    campagne = next((c for c in campagnes if str(c.session) == choisie), None)
    return campagne or (campagnes[0] if campagnes else None), campagnes
