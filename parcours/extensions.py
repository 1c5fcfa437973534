"""Extension points of the parcours for the feature apps above it (documents, devenir, …): each registers its
function here from its `AppConfig.ready()`, so that parcours calls them without importing them (the import-linter
layers, docs/architecture.md). The rules of a whole parcours have their own registry: `parcours.conformite.
controle_supplementaire`."""

from __future__ import annotations

from collections.abc import Callable

# `pfmp -> {field: message}`: more checks of a PFMP, run by `PFMP.clean` on every write (R18: documents).
CONTROLES_PFMP: list[Callable] = []
# `aujourdhui -> Counter`: more steps of the daily sweep, after the parcours' own alerts (devenir at 3 and 6 months).
ETAPES_BALAYAGE: list[Callable] = []
# Form classes (`forms.Form` subclasses) whose fields and `clean` (calling `super().clean()`) are added to the exit
# form after its own (`parcours.forms.formulaire_sortie`), with `initial_sortie(inscription) -> dict` their initial
# values: devenir, the young person's consent to the devenir and to the hand-over sheet (R14).
CHAMPS_SORTIE: list[type] = []
# `(inscription, user, donnees) -> None`: run in the exit's transaction with the exit form's cleaned data (those of
# CHAMPS_SORTIE's fields included).
APRES_SORTIE: list[Callable] = []
# `(pfmp, user) -> None`: the demo data, before a PFMP is marked «convention signée» (its signed copy).
AVANT_SIGNATURE_DEMO: list[Callable] = []
