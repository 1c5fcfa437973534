"""The one PDF module of the project: every document (bilan, timetable, letters, meeting sheets, conventions…) is
rendered here with WeasyPrint, imported lazily (1.5 s at import), the Marianne font decompressed once and the font
configuration kept between documents. Views answer with `reponse_pdf` (no-store: a PDF names a young person)."""

import atexit
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

POLICES = ("Marianne-Regular", "Marianne-Bold")


@lru_cache(maxsize=1)
def dossier_polices() -> str:
    """Marianne from django-dsfr, decompressed once from WOFF2 to TrueType: WeasyPrint would otherwise decompress
    the WOFF2 files (Brotli) on every document."""
    source = finders.find("dsfr/dist/fonts/Marianne-Regular.woff2")
    if not source:
        return ""
    cible = Path(tempfile.gettempdir()) / "avenirpro-polices"
    try:
        from fontTools.ttLib import TTFont

        cible.mkdir(exist_ok=True)
        for nom in POLICES:
            ttf = cible / f"{nom}.ttf"
            if not ttf.exists():
                police = TTFont(str(Path(source).parent / f"{nom}.woff2"))
                police.flavor = None
                temporaire = cible / f"{nom}.{os.getpid()}.tmp"
                police.save(str(temporaire))
                temporaire.replace(ttf)
        return cible.as_uri() + "/"
    except Exception:  # read-only temp dir or missing fontTools: the WOFF2 files work too, only slower
        return Path(source).parent.as_uri() + "/"


def extension_polices() -> str:
    return "ttf" if "avenirpro-polices" in dossier_polices() else "woff2"


# WeasyPrint logs every layout step at INFO: noise in the worker logs and time spent in the PDF.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _weasy():
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    return HTML, CSS, FontConfiguration()


# Free the font configuration before the interpreter tears modules down (its __del__ needs them).
atexit.register(_weasy.cache_clear)


def rendre_pdf(gabarit: str, contexte: dict, request=None) -> bytes:
    """Render the template `gabarit` to PDF bytes; `polices` and `ext_polices` give the templates the fonts."""
    HTML, _CSS, polices = _weasy()
    html = render_to_string(
        gabarit, {**contexte, "polices": dossier_polices(), "ext_polices": extension_polices()}, request=request
    )
    return HTML(string=html, base_url=dossier_polices() or None).write_pdf(font_config=polices)


def reponse_pdf(contenu: bytes, nom: str, *, telechargement: bool = False) -> HttpResponse:
    """The HTTP answer for a PDF: `inline` (opened in the browser) or `attachment`; never cached."""
    reponse = HttpResponse(contenu, content_type="application/pdf")
    mode = "attachment" if telechargement else "inline"
    reponse["Content-Disposition"] = f'{mode}; filename="{nom}"'
    reponse["Cache-Control"] = "no-store"
    return reponse
