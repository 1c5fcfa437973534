"""The hand-written statements read on every request are prepared once per connection (avenirpro/sql.py, ADR 0027),
still counted as queries by the tests, and planned as PostgreSQL chooses (`plan_cache_mode=auto`)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from psycopg.pq import PipelineStatus

from avenirpro.sql import curseur_prepare, ensemble, envoyer

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


def test_postgresql_choisit_entre_plan_generique_et_plan_pour_les_parametres():
    # `auto`: planned for their parameters the first five times, then once for all when that plan is not estimated
    # dearer (session 10, bench data at scales 0.25, 1 and 3: the rows of the personal screens 1.5 to 2.7 ms
    # quicker; session 11: the chef's figures too, once asked for one lycée at a time).
    with connection.cursor() as cur:
        cur.execute("SHOW plan_cache_mode")
        assert cur.fetchone() == ("auto",)


def test_les_chiffres_du_chef_ne_melangent_pas_deux_portees_dans_une_instruction():
    """A plan made once for any parameters cannot depend on a flag that widens the scope (`%(tous)s OR lycée =
    ANY(...)`): such a plan, blind to the flag, read every lycée's rows (3.5 s instead of 5 ms, ADR 0027). The
    national table and a chef's lycées are two statements."""
    import datetime

    from tableaux.statistiques import _sql_chiffres

    campagne = type("C", (), {"pk": 1, "jours_sans_contact": 10})()
    jour = datetime.date(2026, 10, 5)
    sql_chef, _ = _sql_chiffres(campagne, 1, jour)
    sql_pays, _ = _sql_chiffres(campagne, None, jour)
    assert " OR " not in sql_chef.upper() and " OR " not in sql_pays.upper()
    assert "= %(lycee)s" in sql_chef and "%(lycee)s" not in sql_pays


def test_les_chiffres_d_un_lycee_gardent_un_plan_pour_tout_lycee(cast):
    """One lycée per statement (`lycée = $1`, not `= ANY($1)`): after its five first executions PostgreSQL keeps one
    plan for any lycée instead of planning it again for each dashboard (1.3 ms of 3.9 on the bench, session 11)."""
    from tableaux.statistiques import chiffres_par_lycee

    for n in range(8):
        chiffres_par_lycee(cast.campagne, [(cast.lycee_a, cast.lycee_b)[n % 2].pk])
    with connection.cursor() as cur:
        cur.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%eleves_reperage%'"
        )
        (generiques, sur_mesure), *autres = cur.fetchall()
    assert not autres and sur_mesure == 5 and generiques == 3


# --- `ensemble()`: several statements in one round trip (psycopg's pipeline mode) ----------------------------------


def test_les_instructions_envoyees_ensemble_rendent_leurs_lignes_dans_l_ordre_et_restent_comptees():
    seul = [envoyer(SQL, {"ids": [n], "nom": "x"}).lignes() for n in range(3)]
    with CaptureQueriesContext(connection) as requetes:
        with ensemble():
            envois = [envoyer(f"SELECT %(n)s::int + {k}, %(t)s::text", {"n": 10, "t": f"t{k}"}) for k in range(3)]
            envois.append(envoyer(SQL, {"ids": [1], "nom": "x"}, apres=lambda lignes: lignes[0][0]))
            premier = envois[0].lignes()  # read inside the block: waits for what was sent before it
            assert connection.connection.pgconn.pipeline_status != PipelineStatus.OFF
        assert connection.connection.pgconn.pipeline_status == PipelineStatus.OFF
    assert premier == [(10, "t0")]
    assert [e.lignes() for e in envois[1:]] == [[(11, "t1")], [(12, "t2")], 0]
    assert envois[3].lignes() == 0  # read once, kept
    assert len(requetes) == 4
    assert seul == [[(0,)]] * 3
    assert sum("avenirpro_etablissement WHERE id = ANY($1)" in s for s in _preparees()) == 1


def test_hors_d_un_ensemble_une_instruction_envoyee_est_lue_aussitot():
    envoi = envoyer(SQL, {"ids": [1], "nom": "x"})
    assert envoi._curseur is None  # nothing left open on the connection
    assert envoi.lignes() == [(0,)]


def test_une_instruction_en_echec_dans_un_ensemble_leve_une_erreur_de_django_et_la_connexion_reste_utilisable():
    with pytest.raises(DatabaseError, match="table_qui_n_existe_pas"):
        with transaction.atomic(), ensemble():
            avant = envoyer("SELECT 1", {})
            envoyer("SELECT * FROM table_qui_n_existe_pas", {})
            envoyer("SELECT 2", {})
    assert avant.lignes() == [(1,)]
    assert connection.connection.pgconn.pipeline_status == PipelineStatus.OFF
    with connection.cursor() as cur:
        cur.execute("SELECT 3")
        assert cur.fetchone() == (3,)


def test_une_requete_compilee_s_envoie_avec_les_autres(cast):
    from tableaux import selections

    attendu = selections.ids_suivis(cast.referent_a, role="referent")
    with ensemble():
        envoi = selections.envoyer_ids_suivis(cast.referent_a, role="referent")
        entretiens = selections.envoyer_entretiens_du_tableau(cast.referent_a, limite=5)
    assert envoi.lignes() == attendu
    assert [e.pk for e in entretiens.lignes()] == [
        e.pk for e in selections.entretiens_du_tableau(cast.referent_a, limite=5)
    ]
