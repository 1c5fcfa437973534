from django import template

from avenirpro.historique import changements

register = template.Library()


@register.inclusion_tag("components/_historique.html")
def historique(objet, limite=50):
    """`{% historique objet %}`: the changes of a record with `history` (simple-history)."""
    return {"changements": changements(objet, limite)}
