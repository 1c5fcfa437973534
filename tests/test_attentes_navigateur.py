"""A browser test checks what a page shows with Playwright's waiting assertions (`expect(…).to_be_visible()`), never
with `assert locator.is_visible()`, which reads the page at that instant: right after a click that loads another page,
the new document may not be parsed yet (tests/administration/test_e2e_annuaire.py failed so in CI, on a faster run)."""

import ast
from pathlib import Path

RACINE = Path(__file__).resolve().parent


def _lectures_instantanees(source: str) -> list[int]:
    lignes = []
    for noeud in ast.walk(ast.parse(source)):
        if isinstance(noeud, ast.Assert):
            for sous in ast.walk(noeud.test):
                if (
                    isinstance(sous, ast.Call)
                    and isinstance(sous.func, ast.Attribute)
                    and sous.func.attr in {"is_visible", "is_hidden"}
                ):
                    lignes.append(sous.lineno)
    return lignes


def test_la_regle_reconnait_une_lecture_instantanee():
    assert _lectures_instantanees("assert page.get_by_text('x').first.is_visible()") == [1]
    assert _lectures_instantanees("assert not lien.is_hidden() and True") == [1]
    assert _lectures_instantanees("expect(page.get_by_text('x')).to_be_visible()") == []


def test_aucun_test_ne_lit_la_visibilite_sans_attendre():
    fautes = [
        f"{chemin.relative_to(RACINE.parent)}:{ligne}"
        for chemin in sorted(RACINE.rglob("*.py"))
        if chemin != Path(__file__).resolve()
        for ligne in _lectures_instantanees(chemin.read_text(encoding="utf-8"))
    ]
    assert fautes == [], "expect(…).to_be_visible() plutôt que assert ….is_visible() :\n" + "\n".join(fautes)
