"""Extension points of the young person's file for the apps above it (entretiens, parcours): each registers here from
its `AppConfig.ready()`, so that eleves shows their part of the file without importing them (the import-linter layers,
docs/architecture.md). Each app reads its rows through its own visibility rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

# `(user, jeune) -> dict`: more context of the young person's page (eleves:detail), under names its template shows
# (entretiens: `entretiens`, `peut_saisir`; parcours: `inscriptions`, `url_inscrire`).
CONTEXTE_DOSSIER: list[Callable] = []


class Colonnes(NamedTuple):
    """Columns of the counsellor's list (eleves:suivis): `annoter(qs) -> qs` adds subqueries to the one query of the
    list (each row's latest invitation, latest parcours); `preparer(lignes, user) -> None` sets their labels on the
    rows of the page."""

    annoter: Callable
    preparer: Callable


COLONNES_SUIVIS: list[Colonnes] = []


class Resultats(NamedTuple):
    """What the header's search shows with each young person found: `prefetch(user) -> Prefetch` read with the
    results (parcours: the visible parcours), `preparer(jeune) -> None` sets what the results page shows."""

    prefetch: Callable
    preparer: Callable


RESULTATS_RECHERCHE: list[Resultats] = []


class ActionLot(NamedTuple):
    """A bulk action of the worklist (eleves:lot), after the contact and the typology: `formulaire(data, *,
    etablissements, prefix) -> Form` and `service(*, auteur, reperages, **cleaned_data) -> int` (all or nothing)."""

    libelle: str
    formulaire: Callable
    service: Callable


# key -> action (parcours: «designation», the référent and the counsellor of each parcours).
ACTIONS_LOT: dict[str, ActionLot] = {}
