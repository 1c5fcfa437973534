"""A young person's name leads to their record (`{% lien_jeune jeune %}`), and the record leads back to the screen of
the user's role (`{% fil_jeune jeune %}`).

The name is a link only where the row was read through a visibility filter (`visibles_par`): a page that lists a
young person the user may not open passes `lien=False`, and the name is shown without a link.
"""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from avenirpro.acces import perimetre
from avenirpro.html import echapper

register = template.Library()

_MODELE = None


def url_dossier(jeune) -> str:
    """The record's URL, from one reverse() per process (a list of 50 names costs no 50 URL resolutions)."""
    global _MODELE
    if _MODELE is None:
        _MODELE = reverse("eleves:detail", args=["00000000-0000-0000-0000-000000000000"])
    return _MODELE.replace("00000000-0000-0000-0000-000000000000", str(jeune.uuid))


@register.simple_tag
def lien_jeune(jeune, lien=True):
    nom = f"{jeune.nom} {jeune.prenoms}"
    if not lien:
        return nom
    return SafeString(f'<a href="{echapper(url_dossier(jeune))}" class="ap-lien-jeune">{echapper(nom)}</a>')


def ecrans_du_role(user) -> list[tuple[str, str]]:
    """The lists a user comes from to a young person's record, by role (the breadcrumb's middle step)."""
    p = perimetre(user)
    ecrans = []
    if p.chef:
        ecrans.append(("Jeunes sans solution", reverse("eleves:liste")))
    if p.referent:
        ecrans.append(("Mes jeunes (référent)", reverse("tableaux:referent")))
    if p.missions_locales:
        ecrans.append(("Jeunes de la mission locale", reverse("eleves:suivis")))
    return ecrans


@register.inclusion_tag("eleves/_fil_ariane.html", takes_context=True)
def fil_jeune(context, jeune, page=""):
    request = context.get("request")
    ecrans = ecrans_du_role(request.user) if request is not None else []
    return {
        "ecran": ecrans[0] if ecrans else None,
        "jeune": jeune,
        "url_jeune": url_dossier(jeune),
        "page": page,
    }


@register.filter
def dossier(jeune) -> str:
    """`{{ jeune|dossier }}`: the record's URL, for a link shaped by the page."""
    return url_dossier(jeune)
