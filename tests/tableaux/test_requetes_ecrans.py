"""What the personal screens and the worklist read (issue #20, «scale»): the référent's timetable and attendance from
one read of the week's slots, the worklist's two counts in one query, and the index behind the PFMP flag of a row."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st
from psycopg.pq import PipelineStatus

from eleves.filters import ReperageFilter
from eleves.models import Jeune, Reperage
from parcours.models import Action, Creneau, Inscription, PointSuivi
from tableaux import selections
from tests.avenirpro.factories import CampagneFactory
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


@pytest.mark.parametrize(
    "params", ["", "diplome=cap", "typologie=bogus&q=O%27Brien&division=2%3Cb%3E", "statut_contact=a_contacter"]
)
def test_le_html_garde_des_champs_du_filtre_de_la_liste_est_celui_du_formulaire_lie_aux_memes_valeurs(params):
    from django.http import QueryDict

    from eleves.filters import champs_du_filtre

    donnees = QueryDict(params)
    attendu = [str(champ.as_field_group()) for champ in ReperageFilter(donnees, queryset=Reperage.objects.none()).form]
    assert [str(html) for html in champs_du_filtre(donnees)] == attendu
    assert [str(html) for html in champs_du_filtre(QueryDict(params))] == attendu  # from the process' cache


def test_les_lignes_des_ecrans_personnels_completent_et_echappent_leurs_cellules():
    import uuid

    from avenirpro.models import Etablissement, Utilisateur
    from eleves.models import Jeune
    from tableaux.vues import _ligne_conseiller, _ligne_referent, badges_alertes

    assert badges_alertes([]) == '<span class="fr-sr-only">Aucune alerte</span>\n'
    assert badges_alertes([("<b>l'entrée</b>", "error"), ("Fin", "warning"), ("Point", "autre")]) == (
        '<p class="fr-badge fr-badge--sm fr-badge--error fr-mr-1v">&lt;b&gt;l&#x27;entrée&lt;/b&gt;</p>'
        '<p class="fr-badge fr-badge--sm fr-badge--warning fr-mr-1v">Fin</p>'
        '<p class="fr-badge fr-badge--sm fr-badge--info fr-mr-1v">Point</p>\n'
    )
    i = Inscription(numero_imilo="", mef="apro_plus_3", date_fin_prevue=datetime.date(2027, 1, 5))
    i.jeune = Jeune(nom="D'Arc <x>", prenoms="Jeanne", telephone="", uuid=uuid.uuid4())
    i.etablissement = Etablissement(nom="Lycée & co")
    i.referent, i.lien, i.prochain_point, i.point_en_retard, i.badges = None, None, None, False, badges_alertes([])
    conseiller, referent = str(_ligne_conseiller(i)), str(_ligne_referent(i))
    for html in (conseiller, referent):
        assert "D&#x27;Arc &lt;x&gt; Jeanne</a>" in html and "<td>Lycée &amp; co</td>" in html
        assert "<td>05/01/2027</td>" in html and "Voir le parcours" not in html and "Aucune alerte" in html
    assert conseiller.count("<td>–</td>") == 2  # no référent, no I-Milo number
    assert "<td>APRO PLUS 3</td>" in referent and "<td>–</td>" in referent and "tel:" not in referent
    i.referent = Utilisateur(first_name="Zoé", last_name="Martin", email="z@example.test")
    i.numero_imilo, i.lien, i.jeune.telephone = "12345", "/parcours/x/?a=1&b=2", "06 12 34 56 78"
    i.prochain_point, i.point_en_retard = datetime.date(2026, 10, 28), True
    conseiller, referent = str(_ligne_conseiller(i)), str(_ligne_referent(i))
    assert "<td>Zoé Martin</td>" in conseiller and "<td>12345</td>" in conseiller
    for html in (conseiller, referent):
        assert '<br><a class="fr-text--sm" href="/parcours/x/?a=1&amp;b=2">Voir le parcours</a></th>' in html
    assert '<a class="fr-text--sm" href="tel:0612345678">06 12 34 56 78</a>' in referent
    assert '<td>28/10/2026 <span class="fr-badge fr-badge--sm fr-badge--error">en retard</span></td>' in referent


@given(
    texte=st.text(alphabet=st.sampled_from("<>&\"'aé -/"), max_size=12),
    lieu=st.text(alphabet=st.sampled_from("<>&\"'aé -/"), max_size=12),
    heures=st.tuples(st.times(), st.times()),
)
def test_un_creneau_du_referent_est_ce_que_django_en_ferait(texte, lieu, heures):
    """A slot of the référent's week, built as a string (tableaux/vues.py `_creneau_referent`), is character for
    character what Django's `format_html` made of its former template: texts escaped, quotes included."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from tableaux.vues import _creneau_referent

    debut, fin = heures
    jeune = mark_safe('<a href="/jeunes/x/">Nom &amp; Prénom</a>')
    attendu = format_html(
        '<li class="fr-mb-1w"><strong>{debut}–{fin}</strong><br>{intitule}<br>'
        '<span class="fr-text--sm">{jeune}{lieu}</span></li>',
        debut=f"{debut:%H:%M}",
        fin=f"{fin:%H:%M}",
        intitule=texte,
        jeune=jeune,
        lieu=format_html(" — {}", lieu) if lieu else "",
    )
    assert _creneau_referent(debut, fin, texte, jeune, lieu) == attendu


