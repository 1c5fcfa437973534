"""Migrations carry their own copies of the helpers they run (issue 15): a data migration that imports live
application code breaks the day that code moves or changes. Only the field/validator references Django writes
itself (`import avenirpro.validators`, a model manager) are allowed, at module level."""

import ast
from pathlib import Path

import pytest

from eleves.models import normaliser_recherche

RACINE = Path(__file__).resolve().parents[2]
APPS = ("avenirpro", "eleves", "parcours", "entretiens", "tableaux", "rgpd", "administration", "notifications")
MIGRATIONS = sorted(p for app in APPS for p in (RACINE / app / "migrations").glob("0*.py"))


def test_les_migrations_sont_trouvees():
    assert len(MIGRATIONS) >= 5


@pytest.mark.parametrize("chemin", MIGRATIONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_aucune_migration_n_importe_le_code_vivant_dans_une_fonction(chemin):
    """RunPython functions import nothing from the project's apps (module-level references to validators and
    managers, written by makemigrations, are frozen paths Django needs)."""
    arbre = ast.parse(chemin.read_text())
    fautes = []
    for fonction in (n for n in ast.walk(arbre) if isinstance(n, ast.FunctionDef)):
        for n in ast.walk(fonction):
            modules = []
            if isinstance(n, ast.ImportFrom):
                modules = [n.module or ""]
            elif isinstance(n, ast.Import):
                modules = [a.name for a in n.names]
            fautes += [m for m in modules if m.split(".")[0] in APPS]
    assert fautes == []


def test_la_copie_de_normaliser_recherche_donne_le_meme_texte():
    from importlib import import_module

    migration = import_module("eleves.migrations.0002_import_reinscription_relais_recherche")
    for textes in [("ÉLOÏSE", "Zoé-Anaïs"), ("", "Ça"), ("x" * 300,), ("Œdipe", "ǅemal")]:
        assert migration.normaliser_recherche(*textes) == normaliser_recherche(*textes)
