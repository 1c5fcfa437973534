"""What the personal screens and the worklist read (issue #20, «scale»): the référent's timetable and attendance from
one read of the week's slots, the worklist's two counts in one query, and the index behind the PFMP flag of a row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eleves.filters import ReperageFilter
from eleves.models import Reperage
from parcours.models import Action, Creneau, Inscription
from tableaux import selections
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.tableaux.donnees import lundi_courant, peupler

pytestmark = pytest.mark.django_db


def _plan(sql: str, params) -> str:
    """EXPLAIN with sequential scans priced out: on the tests' few rows the planner would read every table whole;
    this asks which index it reads when one fits (the bench's EXPLAIN shows it chosen on national volumes)."""
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(ligne for (ligne,) in cur.fetchall())
        cur.execute("SET LOCAL enable_seqscan = on")
    return plan


def test_le_drapeau_pfmp_des_lignes_lit_l_index_partiel_des_pfmp_signalees(cast):
    ids = [i.pk for i in peupler(cast, 2)]
    qs = selections.annoter(Inscription.objects.filter(pk__in=ids), timezone.localdate())
    assert "pfmp_signalees_idx" in _plan(*qs.query.sql_with_params())
    assert all(i.pfmp_signale for i in qs)


def test_l_emploi_du_temps_et_l_assiduite_du_referent_viennent_d_une_seule_lecture_des_creneaux(cast, client_de):
    inscription = peupler(cast, 1)[0]
    lundi = lundi_courant()
    abandonnee = Action.objects.create(
        inscription=inscription, type="tre", intitule="Atelier ABANDONNE", statut=Action.Statut.ABANDONNEE,
        date_debut=lundi - datetime.timedelta(days=7), date_fin=lundi + datetime.timedelta(days=30),
    )  # fmt: skip
    Creneau.objects.create(action=abandonnee, jour=1, heure_debut=datetime.time(8), heure_fin=datetime.time(10))
    client = client_de(cast.referent_a)
    client.get(reverse("tableaux:referent"))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("tableaux:referent")).content.decode()
    assert "Atelier CV" in html and "09:00–12:00" in html and "14:00–16:00" in html
    assert "Atelier ABANDONNE" not in html  # an abandoned action is neither on the timetable nor expected
    creneaux = [q["sql"] for q in ctx.captured_queries if 'FROM "parcours_creneau"' in q["sql"]]
    assert len(creneaux) == 1


def test_la_liste_de_travail_compte_ses_lignes_et_les_masquees_en_une_requete(cast, client_de):
    for typologie in ["echec_repreparer", "diplome_sans_solution", "avec_solution", "avec_solution"]:
        ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne, typologie=typologie)
    qs = Reperage.objects.filter(campagne=cast.campagne)
    for params in ({}, {"typologie": "avec_solution"}, {"q": "a"}, {"typologie": "echec_repreparer"}):
        filtre = ReperageFilter(params, queryset=qs)
        with CaptureQueriesContext(connection) as ctx:
            comptes = filtre.comptes()
        assert comptes == (filtre.qs.count(), filtre.masques())
        assert len(ctx.captured_queries) == 1
    assert ReperageFilter({}, queryset=qs).comptes() == (2, 2)
    client = client_de(cast.chef_a)
    client.get(reverse("eleves:liste"))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("eleves:liste")).content.decode()
    assert "2 jeunes dont la solution est connue" in html
    assert sum('FROM "eleves_reperage"' in q["sql"] for q in ctx.captured_queries) == 2  # the counts, the page
