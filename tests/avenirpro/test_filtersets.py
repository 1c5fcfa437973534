"""Every filtered list filters through a django-filter FilterSet (issue 15): the page, its exports, its PDFs.

Two checks, neither by eye:
- every view reached from the URL conf, and every `selections.py`, is read (AST): a filter read by hand from the query
  string (`request.GET.get("statut")`, `request.GET["q"]`, `params.get("type")`…) fails the test; only the navigation
  keys listed below, which choose no rows, may be read directly;
- every registered export (`avenirpro.exports.REGISTRE`) of a filtered list carries the FilterSet of its list
  (`avenirpro.filtres.filtree`), and each of those FilterSets answers values out of range or unreadable without an
  error, as `avenirpro.parametres` does (no 5xx from a hand-edited URL).
"""

import ast
import inspect
import sys
from pathlib import Path

import django_filters
import pytest
from django.http import QueryDict
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from avenirpro.exports import REGISTRE

RACINE = Path(__file__).resolve().parents[2]

# Query-string keys a view may read itself: they choose the page, the format or the way back, never rows.
NAVIGATION = {
    "page": "pagination (Paginator.get_page bounds it)",
    "format": "the file format of an export (csv / xlsx)",
    "suite": "where to go back after a form (checked by url_has_allowed_host_and_scheme)",
    "semaine": "the week shown, read through avenirpro.parametres",
    "par": "the pilotage table's axis, checked against DIMENSIONS",
    "ventilation": "the devenir statistics' breakdown (MEF, typology…), checked against devenir.statistiques.SEGMENTS",
    "campagne": "a page's campaign switch (one of the existing campaigns, else the default one: the worklist, the"
    " chef's"
    " dashboard); the lists that filter rows by campaign do it in their FilterSet (avenirpro.filtres.SessionFilter)",
    "q": "the header search box only (eleves.recherche.rechercher is its selection, bounded to 100 characters)",
}
# Exports whose list has no filter (its rows are fixed by the URL and the user's scope).
SANS_FILTRE = {
    "admin-missions-locales",
    "admin-equipe",
    "admin-invitations",
    "reunion-invitations",
    "mes-jeunes",
}


def _vues(motifs):
    for motif in motifs:
        if isinstance(motif, URLResolver):
            yield from _vues(motif.url_patterns)
        elif isinstance(motif, URLPattern):
            yield inspect.unwrap(motif.callback)


def _modules_a_lire() -> set[Path]:
    chemins = set()
    for vue in _vues(get_resolver().url_patterns):
        module = sys.modules.get(getattr(vue, "__module__", ""))
        fichier = getattr(module, "__file__", None)
        if fichier and Path(fichier).is_relative_to(RACINE) and ".venv" not in Path(fichier).parts:
            chemins.add(Path(fichier))
    chemins |= {p for p in RACINE.glob("*/selections*.py")} | {p for p in RACINE.glob("*/*/selections*.py")}
    return {p for p in chemins if ".venv" not in p.parts}


def _est_get(noeud) -> bool:
    """`request.GET` or a `params` argument (the selections' query string)."""
    return (isinstance(noeud, ast.Attribute) and noeud.attr == "GET") or (
        isinstance(noeud, ast.Name) and noeud.id == "params"
    )


def lectures_a_la_main(source: str) -> list[tuple[int, str]]:
    """(line, key) of every key, written out, read directly from a query string in `source`."""
    trouvees = []
    for noeud in ast.walk(ast.parse(source)):
        cle = None
        if (
            isinstance(noeud, ast.Call)
            and isinstance(noeud.func, ast.Attribute)
            and noeud.func.attr in ("get", "getlist")
            and _est_get(noeud.func.value)
        ):
            cle = noeud.args[0] if noeud.args else None
        elif isinstance(noeud, ast.Subscript) and _est_get(noeud.value):
            cle = noeud.slice
        else:
            continue
        # A key held in a variable copies the whole query string (an export's saved filters), it chooses nothing.
        if isinstance(cle, ast.Constant):
            trouvees.append((noeud.lineno, str(cle.value)))
    return trouvees


def test_le_detecteur_voit_une_lecture_a_la_main():
    source = (
        "def v(request, params):\n"
        '    a = request.GET.get("statut", "")\n'
        '    b = params["mef"]\n'
        '    c = request.GET.get("page")\n'
    )
    assert lectures_a_la_main(source) == [(2, "statut"), (3, "mef"), (4, "page")]


def test_aucune_liste_ne_lit_un_filtre_a_la_main():
    modules = _modules_a_lire()
    # The walk really reaches the apps' views and selections (a broken walk must not pass vacuously).
    noms = {str(p.relative_to(RACINE)) for p in modules}
    assert {"parcours/views.py", "entretiens/views.py", "eleves/views.py", "parcours/selections.py"} <= noms
    fautifs = [
        f"{chemin.relative_to(RACINE)}:{ligne} lit « {cle} » à la main : un filtre passe par le FilterSet de la liste"
        for chemin in sorted(modules)
        for ligne, cle in lectures_a_la_main(chemin.read_text(encoding="utf-8"))
        if cle not in NAVIGATION
    ]
    assert not fautifs, "\n".join(fautifs)


def test_chaque_export_d_une_liste_filtree_porte_son_filterset():
    assert REGISTRE, "aucun export enregistré"
    sans = sorted(
        cle
        for cle, export in REGISTRE.items()
        if cle not in SANS_FILTRE and not getattr(export.selection, "filterset", None)
    )
    assert not sans, f"exports sans FilterSet : {sans}"
    for cle in SANS_FILTRE:
        assert cle in REGISTRE, f"{cle} n'existe plus : retirez-le de SANS_FILTRE"


VALEURS_HOSTILES = ["99999999999999999999", "-1", "9999-12-31", "0001-01-01", "31/12/9999", "x" * 300, "' OR 1=1"]


def _filtersets():
    vus = {}
    for export in REGISTRE.values():
        fs = getattr(export.selection, "filterset", None)
        if fs is not None:
            vus[fs.__name__] = fs
    return sorted(vus.items())


@pytest.mark.django_db
@pytest.mark.parametrize(("nom", "filterset"), _filtersets(), ids=[n for n, _ in _filtersets()])
def test_les_filtersets_ignorent_les_valeurs_illisibles(nom, filterset, django_assert_max_num_queries):
    assert issubclass(filterset, django_filters.FilterSet)
    modele = filterset._meta.model
    for valeur in VALEURS_HOSTILES:
        params = QueryDict(mutable=True)
        for champ in filterset.base_filters:
            params[champ] = valeur
        kwargs = {"campagnes": []} if "campagnes" in inspect.signature(filterset.__init__).parameters else {}
        with django_assert_max_num_queries(2):
            list(filterset(params, queryset=modele.objects.all(), **kwargs).qs[:1])
