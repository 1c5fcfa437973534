"""The tests never read the wall clock (issue: a run that crossed midnight in Paris failed five tests).

Every test runs on the tests' clock (`tests/horloge.py`, set by `tests/conftest.py`), so the proof is in two parts:
no test module reads the clock when it is imported (collection happens before any fixture), and during a test the
clock is the tests' clock whatever the wall clock says."""

import ast
import datetime
from pathlib import Path

from django.utils import timezone

from tests.horloge import INSTANT_NORMAL, PARIS

RACINE = Path(__file__).resolve().parent
LECTURES = {"now", "localdate", "localtime", "today", "time", "utcnow", "monotonic_ns", "time_ns"}


def _lectures_a_l_import(arbre: ast.Module):
    """Calls that read the clock outside any function or class body (executed at import)."""
    trouvees = []

    def visiter(noeud):
        if isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return
        if isinstance(noeud, ast.Call):
            f = noeud.func
            nom = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if nom in LECTURES:
                trouvees.append((noeud.lineno, ast.unparse(noeud)))
        for enfant in ast.iter_child_nodes(noeud):
            visiter(enfant)

    for noeud in arbre.body:
        if isinstance(noeud, ast.ClassDef):
            # Class bodies run at import too (factory declarations): only their methods and lambdas are deferred.
            for enfant in noeud.body:
                visiter(enfant)
        else:
            visiter(noeud)
    return trouvees


def test_aucun_module_de_test_ne_lit_l_horloge_a_l_import():
    fautes = []
    for fichier in sorted(RACINE.rglob("*.py")):
        for ligne, appel in _lectures_a_l_import(ast.parse(fichier.read_text(), str(fichier))):
            fautes.append(f"{fichier.relative_to(RACINE.parent)}:{ligne}: {appel}")
    assert not fautes, "Lecture de l'horloge à l'import (utilisez tests/horloge.py) :\n" + "\n".join(fautes)


def test_le_controle_reconnait_une_lecture_a_l_import():
    source = "import datetime\nfrom django.utils import timezone\nAUJOURDHUI = timezone.localdate()\n"
    assert _lectures_a_l_import(ast.parse(source)) == [(3, "timezone.localdate()")]
    assert not _lectures_a_l_import(ast.parse("def f():\n    return timezone.now()\n"))


def test_chaque_test_tourne_sur_l_horloge_des_tests():
    maintenant = timezone.localtime()
    assert maintenant.tzinfo is not None and timezone.localdate() == INSTANT_NORMAL.date()
    assert datetime.timedelta(0) <= maintenant - INSTANT_NORMAL < datetime.timedelta(hours=1)
    assert datetime.date.today() == INSTANT_NORMAL.date()
    assert datetime.datetime.now(PARIS).hour == 10
