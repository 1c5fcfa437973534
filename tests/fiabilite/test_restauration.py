"""Restore drill (docs/scorecard.md): scripts/restauration.sh on the test database."""

import json
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.fiabilite.scorecard import consigner
from tests.matrice import construire_scenario

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "restauration.sh"
pytestmark = pytest.mark.django_db(transaction=True)


def _url(base: str) -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{base}"


def _lancer(*, env_extra=None):
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [str(SCRIPT), _url(connection.settings_dict["NAME"])], capture_output=True, text=True, env=env, timeout=120
    )


def test_restauration_identique_puis_ecart_detecte(cast, donnees_reference):
    construire_scenario(cast)
    r = _lancer(env_extra={"KEEP": "1"})
    assert r.returncode == 0, r.stderr
    resultat = json.loads(r.stdout.strip().splitlines()[-1])
    restauree = resultat["restauree"]
    try:
        assert resultat["ecarts_comptes"] == 0 and resultat["ecarts_empreintes"] == 0
        assert resultat["tables"] > 40 and resultat["lignes"] > 50
        assert resultat["tables_cles"] >= 8
        # Negative control: one row less and one changed name in the copy are both detected.
        subprocess.run(
            [
                "psql",
                "-q",
                _url(restauree),
                "-c",
                # The access log is append-only (ADR 0009): only a session that sets avenirpro.purge may delete.
                "SET avenirpro.purge = 'on'; DELETE FROM avenirpro_journalacces; "
                "DELETE FROM parcours_presence WHERE id = (SELECT min(id) FROM parcours_presence); "
                "UPDATE eleves_jeune SET nom = 'MODIFIE' WHERE id = (SELECT min(id) FROM eleves_jeune);",
            ],
            check=True,
            capture_output=True,
        )
        controle = _lancer(env_extra={"COMPARER_AVEC": restauree})
        assert controle.returncode == 1, controle.stdout + controle.stderr
        ecarts = json.loads(controle.stdout.strip().splitlines()[-1])
        assert ecarts["ecarts_comptes"] >= 1 and ecarts["ecarts_empreintes"] >= 2
    finally:
        subprocess.run(["psql", "-q", _url("postgres"), "-c", f'DROP DATABASE IF EXISTS "{restauree}"'], check=False)
    consigner(
        "restauration",
        {
            "ok": True,
            "tables": resultat["tables"],
            "lignes": resultat["lignes"],
            "tables_cles": resultat["tables_cles"],
            "ecarts": resultat["ecarts_comptes"] + resultat["ecarts_empreintes"],
            "duree_s": resultat["duree_s"],
            "ecart_detecte": True,
        },
    )
