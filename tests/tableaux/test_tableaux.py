import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from avenirpro.exports import contenu_csv, neutraliser
from avenirpro.models import JournalAcces
from eleves.models import Jeune
from parcours.models import Inscription
from tableaux.statistiques import chiffres
from tableaux.tasks import precalculer_pilotage
from tests.avenirpro.factories import EtablissementFactory
from tests.entretiens.factories import ReunionFactory
from tests.matrice import construire_scenario
from tests.tableaux.donnees import peupler

pytestmark = pytest.mark.django_db


# --- Figures -------------------------------------------------------------------------------------------------


def test_l_entonnoir_et_les_alertes_du_chef_comptent_ses_lycees_seulement(cast):
    peupler(cast, 3)
    peupler(cast, 2, lycee=cast.lycee_b, referent=None, conseiller=cast.conseiller_b)
    c = chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    assert (c["identifies"], c["contactes"], c["invites"], c["presents"], c["entretiens"]) == (3, 3, 3, 3, 3)
    assert (c["inscrits_apro_plus_3"], c["en_cours"], c["sortis"]) == (3, 3, 0)
    assert c["fin_proche"] == 3 and c["pfmp_signales"] == 3 and c["sans_referent"] == 0
    assert c["demi_journees"] == 3 and c["taux_assiduite"] == 0
    b = chiffres(cast.campagne, {"pk__in": [cast.lycee_b.pk]})[None]
    assert b["sans_referent"] == 2


def test_sorties_par_situation_et_duree_moyenne(cast):
    i1, i2 = peupler(cast, 2)
    for i, situation in ((i1, "emploi"), (i2, "formation")):
        Inscription.objects.filter(pk=i.pk).update(
            statut="sortie",
            date_sortie=i.date_entree + __import__("datetime").timedelta(days=30 if situation == "emploi" else 50),
            motif_sortie="solution_avant_terme",
            situation_sortie=situation,
        )
    c = chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    assert c["sortis"] == 2 and c["situation_emploi"] == 1 and c["situation_formation"] == 1
    assert c["duree_moyenne_jours"] == 40


def test_sorties_par_motif_compteur_graphique_et_export(cast, client_de):
    """ADR 0022: the exit motifs are counted like the situations, shown to the chef, exported to the pilotage."""
    inscriptions = peupler(cast, 7)
    for k, i in enumerate(inscriptions):
        Inscription.objects.filter(pk=i.pk).update(
            statut="sortie", date_sortie=i.date_entree, situation_sortie="emploi",
            motif_sortie="fin_parcours" if k < 6 else "abandon",
        )  # fmt: skip
    c = chiffres(cast.campagne, {"pk__in": [cast.lycee_a.pk]})[None]
    assert c["sortis"] == 7 and c["motif_fin_parcours"] == 6 and c["motif_abandon"] == 1
    html = client_de(cast.chef_a).get(reverse("tableaux:chef")).content.decode()
    assert "Sorties par motif" in html and 'id="titre-motifs"' in html
    r = client_de(cast.pilotage).get(reverse("tableaux:pilotage"), {"par": "lycee", "format": "csv"})
    lignes = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig")), delimiter=";"))
    lycee_a = next(ligne for ligne in lignes if ligne[next(iter(ligne))] == cast.lycee_a.nom)
    motifs = {k: v for k, v in lycee_a.items() if k.startswith("Motif de sortie : ")}
    assert len(motifs) == len(Inscription.MotifSortie)
    # 1 is a small number: masked; and the sum «Sortis» cannot give it back (another motif or «Sortis» masked).
    assert not motifs["Motif de sortie : Abandon"].isdigit()
    assert sum(not v.isdigit() for v in motifs.values()) >= 2 or not lycee_a["Sortis"].isdigit()
    # The pilotage screen shows the exits by situation and by motif too, small numbers masked there as well.
    page = client_de(cast.pilotage).get(reverse("tableaux:pilotage"), {"par": "lycee"}).content.decode()
    assert "Sorties par motif (total du périmètre)" in page and "Sorties par situation (total du périmètre)" in page
    debut = page.index('id="graphique-pilotage-motifs')
    bloc = page[debut : page.index("</figure>", debut)] if "</figure>" in page[debut:] else page[debut:]
    assert "Abandon" in bloc and "secret" in bloc


