"""Hand-written statements read on every request, prepared once per database connection (PostgreSQL).

A few screens read their figures or rows through one hand-written statement (the chef's figures, the rows of the
personal screens: ADR 0027). Executed here, each is a server-side prepared statement of the connection (which lives
for CONN_MAX_AGE seconds): parsed, analysed and rewritten once, not on every request (about 2 ms of the chef's 7 ms
statement). PostgreSQL plans it for its parameters the first five times, then keeps one plan for any parameters
when that plan is not estimated dearer (`plan_cache_mode=auto`, settings): the rows of the personal screens then
skip their planning (1.5 to 2.7 ms), and so do the chef's figures, asked for one lycée at a time (`lycée = $1`:
a list, `= ANY($1)`, was estimated dearer for any parameters and planned again every time). So no statement here may
widen its scope with a flag (`%(tous)s OR lycée = ANY(...)`): a plan made for any parameters, blind to the flag,
read every lycée's rows (3.5 s instead of 5 ms).

The statement goes through Django's cursor wrapper: the query counters of the tests, the debug log and the
execute wrappers see it as any other query.

    with curseur_prepare() as cur:
        cur.execute(sql, params)
        lignes = cur.fetchall()
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections, migrations

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


def _base():
    """The default database's wrapper, looked up once per call: each attribute read through `django.db.connection`
    looks the wrapper up again in a context-local store (six statements sent in one round trip: 325 → 259 µs of
    client CPU, session 16)."""
    return connections[DEFAULT_DB_ALIAS]


def _curseur(base=None):
    if base is None:
        base = _base()
    base.ensure_connection()
    brute = base.connection
    if brute.prepare_threshold is None:
        # Django turns psycopg's automatic preparation off (prepare_threshold=None), which also refuses an explicit
        # `prepare=True`. Django's own cursors bind on the client side and are never prepared: only the statements
        # of this cursor are.
        brute.prepare_threshold = PAS_D_AUTOMATIQUE
    return base._prepare_cursor(_classe_preparee()(brute))


@contextmanager
def curseur_prepare():
    """A cursor whose statements are prepared (PostgreSQL, server-side binding); Django's own cursor elsewhere."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            yield cur
        return
    cur = _curseur()
    try:
        yield cur
    finally:
        cur.close()


# --- Several statements in one round trip ------------------------------------------------------------------------


class Envoi:
    """A statement sent (`envoyer`), its rows read by `lignes()` (once: the rows are kept), passed through `apres`
    when given."""

    __slots__ = ("_curseur", "_lignes", "_apres", "colonnes")

    def __init__(self, *, curseur=None, lignes=None, apres=None, colonnes=()):
        self._curseur, self._lignes, self._apres, self.colonnes = curseur, lignes, apres, colonnes

    def lignes(self):
        """The rows (passed through `apres`); their columns' names are then in `colonnes`."""
        if self._curseur is not None:
            cur, self._curseur = self._curseur, None
            try:
                with _base().wrap_database_errors:
                    self._lignes = cur.fetchall()
                    # The names from the result itself: `cur.description` builds a column object per column, each
                    # looking its type up (64 per counsellor screen, a fiftieth of its Python time).
                    resultat = cur.pgresult
                    if resultat is not None:
                        self.colonnes = tuple(resultat.fname(n).decode() for n in range(resultat.nfields))
            finally:
                cur.close()
            if self._apres is not None:
                self._lignes = self._apres(self._lignes)
        return self._lignes


def envoyer(sql: str, params, apres=None) -> Envoi:
    """Sends a statement, prepared as those of `curseur_prepare`; its rows are read by `Envoi.lignes()`. Within
    `ensemble()`, every statement sent goes to PostgreSQL with the others of the block, in one round trip; outside
    it (and on SQLite) it runs at once."""
    base = _base()
    if base.vendor != "postgresql":
        with base.cursor() as cur:
            cur.execute(sql, params)
            lignes = cur.fetchall()
            colonnes = tuple(c[0] for c in cur.description or ())
        return Envoi(lignes=apres(lignes) if apres is not None else lignes, colonnes=colonnes)
    from psycopg.pq import PipelineStatus

    cur = _curseur(base)
    try:
        cur.execute(sql, params)
    except BaseException:
        cur.close()
        raise
    envoi = Envoi(curseur=cur, apres=apres)
    if base.connection.pgconn.pipeline_status == PipelineStatus.OFF:
        envoi.lignes()  # no pipeline: the rows are there, the cursor is not left open
    return envoi


