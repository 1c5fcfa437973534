"""The one search box of the header: a young person by name, first name or INE, among those the user may see.

Names are compared on `Jeune.recherche` (lower case, accents removed when the record is saved: «Éloïse» is found by
«eloise» and «ELOISE»), the same on PostgreSQL and SQLite. On PostgreSQL a trigram index (pg_trgm) serves the
«contains» test and lets a misspelt word still find its name («Dupond» → «Dupont»); the best match comes first.
Whatever the database, the search starts from `Jeune.objects.visibles_par(user)`: nothing outside the user's scope.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q

from eleves import extensions
from eleves.models import Jeune, normaliser_recherche

LIMITE = 20
LONGUEUR_MIN = 2
# A misspelt word is matched by trigrams only from this length (shorter words match too many names).
LONGUEUR_APPROCHEE = 4
_FRAGMENT_INE = re.compile(r"^[0-9A-Z]{4,11}$")


def _mots(texte: str) -> list[str]:
    return [m for m in normaliser_recherche(texte).split() if len(m) >= LONGUEUR_MIN][:5]


def rechercher(user, texte: str, limite: int = LIMITE) -> list[Jeune]:
    """Up to `limite` young people visible to `user` whose name, first names or INE match every word of `texte`,
    each with what the apps above read with the results (`eleves.extensions.RESULTATS_RECHERCHE`: its parcours)."""
    mots = _mots(texte)
    if not mots:
        return []
    postgres = connection.vendor == "postgresql"
    qs = Jeune.objects.visibles_par(user)
    for mot in mots:
        condition = Q(recherche__contains=mot)
        ine = mot.upper()
        if _FRAGMENT_INE.match(ine) and any(c.isdigit() for c in ine):
            condition |= Q(ine__startswith=ine)
        if postgres and len(mot) >= LONGUEUR_APPROCHEE:
            condition |= Q(recherche__trigram_word_similar=mot)
        qs = qs.filter(condition)
    if postgres:
        from django.contrib.postgres.search import TrigramWordSimilarity

        qs = qs.annotate(pertinence=TrigramWordSimilarity(" ".join(mots), "recherche")).order_by(
            "-pertinence", "nom", "prenoms", "pk"
        )
    else:
        qs = qs.order_by("nom", "prenoms", "pk")
    prefetches = [extension.prefetch(user) for extension in extensions.RESULTATS_RECHERCHE]
    return list(qs.select_related("etablissement").prefetch_related(*prefetches)[:limite])
