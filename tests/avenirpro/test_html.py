"""`avenirpro.html` builds the screens' rows as Django's `format_html` and `format_html_join` would, character for
character: text escaped (quotes included), safe strings and objects with `__html__` kept, lazy strings turned into
text first (a lazy safe string stays safe), numbers and dates as `str()` gives them."""

import datetime

import pytest
from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from avenirpro import html


class _Balise:
    def __init__(self, texte):
        self.texte = texte

    def __html__(self):
        return f"<b>{self.texte}</b>"


textes = st.text(alphabet=st.sampled_from("<>&\"'aé -/\n"), max_size=12)
valeurs = st.one_of(
    textes,
    textes.map(mark_safe),
    textes.map(_Balise),
    textes.map(lambda t: lazy(lambda: t, str)()),
    textes.map(lambda t: lazy(lambda: mark_safe(t), SafeString)()),
    textes.map(lambda t: lazy(lambda: mark_safe(t), str)()),
    st.integers(),
    st.none(),
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)),
)


@given(st.lists(valeurs, min_size=1, max_size=4), valeurs)
def test_format_html_rend_ce_que_rend_django(positionnels, nomme):
    modele = "<p>" + "|".join("{}" for _ in positionnels) + '<a title="{x}">{x}</a></p>'
    attendu = django_html.format_html(modele, *positionnels, x=nomme)
    obtenu = html.format_html(modele, *positionnels, x=nomme)
    assert obtenu == attendu and isinstance(obtenu, SafeString)


@given(valeurs, st.lists(st.tuples(valeurs, valeurs), max_size=4))
def test_format_html_join_rend_ce_que_rend_django(separateur, suites):
    attendu = django_html.format_html_join(separateur, "<li>{}: {}</li>", suites)
    obtenu = html.format_html_join(separateur, "<li>{}: {}</li>", suites)
    assert obtenu == attendu and isinstance(obtenu, SafeString)
    nommes = [{"a": a, "b": b} for a, b in suites]
    assert html.format_html_join(separateur, "<li>{a}{b}</li>", nommes) == django_html.format_html_join(
        separateur, "<li>{a}{b}</li>", nommes
    )


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("<script>\"'&", "&lt;script&gt;&quot;&#x27;&amp;"),
        (mark_safe("<em>"), "<em>"),
        (gettext_lazy("Absent"), "Absent"),
        (lazy(lambda: mark_safe("<i>"), SafeString)(), "<i>"),
        (lazy(lambda: mark_safe("<i>"), str)(), "<i>"),  # declared as text, safe once evaluated
    ],
)
def test_echapper_quelques_cas_a_la_main(valeur, attendu):
    assert html.echapper(valeur) == attendu == django_html.conditional_escape(valeur)