def test_le_tableau_du_chef_affiche_les_chiffres_et_un_graphique_accessible(cast, client_de):
    peupler(cast, 2)
    r = client_de(cast.chef_a).get(reverse("tableaux:chef"))
    assert r.status_code == 200
    html = r.content.decode()
    assert '<svg role="img"' in html and '<title id="graphique-entonnoir-titre">' in html
    assert "Présents à la réunion : 2" in html  # description of the chart
    assert "Voir les données sous forme de tableau" in html
    assert "Dépassements du plafond PFMP signalés" in html


def test_les_liens_des_chiffres_portent_les_filtres_de_la_liste(cast):
    from tableaux.vues import lien

    # A list not built yet gives no link (the figure is shown without one) rather than a broken page.
    assert lien("nexiste:pas", statut="x") is None
    assert lien("tableaux:pilotage", par="lycee", vide="") == "/tableaux/pilotage/?par=lycee"


def test_les_liens_gardes_suivent_la_configuration_d_adresses_en_vigueur(settings):
    """`lien` keeps its URLs per process (about forty per dashboard): for the URL configuration and the script
    prefix in force, never one built under another."""
    from django.urls import set_script_prefix

    from tableaux.vues import lien

    assert lien("tableaux:pilotage", par="lycee") == "/tableaux/pilotage/?par=lycee"
    set_script_prefix("/sous-dossier/")
    try:
        assert lien("tableaux:pilotage", par="lycee") == "/sous-dossier/tableaux/pilotage/?par=lycee"
    finally:
        set_script_prefix("/")
    settings.ROOT_URLCONF = "tests.tableaux.urls_sans_pilotage"
    assert lien("tableaux:pilotage", par="lycee") is None
    settings.ROOT_URLCONF = "avenirpro.urls"
    assert lien("tableaux:pilotage", par="lycee") == "/tableaux/pilotage/?par=lycee"


# --- Query counts: the same with 1 and with 50 rows ----------------------------------------------------------


def _requetes(client, url):
    client.get(url)  # the session is created on the first hit
    cache.clear()  # pilotage figures are cached: count the queries that compute them
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "membre"),
    [
        ("tableaux:chef", "chef_a"),
        ("tableaux:referent", "referent_a"),
        ("tableaux:conseiller", "conseiller_a"),
        ("tableaux:pilotage", "pilotage"),
        ("tableaux:pilotage", "chef_a"),
        ("accueil", "chef_a"),
        ("accueil", "referent_a"),
    ],
)
def test_nombre_de_requetes_identique_avec_1_et_50_lignes(cast, client_de, django_assert_num_queries, url, membre):
    client = client_de(getattr(cast, membre))
    reunion = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
    peupler(cast, 1, reunion=reunion)
    n = _requetes(client, reverse(url))
    peupler(cast, 49, reunion=reunion)
    cache.clear()
    with django_assert_num_queries(n):
        r = client.get(reverse(url))
    assert r.status_code == 200
    if url == "tableaux:referent":
        assert r.content.decode().count("Plafond PFMP dépassé") == 50


def test_nombre_de_requetes_du_pilotage_par_lycee(cast, client_de, django_assert_num_queries):
    client = client_de(cast.pilotage)
    url = reverse("tableaux:pilotage") + "?par=lycee"
    peupler(cast, 1)
    n = _requetes(client, url)
    for _ in range(5):
        peupler(cast, 10, lycee=EtablissementFactory(academie="Lyon"))
    cache.clear()
    with django_assert_num_queries(n):
        client.get(url)


# --- Personal screens ----------------------------------------------------------------------------------------


def test_ecran_du_referent_emploi_du_temps_assiduite_points(cast, client_de):
    peupler(cast, 1)
    autre = peupler(cast, 1, referent=cast.referent_a2)[0]
    # A name that cannot appear by chance elsewhere on the page (a random one once matched the user's own name).
    Jeune.objects.filter(pk=autre.jeune_id).update(nom="NOMDUNAUTRE", prenoms="Prenomdunautre")
    html = client_de(cast.referent_a).get(reverse("tableaux:referent")).content.decode()
    assert "Atelier CV" in html and "Parcours suivis (1)" in html
    assert "NOMDUNAUTRE" not in html and str(autre.jeune.uuid) not in html
    assert "Prochains points de suivi" in html
    assert "absences non justifiées cette semaine" not in html  # one absence, threshold 2


