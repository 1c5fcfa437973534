"""The benchmark's own code runs (on a small file here; `python bench/bench_import.py` measures 10,000 rows)."""

import importlib.util
from pathlib import Path

import pytest

from eleves.models import CorrespondanceColonnes, Jeune

pytestmark = pytest.mark.django_db


def test_bench_import_mesure_et_nettoie(monkeypatch):
    chemin = Path(__file__).resolve().parents[2] / "bench" / "bench_import.py"
    spec = importlib.util.spec_from_file_location("bench_import", chemin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "LIGNES", 300)
    mesures = dict(module.mesurer())
    assert int(mesures["import 10 000 lignes (nouvelles) — lignes/s"].replace(" ", "")) > 0
    assert "Mo" in mesures["import — mémoire résidente max du processus"]
    assert int(mesures["import 10 000 lignes avec correspondance enregistrée — lignes/s"].replace(" ", "")) > 0
    assert not Jeune.objects.exists() and not CorrespondanceColonnes.objects.exists()  # cleaned up
