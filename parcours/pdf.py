"""PDF documents (bilan, timetable) with WeasyPrint, imported lazily (STACK.md §6e), Marianne font embedded."""

import atexit
import logging
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


@lru_cache(maxsize=1)
def dossier_polices() -> str:
    chemin = finders.find("dsfr/dist/fonts/Marianne-Regular.woff2")
    return Path(chemin).parent.as_uri() + "/" if chemin else ""


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


def rendre_pdf(gabarit: str, contexte: dict) -> bytes:
    HTML, _CSS, polices = _weasy()
    html = render_to_string(gabarit, {**contexte, "polices": dossier_polices()})
    return HTML(string=html, base_url=dossier_polices() or None).write_pdf(font_config=polices)