def test_ecran_du_conseiller_par_lycee_et_ses_parcours(cast, client_de):
    s = construire_scenario(cast)
    peupler(cast, 2)
    Jeune.objects.filter(pk=s.jeune_b.pk).update(nom="NOMDULYCEEB", prenoms="Prenomdulyceeb")
    html = client_de(cast.conseiller_a).get(reverse("tableaux:conseiller")).content.decode()
    assert "Lycée A" in html and "Lycée B" not in html
    assert "NOMDULYCEEB" not in html and str(s.jeune_b.uuid) not in html
    assert "Mes parcours (3)" in html
    assert "Mes entretiens à tenir (2)" in html


def test_l_accueil_resume_l_ecran_de_chaque_role(cast, client_de):
    peupler(cast, 2)
    html = client_de(cast.chef_a).get("/").content.decode()
    assert "Tableau de bord de l&#x27;établissement" in html and "Parcours à clôturer" in html
    html = client_de(cast.referent_a).get("/").content.decode()
    assert "Mes jeunes (référent de parcours)" in html


# --- Pilotage: no names, small numbers masked, exports journalised ------------------------------------------


def _pilotage_csv(client, **params):
    r = client.get(reverse("tableaux:pilotage"), {"format": "csv", **params})
    assert r.status_code == 200
    texte = b"".join(r.streaming_content).decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))


def test_le_pilotage_ne_montre_aucun_nom_et_masque_les_effectifs_inferieurs_a_5(cast, client_de):
    lycee_c = EtablissementFactory(nom="Lycée C", academie="Lyon")
    grands = peupler(cast, 6, lycee=lycee_c)
    petits = peupler(cast, 3)
    for k, i in enumerate(grands + petits):  # names that cannot appear by chance elsewhere on the page
        Jeune.objects.filter(pk=i.jeune_id).update(nom=f"NOMSECRET{k}", prenoms=f"PRENOMSECRET{k}")
        i.jeune.refresh_from_db()
    client = client_de(cast.pilotage)
    html = client.get(reverse("tableaux:pilotage"), {"par": "lycee"}).content.decode()
    for i in grands + petits:
        assert i.jeune.nom not in html and i.jeune.prenoms not in html and i.jeune.ine not in html
    assert "NOMSECRET" not in html and "PRENOMSECRET" not in html
    assert cast.referent_a.email not in html and cast.conseiller_a.email not in html
    assert ">secret<" in html
    lignes = _pilotage_csv(client, par="lycee")
    entetes, par_lycee = lignes[0], {ligne[0]: ligne for ligne in lignes[1:]}
    col = entetes.index("Identifiés")
    assert par_lycee["Lycée A"][col] == "secret"
    assert par_lycee["Lycée A"][entetes.index("Assiduité (%)")] == "secret"
    # 3 + 6 = 9: with the total shown, the other lycée of the bassin is masked too (secondary suppression, R12).
    assert par_lycee["Total"][col] == "9" and par_lycee["Lycée C"][col] == "secret"
    texte = " ".join(";".join(ligne) for ligne in lignes)
    assert "NOMSECRET" not in texte and "PRENOMSECRET" not in texte


def test_le_pilotage_se_limite_au_perimetre_de_l_affectation(cast, client_de):
    peupler(cast, 5, lycee=EtablissementFactory(nom="Lycée de Grenoble", academie="Grenoble"))
    peupler(cast, 5)
    lignes = _pilotage_csv(client_de(cast.pilotage), par="lycee")
    assert [ligne[0] for ligne in lignes[1:]] == ["Lycée A", "Total"]


def test_le_chef_voit_les_statistiques_de_ses_lycees(cast, client_de):
    peupler(cast, 5)
    peupler(cast, 5, lycee=cast.lycee_b, referent=None, conseiller=cast.conseiller_b)
    lignes = _pilotage_csv(client_de(cast.chef_a), par="lycee")
    assert [ligne[0] for ligne in lignes[1:]] == ["Lycée A", "Total"]


