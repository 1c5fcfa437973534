from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def devenir_resume(inscription):
    """The latest known situation after the exit, for the parcours' summary (one query, only after an exit)."""
    if not inscription.date_sortie:
        return ""
    from devenir.services import derniere_situation

    p = derniere_situation(inscription)
    if p is None:
        return ""
    return format_html(
        "<dt>Devenir</dt><dd>à {} mois : {}{}</dd>",
        p.jalon_mois,
        p.get_situation_display(),
        format_html(" (depuis le {})", p.situation_depuis.strftime("%d/%m/%Y")) if p.situation_depuis else "",
    )
