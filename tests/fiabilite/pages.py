"""The pages of the project as the access matrix lists them: used by the accessibility and access-log suites."""

import importlib
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def cas_de_la_matrice():
    """Every Cas of every tests/<app>/matrice.py present in this branch."""
    cas = []
    for fichier in sorted((RACINE / "tests").glob("*/matrice.py")):
        module = importlib.import_module(f"tests.{fichier.parent.name}.matrice")
        cas.extend(getattr(module, "CAS", []))
    return cas
