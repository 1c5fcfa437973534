"""A published figure of pilotage (`{{ v|cellule }}`): a masked cell reads as a secret, not as a value («< 5» beside
«Durée moyenne (jours)» read as «moins de 5 jours»); the secondary suppression masks cells of 5 or more too
(ADR 0010). A filter rather than an included template: a pilotage table has a cell per lycée and column."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from avenirpro.secret_statistique import MASQUE

register = template.Library()

SECRET = mark_safe(
    "<abbr title=\"Chiffre masqué (secret statistique) : effectif trop faible, ou masqué pour qu'un autre chiffre "
    'ne puisse pas être recalculé">secret</abbr>'
)


@register.filter
def cellule(valeur):
    if valeur == MASQUE:
        return SECRET
    return "–" if valeur is None else conditional_escape(valeur)