@contextmanager
def ensemble():
    """The statements sent in this block (`envoyer`, `Compilee.envoyer`) go to PostgreSQL together and their
    results come back together: one round trip instead of one each (psycopg's pipeline mode). A screen's
    statements that do not depend on one another are sent so; their rows are read after the block (or in it: the
    first read waits for every statement sent before it). A failed statement raises its error when the block
    ends, and the statements after it in the block do not run. On SQLite, a plain block."""
    base = _base()
    if base.vendor != "postgresql":
        yield
        return
    base.ensure_connection()
    with base.wrap_database_errors, base.connection.pipeline():
        yield


# --- Statements built by the ORM, compiled once per process ----------------------------------------------------------


class Compilee:
    """A statement built by the ORM (a `values()` / `values_list()` queryset) and compiled once: executed as is, its
    rows read as tuples or dicts, with the values of its `variables` (the parameters that change at every request,
    a clock for instance) put in their places."""

    __slots__ = ("sql", "params", "colonnes", "places", "convertisseurs")

    def __init__(self, sql: str | None, params: tuple, colonnes: tuple[str, ...], places: dict, convertisseurs):
        # `places`: variable name → (its rank among the parameters, how the ORM adapts its value, or None).
        self.sql, self.params, self.colonnes, self.places = sql, params, colonnes, places
        # The ORM's conversions of the values read (none on PostgreSQL for these columns; dates, uuids and booleans
        # read as text or integers on the SQLite of `make run`): by column, as the compiler's `get_converters`.
        self.convertisseurs = list(convertisseurs.items())

    def _parametres(self, valeurs: dict) -> tuple:
        if set(valeurs) != set(self.places):
            raise TypeError(f"valeurs attendues : {sorted(self.places)}, reçues : {sorted(valeurs)}")
        if not valeurs or self.sql is None:
            return self.params
        params = list(self.params)
        for nom, (rang, adapter) in self.places.items():
            params[rang] = adapter(valeurs[nom]) if adapter else valeurs[nom]
        return tuple(params)

    def lignes(self, **valeurs) -> list[tuple]:
        return self.envoyer(**valeurs).lignes()

    def envoyer(self, apres=None, **valeurs) -> Envoi:
        """The statement sent (`envoyer`: with others in one round trip within `ensemble()`), its rows converted,
        then passed through `apres` when given."""
        params = self._parametres(valeurs)
        if self.sql is None:
            return Envoi(lignes=apres([]) if apres is not None else [])

        def lire(lignes):
            lignes = self._convertir(lignes)
            return apres(lignes) if apres is not None else lignes

        # Prepared on the connection as the hand-written statements (`curseur_prepare`): parsed once, and planned
        # once when PostgreSQL finds the plan for any parameters no dearer (0.2 to 1.3 ms a statement, session 10).
        return envoyer(self.sql, params, apres=lire)

    def _convertir(self, lignes) -> list[tuple]:
        if not self.convertisseurs:
            return lignes
        converties = []
        for ligne in lignes:
            ligne = list(ligne)
            for rang, (fonctions, expression) in self.convertisseurs:
                valeur = ligne[rang]
                for fonction in fonctions:
                    valeur = fonction(valeur, expression, connection)
                ligne[rang] = valeur
            converties.append(tuple(ligne))
        return converties

    def instances(self, modele, **valeurs) -> list:
        """The rows as instances of `modele`, as the ORM makes them (`Model.from_db`): for a statement that reads
        the model's own columns (`values_list(*attnames)`)."""
        return self.envoyer_instances(modele, **valeurs).lignes()

    def envoyer_instances(self, modele, **valeurs) -> Envoi:
        """`instances`, sent (with others in one round trip within `ensemble()`)."""
        return self.envoyer(
            apres=lambda lignes: [modele.from_db(connection.alias, self.colonnes, ligne) for ligne in lignes],
            **valeurs,
        )

    def dicts(self, **valeurs) -> list[dict]:
        return self.envoyer_dicts(**valeurs).lignes()

    def envoyer_dicts(self, **valeurs) -> Envoi:
        return self.envoyer(
            apres=lambda lignes: [dict(zip(self.colonnes, ligne, strict=True)) for ligne in lignes], **valeurs
        )


