from django import template
from django.conf import settings
from django.urls import reverse

from avenirpro.exports import FORMATS, PARAMETRES_IGNORES

register = template.Library()


@register.inclusion_tag("components/_boutons_export.html", takes_context=True)
def boutons_export(context, nom_url: str, nombre: int, **arguments):
    """`{% boutons_export "parcours:export" page.paginator.count %}`: the CSV and XLSX buttons of a list, carrying the
    page's filters (its query string). Plain links: below EXPORT_SEUIL_ARRIERE_PLAN rows they download the file;
    beyond, they lead to the page that starts the background export (ADR 0008). No form, hence no CSRF token: a
    list kept in the cache (ADR 0007) can hold them."""
    params = context["request"].GET.copy()
    for cle in PARAMETRES_IGNORES:
        params.pop(cle, None)
    query = f"?{params.urlencode()}" if params else ""
    return {
        "formats": [(f.upper(), reverse(nom_url, kwargs={**arguments, "format": f}) + query) for f in FORMATS],
        "arriere_plan": nombre > settings.EXPORT_SEUIL_ARRIERE_PLAN,
        "nombre": nombre,
    }