_TEXTES = st.text(alphabet=st.sampled_from("<>&\"'aé -/0"), max_size=10)


@given(
    nom=_TEXTES, prenoms=_TEXTES, telephone=_TEXTES, lycee=_TEXTES, imilo=_TEXTES, lien=st.none() | _TEXTES,
    referent=st.none() | _TEXTES, point=st.none() | st.dates(), en_retard=st.booleans(),
)  # fmt: skip
def test_les_lignes_des_ecrans_personnels_sont_ce_que_django_en_ferait(
    nom, prenoms, telephone, lycee, imilo, lien, referent, point, en_retard
):
    """The rows of the référent's and the counsellor's parcours and the young person's link, built as strings
    (tableaux/vues.py, `lien_jeune`), are character for character what Django's `format_html` made of them before."""
    import uuid

    from django.utils.html import format_html

    from avenirpro.models import Etablissement, Utilisateur
    from avenirpro.templatetags.jeunes_tags import lien_jeune, url_dossier
    from eleves.models import Jeune
    from tableaux.vues import (
        BADGE_RETARD,
        LIGNE_CONSEILLER,
        LIGNE_REFERENT,
        _ligne_conseiller,
        _ligne_referent,
        _point_html,
    )

    i = Inscription(numero_imilo=imilo, mef="apro_plus_3", date_fin_prevue=datetime.date(2027, 1, 5))
    i.jeune = Jeune(nom=nom, prenoms=prenoms, telephone=telephone, uuid=uuid.uuid4())
    i.etablissement = Etablissement(nom=lycee)
    i.referent = Utilisateur(first_name=referent, last_name="", email="z@example.test") if referent else None
    i.lien, i.prochain_point, i.point_en_retard, i.badges = lien, point, en_retard, mark_safe("<p>b</p>")
    lien_django = format_html('<a href="{}" class="ap-lien-jeune">{}</a>', url_dossier(i.jeune), f"{nom} {prenoms}")
    assert lien_jeune(i.jeune) == lien_django
    parcours = format_html('<br><a class="fr-text--sm" href="{}">Voir le parcours</a>', lien) if lien else ""
    assert _ligne_conseiller(i) == format_html(
        LIGNE_CONSEILLER, jeune=lien_django, parcours=parcours, lycee=lycee, referent=i.referent or "–",
        imilo=imilo or "–", fin="05/01/2027", badges=i.badges,
    )  # fmt: skip
    tel = format_html('<br><a class="fr-text--sm" href="tel:{}">{}</a>', telephone.replace(" ", ""), telephone)
    assert _ligne_referent(i) == format_html(
        LIGNE_REFERENT, jeune=lien_django, telephone=tel if telephone else "", parcours=parcours, lycee=lycee,
        mef=i.get_mef_display(), fin="05/01/2027", point=f"{point:%d/%m/%Y}" if point else "–",
        retard=BADGE_RETARD if en_retard else "", badges=i.badges,
    )  # fmt: skip
    if point:  # a planned point of the référent's list, as its former template wrote it
        retard = (
            mark_safe(' <span class="fr-badge fr-badge--sm fr-badge--error">en retard</span>') if en_retard else ""
        )
        assert _point_html(i) == format_html("<li>{}{} : {}</li>", f"{point:%d/%m/%Y}", retard, lien_django)


