"""`format_html` and `format_html_join` as Django's (django.utils.html), for the rows the screens build by the
dozen (a référent's week, the parcours of a page, the bars of a chart): the same escaping and the same result, without
the cost of Django's `escape`, which checks each argument for a lazy string through a wrapper (`keep_lazy`) and was
a tenth of the référent screen's Python time (bench/profil.py --cprofile, session 11). A lazy string is turned into
text first, as `conditional_escape` does; anything with `__html__` (SafeString, a form field) is kept as it says.

Templates keep Django's own escaping: only the rows built in Python go through here.
tests/avenirpro/test_html.py compares both on generated values.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape as _escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def echapper(valeur) -> str:
    """`django.utils.html.conditional_escape`."""
    if type(valeur) is str:  # most arguments: a plain string, neither lazy nor safe (a SafeString is a subclass)
        return _escape(valeur)
    if isinstance(valeur, Promise):
        valeur = str(valeur)
    if hasattr(valeur, "__html__"):
        return valeur.__html__()
    return _escape(str(valeur))


def format_html(modele: str, /, *args, **kwargs) -> SafeString:
    """`django.utils.html.format_html`: `modele` is markup, every argument is escaped unless it is safe."""
    return SafeString(modele.format(*map(echapper, args), **{cle: echapper(v) for cle, v in kwargs.items()}))


def format_html_join(separateur, modele: str, suites) -> SafeString:
    """`django.utils.html.format_html_join`: `modele` filled with each item of `suites` (a tuple of positional
    arguments or a mapping of named ones), joined by `separateur` (escaped unless safe)."""
    return SafeString(
        echapper(separateur).join(
            format_html(modele, **arguments) if isinstance(arguments, Mapping) else format_html(modele, *arguments)
            for arguments in suites
        )
    )
