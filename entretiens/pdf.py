"""PDF documents (WeasyPrint, imported lazily: it costs 1.5 s at import)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def dossier_polices() -> str:
    police = finders.find("dsfr/dist/fonts/Marianne-Regular.woff2")
    return Path(police).parent.as_uri() + "/" if police else ""


def rendre_pdf(gabarit: str, contexte: dict, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(gabarit, {**contexte, "polices": dossier_polices()}, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/") if request else None).write_pdf()


def reponse_pdf(contenu: bytes, nom: str) -> HttpResponse:
    r = HttpResponse(contenu, content_type="application/pdf")
    r["Content-Disposition"] = f'inline; filename="{nom}"'
    r["Cache-Control"] = "no-store"
    return r