@pytest.mark.parametrize(
    ("role", "index"),
    [
        ("conseiller_a", {"accompagnant_conseiller_idx", "jeune_vu_par_conseiller_idx"}),
        ("referent_a", {"accompagnant_referent_idx"}),
        ("psy_a", {"jeune_vu_par_psy_idx"}),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_les_jeunes_visibles_se_lisent_dans_les_index_partiels_de_la_visibilite(cast, role, index):
    """The visibility rule's subquery (computed three times per counsellor screen) reads the partial indexes
    made for it, without visiting the tables' rows (an index-only scan), on tables vacuumed as autovacuum keeps
    them in production (the visibility map set: the CI machine's PostgreSQL runs without autovacuum, and a table
    never vacuumed makes any index-only scan look as dear as reading the rows, so that the index of a lycée's
    young people by id, `jeune_etablissement_ids_idx`, filtered on the rows, was as good a choice)."""
    JeuneFactory(etablissement=cast.lycee_a)
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) eleves_jeune, eleves_accompagnant")
    qs = Jeune.objects.visibles_par(getattr(cast, role)).values("pk")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL enable_bitmapscan = off")  # on a few rows a bitmap is as cheap; the bench's is not
        plan = _plan(*qs.query.sql_with_params())
    for nom in index:
        assert f"Index Only Scan using {nom}" in plan, plan


def _envoyees_ensemble(client, url) -> dict[str, bool]:
    """For each statement of the page (its first 60 characters): whether it was sent within a pipeline
    (`avenirpro.sql.ensemble`), i.e. with others in one round trip."""
    vues = {}

    def temoin(execute, sql, params, many, context):
        vues[" ".join(sql.split())[:60]] = connection.connection.pgconn.pipeline_status != PipelineStatus.OFF
        return execute(sql, params, many, context)

    client.get(url)
    with connection.execute_wrapper(temoin):
        assert client.get(url).status_code == 200
    return vues


def test_le_referent_lit_ses_lignes_sa_semaine_ses_presences_et_ses_entretiens_en_un_aller_retour(cast, client_de):
    peupler(cast, 2)
    vues = _envoyees_ensemble(client_de(cast.referent_a), reverse("tableaux:referent"))
    ensemble = {debut for debut, dedans in vues.items() if dedans}
    assert {debut.split(" FROM ")[0][:30] for debut in ensemble} == {
        'SELECT "avenirpro_campagne"."i',  # the campaigns, with the ids (first round trip)
        'SELECT "parcours_inscription".',  # the followed parcours' ids
        'SELECT i."id", i."uuid", i."st',  # the rows (second round trip, by those ids)
        'SELECT c.id, c."jour", c."heur',  # the week's slots
        'SELECT f.id, f."inscription_id',  # the week's PFMP
        'SELECT a."inscription_id", a."',  # the half-days recorded
        'SELECT "entretiens_entretien".',  # the interviews
    }, vues
    assert not any(dedans for debut, dedans in vues.items() if "django_session" in debut)


def test_le_referent_qui_choisit_une_campagne_lit_ses_ids_apres_les_campagnes(cast, client_de):
    """With `?campagne=<session>`, the ids are of that campaign, known once the campaigns are read: they go out
    after them, and the page shows only that campaign's parcours."""
    peupler(cast, 2)
    url = reverse("tableaux:referent") + f"?campagne={cast.campagne.session - 1}"
    autre = CampagneFactory(session=cast.campagne.session - 1)
    vues = _envoyees_ensemble(client_de(cast.referent_a), url)
    assert not any(dedans for debut, dedans in vues.items() if debut.startswith('SELECT "parcours_inscription".'))
    html = client_de(cast.referent_a).get(url).content.decode()
    assert f'<option value="{autre.session}" selected>' in html and "Parcours suivis (0)" in html


def test_le_conseiller_lit_ses_comptes_ses_parcours_et_ses_entretiens_en_un_aller_retour(cast, client_de):
    peupler(cast, 2)
    vues = _envoyees_ensemble(client_de(cast.conseiller_a), reverse("tableaux:conseiller"))
    ensemble = {debut for debut, dedans in vues.items() if dedans}
    assert {debut[:30] for debut in ensemble} == {
        'SELECT "avenirpro_campagne"."i',  # the campaigns
        'SELECT "avenirpro_etablissemen',  # the names of the lycées covered
        'SELECT "eleves_jeune"."etablis',  # the young people per lycée (of the newest campaign, read in SQL)
        'SELECT "parcours_inscription".',  # the followed parcours' ids
        'SELECT "entretiens_entretien".',  # the interviews
    }, vues
    # the page's rows are read after, by the ids of the page
    assert any(debut.startswith('SELECT i."id"') and not dedans for debut, dedans in vues.items())


def test_le_chef_lit_les_noms_et_les_chiffres_de_ses_lycees_en_un_aller_retour(cast, client_de):
    peupler(cast, 2)
    vues = _envoyees_ensemble(client_de(cast.chef_a), reverse("tableaux:chef"))
    ensemble = {debut for debut, dedans in vues.items() if dedans}
    noms, chiffres = 'SELECT "avenirpro_etablissemen', "WITH rep AS ( SELECT j.etablis"
    assert {debut[:30] for debut in ensemble} == {noms, chiffres}, vues


@pytest.mark.django_db(transaction=True)
def test_les_absences_de_la_semaine_et_les_jeunes_d_un_lycee_se_lisent_dans_leurs_index(cast):
    """The unexcused absences of each row's week read the partial index of those absences (its condition written in
    the statement, so that the plan made once for any parameters can use it), and the chef's figures read the
    young people of a lycée from the index of their ids, not from the table, on tables vacuumed as in production."""
    from tableaux import lignes
    from tableaux.statistiques import _sql_chiffres

    ids = [i.pk for i in peupler(cast, 3)]
    for i in Inscription.objects.filter(pk__in=ids):
        for jours in (40, 20, 5):
            PointSuivi.objects.create(
                inscription=i, date=timezone.localdate() - datetime.timedelta(days=jours), contenu="Point"
            )
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) eleves_jeune, parcours_presence, parcours_pointsuivi")
    lundi = lundi_courant()
    with transaction.atomic():
        plan = _plan(lignes._sql_lignes(), {"ids": ids, "lundi": lundi, "dimanche": lundi + datetime.timedelta(6)})
        assert "Index Only Scan using presence_absences_idx" in plan, plan
        # each row's last follow-up point: the first entry of the parcours in the index, no sort of its points
        assert "Index Only Scan using point_dernier_idx" in plan, plan
        assert "'absent_non_justifie'" in lignes._sql_lignes()
        plan = _plan(*_sql_chiffres(cast.campagne, cast.lycee_a.pk, timezone.localdate()))
        assert plan.count("Index Only Scan using jeune_etablissement_ids_idx") == 3, plan