_COMPILEES = None


def compilee(cle: tuple, fabrique, *, garder: bool = True, **sentinelles) -> Compilee:
    """The statement of the queryset `fabrique(**sentinelles)` returns, built and compiled by the ORM once per process
    for `cle`, then reused: building and compiling a screen's querysets (the visibility filter's UNION, joins,
    annotations) cost more CPU than running them.

    `cle` must hold every value the statement is made from (for a visibility filter: the user's perimeter, which
    holds the user's id, so that no two users ever share a statement). Values read from the data may be among them
    (the référent's young people, whose interviews a screen lists): each set of values has its own statement. The
    rows themselves are read when the statement runs, never kept. At most 4,096 statements per process, the least
    recently used dropped first (a few kilobytes each).

    A value that changes at every request (the clock) is a *variable*: the queryset is built with a sentinel value
    of the same type in its place (`depuis=SENTINELLE_INSTANT`), found once among the compiled parameters, and
    `Compilee.lignes(depuis=…)` puts the request's value there.

    `garder=False`: compiled for this request only, not kept (a key holding what a user typed, a name searched,
    is never kept in the process)."""
    global _COMPILEES
    if _COMPILEES is None:
        from avenirpro.memo import Memo

        _COMPILEES = Memo(4096)

    def compiler() -> Compilee:
        qs = fabrique(**sentinelles)
        requete = qs.query
        compilateur = requete.get_compiler(qs.db)
        try:
            sql, params = compilateur.as_sql()
        except EmptyResultSet:
            # A filter that can match nothing (`pk__in=[]` alone): the ORM runs no query, nor does this.
            return Compilee(None, (), (), dict.fromkeys(sentinelles, (0, None)), {})
        convertisseurs = compilateur.get_converters([s[0] for s in compilateur.select[0 : compilateur.col_count]])
        params = tuple(params)
        places = {}
        for nom, sentinelle in sentinelles.items():
            # As the ORM passed it: the value itself (PostgreSQL), or the backend's form of it (SQLite's text), in
            # which case each request's value is put in that form too.
            formes = [(sentinelle, None)]
            adapter = _adaptation(sentinelle)
            if adapter and (adaptee := adapter(sentinelle)) != sentinelle:
                formes.append((adaptee, adapter))
            trouvees = [
                (n, a) for n, p in enumerate(params) for forme, a in formes if p == forme and type(p) is type(forme)
            ]
            if len(trouvees) != 1:
                raise ValueError(
                    f"la valeur témoin de {nom!r} doit paraître une fois dans la requête : {len(trouvees)}"
                )
            places[nom] = trouvees[0]
        colonnes = (*requete.extra_select, *requete.values_select, *requete.annotation_select)
        return Compilee(sql, params, tuple(colonnes), places, convertisseurs)

    if not garder:
        return compiler()
    return _COMPILEES.lire((connection.vendor, *cle), compiler)


def _adaptation(valeur):
    """How the ORM hands a value of this type to the database (`DatabaseOperations.adapt_*field_value`), or None."""
    if isinstance(valeur, datetime.datetime):
        return connection.ops.adapt_datetimefield_value
    if isinstance(valeur, datetime.date):
        return connection.ops.adapt_datefield_value
    return None


# Sentinel values for `compilee`'s variables: dates no data of the product can hold.
SENTINELLE_INSTANT = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)


class RunSQLPostgres(migrations.RunSQL):
    """RunSQL on PostgreSQL only (the migrations' triggers): the SQLite demo (`make run`) has no triggers of this kind
    and needs none."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
