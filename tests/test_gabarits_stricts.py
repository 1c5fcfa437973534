"""The tests' own guard (tests/conftest.py, `_VariableInconnue`): a variable our templates read without defining it
fails the test; third-party templates (under .venv) read optional variables on purpose and are left alone."""

from pathlib import Path

import pytest
from django.template import Context, Template, engines
from django.template.base import Origin

RACINE = Path(__file__).resolve().parents[1]


def _gabarit(chemin: Path) -> Template:
    moteur = engines["django"].engine
    return Template("<p>{{ variable_jamais_definie }}</p>", origin=Origin(name=str(chemin)), engine=moteur)


def test_une_variable_inconnue_dans_un_de_nos_gabarits_fait_echouer_le_test():
    with pytest.raises(pytest.fail.Exception, match="variable_jamais_definie"):
        _gabarit(RACINE / "templates" / "essai.html").render(Context({}))


def test_une_variable_inconnue_dans_un_gabarit_tiers_est_laissee_vide():
    assert _gabarit(RACINE / ".venv" / "lib" / "essai.html").render(Context({})) == "<p></p>"


def test_le_gardien_survit_au_remplacement_des_moteurs_de_gabarits(settings):
    # Changing DEBUG makes Django build new template engines (django.test.signals.reset_template_engines).
    settings.DEBUG = not settings.DEBUG
    with pytest.raises(pytest.fail.Exception, match="variable_jamais_definie"):
        _gabarit(RACINE / "templates" / "essai.html").render(Context({}))