def test_exports_csv_et_xlsx_journalises(cast, client_de):
    peupler(cast, 5)
    client = client_de(cast.pilotage)
    _pilotage_csv(client, par="departement")
    r = client.get(reverse("tableaux:pilotage"), {"format": "xlsx", "par": "bassin"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    feuille = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    lignes = list(feuille.values)
    assert lignes[0][0] == "Bassin" and lignes[1][0] == "Lyon Est" and lignes[1][1] == 5
    journal = list(JournalAcces.objects.filter(utilisateur=cast.pilotage, action="export"))
    assert len(journal) == 2 and "Statistiques de pilotage" in journal[0].objet


# --- Shared export helper ------------------------------------------------------------------------------------


def test_le_csv_partage_neutralise_les_formules_et_porte_un_bom():
    texte = contenu_csv(["Nom", "Note"], [['=HYPERLINK("x")', -3], ["+33 6", "@SUM(A1)"], ["Dupont; fils", None]])
    assert texte.startswith("\ufeffNom;Note\r\n")
    assert "'=HYPERLINK" in texte and "'+33 6" in texte and "'@SUM(A1)" in texte
    assert ";-3\r\n" in texte  # a number is not a formula
    assert '"Dupont; fils";' in texte
    assert neutraliser("-1+1") == "'-1+1"


def test_les_chiffres_de_pilotage_sont_gardes_deux_minutes_en_cache(cast, client_de):
    peupler(cast, 6)
    client = client_de(cast.pilotage)
    cache.clear()
    premier = _pilotage_csv(client, par="lycee")
    peupler(cast, 1)
    assert _pilotage_csv(client, par="lycee") == premier  # same figures within the cache's lifetime
    cache.clear()
    assert _pilotage_csv(client, par="lycee") != premier


def _principal(reponse) -> str:
    """The page's main block (the layout around it carries a per-request nonce)."""
    html = reponse.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_le_bloc_du_pilotage_est_rendu_une_fois_par_tableau_perimetre_et_regroupement(cast, client_de):
    """The pilotage page's main block is kept by the process for the table it was drawn from (its stamp), the
    lycées of the scope and the grouping: the same page again reads no figures and renders the same HTML; a new
    table, another grouping or a new lycée in the scope draws it again."""
    peupler(cast, 6)
    client = client_de(cast.pilotage)
    url = reverse("tableaux:pilotage")
    cache.clear()
    reponse = client.get(url, {"par": "lycee"})
    premier = _principal(reponse)
    assert "Lycée A" in premier and "tableaux/_pilotage.html" in [g.name for g in reponse.templates]
    reponse = client.get(url, {"par": "lycee"})
    assert _principal(reponse) == premier
    assert "tableaux/_pilotage.html" not in [g.name for g in reponse.templates]  # not rendered again
    # Another grouping: another block, from the same table.
    assert "Lyon Est" in client.get(url, {"par": "bassin"}).content.decode()
    # A new lycée of the académie with figures, once the table is recomputed: drawn again, with it.
    peupler(cast, 6, lycee=EtablissementFactory(nom="Lycée de Vienne", academie="Lyon"))
    assert "Lycée de Vienne" not in client.get(url, {"par": "lycee"}).content.decode()  # same table (kept)
    cache.clear()
    assert "Lycée de Vienne" in client.get(url, {"par": "lycee"}).content.decode()


def test_le_bloc_du_pilotage_suit_les_lycees_du_perimetre_au_tableau_suivant(cast, client_de):
    """A lycée that leaves the académie leaves the page with the next table (the beat's, a minute at most), like
    the figures; never in an export, which reads the scope at once."""
    peupler(cast, 6)
    lycee = EtablissementFactory(nom="Lycée de Vienne", academie="Lyon")
    peupler(cast, 6, lycee=lycee)
    client = client_de(cast.pilotage)
    url = reverse("tableaux:pilotage")
    cache.clear()
    assert "Lycée de Vienne" in client.get(url, {"par": "lycee"}).content.decode()
    lycee.academie = "Grenoble"
    lycee.save(update_fields=["academie"])
    assert [ligne[0] for ligne in _pilotage_csv(client, par="lycee")[1:]] == ["Lycée A", "Total"]
    assert precalculer_pilotage() is True  # the beat's next table
    assert "Lycée de Vienne" not in client.get(url, {"par": "lycee"}).content.decode()
