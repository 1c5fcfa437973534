"""Selections and computations live in `<app>/selections.py` (or services), not in views (issue 15): exports, PDFs,
tasks, the bench and every other non-view module import no views module — checked on the source (AST)."""

import ast
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
DOSSIERS = ("avenirpro", "eleves", "entretiens", "parcours", "bench")


def _est_module_de_vues(nom: str) -> bool:
    return not nom.startswith("django.") and any(
        partie in ("views", "vues") or partie.startswith("views_") for partie in nom.split(".")
    )


def _peut_importer_des_vues(chemin: Path) -> bool:
    """URL confs route to views; a views module may use its app's other views."""
    nom = chemin.stem
    return nom.startswith("urls") or nom.startswith("views") or nom == "vues"


def imports_de_vues(source: str) -> list[str]:
    trouves = []
    for noeud in ast.walk(ast.parse(source)):
        if isinstance(noeud, ast.Import):
            trouves += [a.name for a in noeud.names if _est_module_de_vues(a.name)]
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms = [noeud.module] + [f"{noeud.module}.{a.name}" for a in noeud.names]
            trouves += [n for n in noms if _est_module_de_vues(n)][:1]
    return trouves


def test_le_detecteur_voit_les_imports_de_vues():
    source = (
        "from parcours.views import liste_filtree\n"
        "from avenirpro import views_admin as v\n"
        "import avenirpro.tableaux.vues\n"
        "from django.views.decorators.http import require_GET\n"
        "from parcours.selections import liste_filtree\n"
    )
    assert imports_de_vues(source) == ["parcours.views", "avenirpro.views_admin", "avenirpro.tableaux.vues"]


def test_aucun_module_hors_vues_n_importe_une_vue():
    fautifs = [
        f"{chemin.relative_to(RACINE)} importe {nom}"
        for dossier in DOSSIERS
        for chemin in sorted((RACINE / dossier).rglob("*.py"))
        if "migrations" not in chemin.parts and not _peut_importer_des_vues(chemin)
        for nom in imports_de_vues(chemin.read_text(encoding="utf-8"))
    ]
    assert not fautifs, "\n".join(fautifs)
