"""Hand-written statements read on every request, prepared once per database connection (PostgreSQL).

A few screens read their figures or rows through one hand-written statement (the chef's figures, the rows of the
personal screens: ADR 0027). Executed here, each is a server-side prepared statement of the connection (which lives
for CONN_MAX_AGE seconds): parsed, analysed and rewritten once, not on every request (about 2 ms of the chef's 7 ms
statement). It is still planned for its parameters every time (`plan_cache_mode=force_custom_plan`, settings): a
generic plan of the chef's figures, blind to which lycées are asked, took 3.5 s instead of 5 ms.

The statement goes through Django's cursor wrapper: the query counters of the tests, the debug log and the
execute wrappers see it as any other query.

    with curseur_prepare() as cur:
        cur.execute(sql, params)
        lignes = cur.fetchall()
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache

from django.db import connection

PAS_D_AUTOMATIQUE = 2**31 - 1  # psycopg prepares a statement after this many executions: never by itself


@cache
def _classe_preparee():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class CurseurPrepare(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=True, binary=binary)
            if self._query is None:
                # psycopg keeps no query text for a prepared execution; Django's query log (and the tests that
                # read it) takes it from there.
                self._query = _Texte(query)
            return self

    return CurseurPrepare


class _Texte:
    def __init__(self, requete: str):
        self.query = requete.encode()


@contextmanager
def curseur_prepare():
    """A cursor whose statements are prepared (PostgreSQL, server-side binding); Django's own cursor elsewhere."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            yield cur
        return
    connection.ensure_connection()
    brute = connection.connection
    if brute.prepare_threshold is None:
        # Django turns psycopg's automatic preparation off (prepare_threshold=None), which also refuses an explicit
        # `prepare=True`. Django's own cursors bind on the client side and are never prepared: only the statements
        # of this cursor are.
        brute.prepare_threshold = PAS_D_AUTOMATIQUE
    cur = connection._prepare_cursor(_classe_preparee()(brute))
    try:
        yield cur
    finally:
        cur.close()
