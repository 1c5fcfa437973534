"""Dates and numbers read from a URL (query string or a small form's hidden field): bounded, never a 5xx.

Every view that parses a date or a number from `request.GET` (or a POSTed week) goes through these helpers: a value
that does not parse, or that lies outside the bounds, counts as absent — the view then shows its default (the
current week, the first scope…). Without bounds, `?semaine=9999-12-31` made the timetable add days past year 9999
(OverflowError, a 500) and `0001-01-01` step back before year 1.
"""

from __future__ import annotations

import datetime

# Wide enough for any real record (births, campaigns, archives), far enough from the calendar's ends that a view
# may add or subtract weeks or months without overflowing.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)
ENTIER_MAX = 2**31 - 1

FORMATS_DATE = ("%Y-%m-%d", "%d/%m/%Y")


def date_bornee(valeur, *, defaut: datetime.date | None = None) -> datetime.date | None:
    """`valeur` (ISO aaaa-mm-jj or jj/mm/aaaa) as a date between DATE_MIN and DATE_MAX, else `defaut`."""
    if isinstance(valeur, datetime.date):
        jour = valeur
    else:
        texte = str(valeur or "").strip()[:10]
        jour = None
        for fmt in FORMATS_DATE:
            try:
                jour = datetime.datetime.strptime(texte, fmt).date()
                break
            except ValueError:
                continue
    if jour is None or not DATE_MIN <= jour <= DATE_MAX:
        return defaut
    return jour


def date_parametre(params, cle: str, *, defaut: datetime.date | None = None) -> datetime.date | None:
    """The date in `params[cle]` (a QueryDict: request.GET or request.POST), bounded; else `defaut`."""
    return date_bornee(params.get(cle, ""), defaut=defaut)


def entier_parametre(params, cle: str, *, defaut: int = 0, minimum: int = 0, maximum: int = ENTIER_MAX) -> int:
    """The integer in `params[cle]` between `minimum` and `maximum`, else `defaut`."""
    texte = str(params.get(cle, "") or "").strip()
    if not texte or len(texte) > 12 or not texte.lstrip("-").isdigit():
        return defaut
    nombre = int(texte)
    return nombre if minimum <= nombre <= maximum else defaut
