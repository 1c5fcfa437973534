"""Facts for the scorecard: each reliability test writes what it measured in var/scorecard/<nom>.json.

`scripts/scorecard.py` reads these files (after running the relevant tests) and renders docs/scorecard.md.
Other suites may call `consigner` too (e.g. the access matrix writes `matrice.json`).
"""

import datetime
import json
import os
from pathlib import Path

DOSSIER = Path(__file__).resolve().parents[2] / "var" / "scorecard"


def maintenant_reel() -> datetime.datetime:
    """The wall clock's time, even inside a test (the tests run on their own clock, tests/horloge.py): the scorecard
    tells facts of this run from facts of an earlier one by this stamp."""
    import time_machine

    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.datetime.datetime.now(datetime.UTC)
    return datetime.datetime.now(datetime.UTC)


def consigner(nom: str, donnees: dict) -> Path:
    """Write `donnees` (JSON-serialisable) to var/scorecard/<nom>.json, stamped with the UTC time of the run.

    Written atomically (temporary file then rename) so that a reader never sees half a file.
    """
    DOSSIER.mkdir(parents=True, exist_ok=True)
    chemin = DOSSIER / f"{nom}.json"
    contenu = {"nom": nom, "date": maintenant_reel().isoformat(timespec="seconds"), **donnees}
    tmp = chemin.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(contenu, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    tmp.replace(chemin)
    return chemin


def lire(nom: str) -> dict | None:
    chemin = DOSSIER / f"{nom}.json"
    if not chemin.exists():
        return None
    return json.loads(chemin.read_text(encoding="utf-8"))
