"""A small per-process memo, the least recently used entry dropped beyond its size.

Used for what is a pure function of its key and costs more to compute than to look up: the pilotage's rendered
block (tableaux.vues, ADR 0010) and the screens' statements compiled by the ORM (avenirpro.sql.compilee)."""

from __future__ import annotations

import threading
from collections import OrderedDict


class Memo:
    def __init__(self, taille: int):
        self.taille, self.valeurs, self.verrou = taille, OrderedDict(), threading.Lock()

    def lire(self, cle, calcul):
        """The value kept for `cle`, else `calcul()` (kept). Two threads missing the same key both compute it: the
        value is a function of the key, either is right."""
        with self.verrou:
            if cle in self.valeurs:
                self.valeurs.move_to_end(cle)
                return self.valeurs[cle]
        valeur = calcul()
        with self.verrou:
            self.valeurs[cle] = valeur
            while len(self.valeurs) > self.taille:
                self.valeurs.popitem(last=False)
        return valeur

    def vider(self) -> None:
        with self.verrou:
            self.valeurs.clear()
