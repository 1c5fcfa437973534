"""The hand-written statements read on every request are prepared once per connection (avenirpro/sql.py, ADR 0027),
still counted as queries by the tests, and always planned for their parameters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from avenirpro.sql import curseur_prepare

pytestmark = pytest.mark.django_db

SQL = "SELECT count(*) FROM avenirpro_etablissement WHERE id = ANY(%(ids)s) AND nom <> %(nom)s"


def _preparees():
    with connection.cursor() as cur:
        cur.execute("SELECT name, statement, from_sql FROM pg_prepared_statements")
        return [f"{nom} {texte}" for (nom, texte, _) in cur.fetchall()]


def test_une_instruction_lue_a_chaque_page_est_preparee_une_fois_et_comptee():
    with CaptureQueriesContext(connection) as requetes:
        for ids in ([1, 2], [3], [4, 5, 6]):
            with curseur_prepare() as cur:
                cur.execute(SQL, {"ids": ids, "nom": "x"})
                assert cur.fetchone() == (0,)
    assert len(requetes) == 3 and all("avenirpro_etablissement" in q["sql"] for q in requetes.captured_queries)
    assert sum("avenirpro_etablissement WHERE id = ANY($1)" in s for s in _preparees()) == 1
    # Django's own cursors bind on the client side: never prepared
    with connection.cursor() as cur:
        for _ in range(6):
            cur.execute("SELECT count(*) FROM avenirpro_campagne WHERE id <> %s", [0])
    assert not any("avenirpro_campagne" in s for s in _preparees())


def test_les_instructions_preparees_sont_planifiees_pour_leurs_parametres():
    with connection.cursor() as cur:
        cur.execute("SHOW plan_cache_mode")
        assert cur.fetchone() == ("force_custom_plan",)
