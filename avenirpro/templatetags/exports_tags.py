from django import template
from django.conf import settings
from django.urls import reverse

from avenirpro.exports import FORMATS, PARAMETRES_IGNORES

register = template.Library()


@register.inclusion_tag("components/_boutons_export.html", takes_context=True)
def boutons_export(context, nom_url: str, nombre: int, **arguments):
    """`{% boutons_export "parcours:export" page.paginator.count %}`: the CSV and XLSX buttons of a list, carrying the
    page's filters (its query string). Beyond EXPORT_SEUIL_ARRIERE_PLAN rows each button posts a background export
    (ADR 0008); below, it is a plain download link."""
    params = context["request"].GET.copy()
    for cle in PARAMETRES_IGNORES:
        params.pop(cle, None)
    query = f"?{params.urlencode()}" if params else ""
    return {
        "formats": [(f.upper(), reverse(nom_url, kwargs={**arguments, "format": f}) + query) for f in FORMATS],
        "arriere_plan": nombre > settings.EXPORT_SEUIL_ARRIERE_PLAN,
        "nombre": nombre,
        "csrf_token": context.get("csrf_token"),
    }
