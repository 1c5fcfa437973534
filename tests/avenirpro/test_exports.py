"""Background exports (ADR 0008): the record, the job's work, the progress page and the download, the purge.

The job is run here by calling its service (`avenirpro.exports.produire_export`), as the Celery task does; the same
path through a real worker is in test_exports_worker.py and, in a browser, in test_e2e_exports.py.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from avenirpro.exports import MESSAGE_ACCES_PERDU, MESSAGE_ERREUR, produire_export
from avenirpro.models import Affectation, ExportFichier, JournalAcces
from rgpd.retention import purger_exports
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = pytest.mark.django_db

URL_CSV = reverse("eleves:export", kwargs={"format": "csv"})
URL_XLSX = reverse("eleves:export", kwargs={"format": "xlsx"})


@pytest.fixture
def seuil_bas(settings):
    settings.EXPORT_SEUIL_ARRIERE_PLAN = 3
    return settings


def _jeunes(cast, n, lycee=None, **kw):
    return [
        ReperageFactory(
            jeune=JeuneFactory(etablissement=lycee or cast.lycee_a, nom=f"NOM{i:03d}", prenoms="Léa"),
            campagne=cast.campagne,
            **kw,
        )
        for i in range(n)
    ]


def _demander(client, url, params=None):
    """POST the list's export button; returns the ExportFichier the view recorded."""
    avant = set(ExportFichier.objects.values_list("pk", flat=True))
    rep = client.post(url + (f"?{params}" if params else ""))
    assert rep.status_code == 302
    fichier = ExportFichier.objects.exclude(pk__in=avant).get()
    assert rep["Location"] == reverse("exports:detail", kwargs={"uuid": fichier.uuid})
    return fichier


# --- The job ---------------------------------------------------------------------------------------------------


def test_la_progression_est_enregistree_toutes_les_n_lignes(cast, client_de, seuil_bas):
    _jeunes(cast, 23)
    fichier = _demander(client_de(cast.chef_a), URL_CSV)
    assert (fichier.statut, fichier.progression, fichier.nombre_lignes) == ("en_attente", 0, None)

    with CaptureQueriesContext(connection) as requetes:
        produire_export(fichier.pk, pas=5)

    # The progression written by the job, in order: one UPDATE every 5 rows (5, 10, 15, 20 of 23), then 100 %.
    ecrites = [
        int(m.group(1))
        for q in requetes.captured_queries
        if q["sql"].startswith('UPDATE "avenirpro_exportfichier"')
        for m in [re.search(r'"progression" = (\d+)', q["sql"])]
        if m
    ]
    assert ecrites == [0, 21, 43, 65, 86, 100]
    fichier.refresh_from_db()
    assert fichier.statut == "termine" and fichier.progression == 100
    assert fichier.nombre_lignes == 23 and fichier.termine_le is not None
    assert len(list(csv.reader(io.StringIO(bytes(fichier.contenu).decode("utf-8-sig")), delimiter=";"))) == 24


def test_le_fichier_est_celui_de_l_export_direct_avec_les_memes_filtres(cast, client_de, settings):
    _jeunes(cast, 6, diplome="bac_pro")
    _jeunes(cast, 4, diplome="cap")
    _jeunes(cast, 3, lycee=cast.lycee_b, diplome="bac_pro")  # another lycée: never in chef_a's file
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a, nom="=SOMME(A1)"), campagne=cast.campagne,
                    diplome="bac_pro")  # fmt: skip
    c = client_de(cast.chef_a)
    filtres = "diplome=bac_pro&page=2"  # the page number is not a filter

    settings.EXPORT_SEUIL_ARRIERE_PLAN = 1000
    direct_csv = c.get(URL_CSV + f"?{filtres}").getvalue()
    direct_xlsx = c.get(URL_XLSX + f"?{filtres}").getvalue()
    settings.EXPORT_SEUIL_ARRIERE_PLAN = 3
    en_csv = _demander(c, URL_CSV, filtres)
    en_xlsx = _demander(c, URL_XLSX, filtres)
    assert en_csv.filtres == {"diplome": ["bac_pro"]}
    produire_export(en_csv.pk)
    produire_export(en_xlsx.pk)
    en_csv.refresh_from_db()
    en_xlsx.refresh_from_db()

    assert bytes(en_csv.contenu) == direct_csv
    texte = direct_csv.decode("utf-8-sig")
    assert texte.count("\r\n") == 8 and "'=SOMME(A1)" in texte  # header + 7 rows, formula neutralised
    valeurs = lambda octets: [  # noqa: E731
        [c.value for c in ligne] for ligne in openpyxl.load_workbook(io.BytesIO(octets)).active.iter_rows()
    ]
    assert valeurs(bytes(en_xlsx.contenu)) == valeurs(direct_xlsx)
    assert len(valeurs(direct_xlsx)) == 8 and en_xlsx.nombre_lignes == 7


def test_un_export_termine_n_est_pas_refait_et_un_export_interrompu_reprend(cast, client_de, seuil_bas):
    _jeunes(cast, 5)
    c = client_de(cast.chef_a)
    fichier = _demander(c, URL_CSV)
    produire_export(fichier.pk)
    fichier.refresh_from_db()
    contenu, termine_le = bytes(fichier.contenu), fichier.termine_le
    _jeunes(cast, 2, lycee=cast.lycee_a)
    produire_export(fichier.pk)  # the message delivered twice: nothing rewritten
    fichier.refresh_from_db()
    assert bytes(fichier.contenu) == contenu and fichier.termine_le == termine_le and fichier.nombre_lignes == 5

    # A worker killed half-way leaves the export «en cours»: the job delivered again starts from the first row.
    interrompu = _demander(c, URL_CSV)
    ExportFichier.objects.filter(pk=interrompu.pk).update(statut="en_cours", progression=40, nombre_lignes=7)
    produire_export(interrompu.pk)
    interrompu.refresh_from_db()
    assert interrompu.statut == "termine" and interrompu.nombre_lignes == 7


def test_acces_perdu_entre_la_demande_et_le_travail_echec_avec_message(cast, client_de, seuil_bas):
    _jeunes(cast, 5)
    fichier = _demander(client_de(cast.chef_a), URL_CSV)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    Affectation.objects.filter(utilisateur=cast.chef_a).update(date_debut=hier - datetime.timedelta(days=9),
                                                               date_fin=hier)  # fmt: skip
    produire_export(fichier.pk)
    fichier.refresh_from_db()
    assert fichier.statut == "echec" and fichier.contenu is None
    assert fichier.message == MESSAGE_ACCES_PERDU and fichier.message.startswith("Vous n'avez plus accès")


def test_erreur_technique_echec_avec_message_en_francais(cast, client_de, seuil_bas, caplog):
    _jeunes(cast, 5)
    fichier = _demander(client_de(cast.chef_a), URL_CSV)
    # The list's declaration is gone (a deployment removed it) while the job waited in the queue.
    ExportFichier.objects.filter(pk=fichier.pk).update(export="liste-disparue")
    produire_export(fichier.pk)
    fichier.refresh_from_db()
    assert fichier.statut == "echec" and fichier.message == MESSAGE_ERREUR
    assert "n'a pas pu être préparé" in fichier.message
    assert "en échec" in caplog.text
    page = client_de(cast.chef_a).get(reverse("exports:detail", kwargs={"uuid": fichier.uuid})).content.decode()
    assert MESSAGE_ERREUR.replace("'", "&#x27;") in page and "L'export a échoué." in page


# --- The views: threshold, progress page, download -------------------------------------------------------------


def test_sous_le_seuil_l_export_reste_un_telechargement_direct(cast, client_de, seuil_bas):
    _jeunes(cast, 3)
    c = client_de(cast.chef_a)
    page = c.get(reverse("eleves:liste")).content.decode()
    assert f'href="{URL_CSV}"' in page and "fr-icon-download-line" in page and "arrière-plan" not in page
    rep = c.get(URL_CSV)
    assert rep.streaming and rep["Content-Type"].startswith("text/csv")
    assert not ExportFichier.objects.exists()
    assert JournalAcces.objects.filter(utilisateur=cast.chef_a, action="export", nombre=3).count() == 1


def test_au_dessus_du_seuil_le_bouton_demande_un_export_en_arriere_plan(
    cast, client_de, seuil_bas, django_capture_on_commit_callbacks
):
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    page = c.get(reverse("eleves:liste"), {"diplome": "cap"}).content.decode()
    # Links only in the list (it may be kept in the cache: no CSRF token there).
    assert f'href="{URL_XLSX}?diplome=cap"' in page and f'action="{URL_XLSX}' not in page
    assert "4 lignes : le fichier sera préparé en arrière-plan" in page

    # The link (a GET never writes) leads to a page whose button prepares the file, with the list's filters.
    rep = c.get(URL_XLSX, {"diplome": "cap"})
    texte = rep.content.decode()
    assert rep.status_code == 200 and "Cette liste compte 4 lignes" in texte and "Préparer le fichier XLSX" in texte
    assert f'<form method="post" action="{URL_XLSX}?diplome=cap">' in texte and "csrfmiddlewaretoken" in texte
    assert not ExportFichier.objects.exists() and not JournalAcces.objects.filter(action="export").exists()

    with django_capture_on_commit_callbacks() as envois:
        fichier = _demander(c, URL_XLSX, "diplome=cap")
    assert len(envois) == 1  # the job goes to Celery after the commit (avenirpro.taches.envoyer)
    assert (fichier.proprietaire, fichier.export, fichier.format) == (cast.chef_a, "jeunes-sans-solution", "xlsx")
    assert fichier.libelle == "Liste des jeunes sans solution" and fichier.nom_fichier.endswith(".xlsx")
    # Journaled when the file leaves the server, not when it is asked for.
    assert not JournalAcces.objects.filter(action="export").exists()


def test_page_de_progression_puis_lien_de_telechargement_journalise(cast, client_de, seuil_bas):
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    fichier = _demander(c, URL_CSV)
    url = reverse("exports:detail", kwargs={"uuid": fichier.uuid})
    page = c.get(url).content.decode()
    assert '<progress id="export-barre" class="ap-progression" max="100" value="0">0 %</progress>' in page
    assert 'id="export-annonce"' in page and 'role="status"' in page
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page and "htmx-2.min.js" in page
    assert "Télécharger" not in page

    ExportFichier.objects.filter(pk=fichier.pk).update(statut="en_cours", progression=42, nombre_lignes=4)
    fragment = c.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200  # htmx keeps polling
    texte = fragment.content.decode()
    assert "<html" not in texte and 'value="42"' in texte and "42 %" in texte
    assert '<p id="export-annonce" hx-swap-oob="innerHTML">Préparation du fichier : 42 %.</p>' in texte

    produire_export(fichier.pk)
    fragment = c.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 286  # htmx stops polling, and shows the link
    lien = reverse("exports:telecharger", kwargs={"uuid": fichier.uuid})
    assert (
        f'href="{lien}"' in fragment.content.decode() and "Le fichier est prêt (4 lignes)" in fragment.content.decode()
    )
    page = c.get(url).content.decode()
    assert "hx-get" not in page and "htmx-2.min.js" not in page and f'href="{lien}"' in page

    rep = c.get(lien)
    assert rep.status_code == 200 and rep["Content-Type"] == "text/csv; charset=utf-8"
    assert rep["Content-Disposition"] == f'attachment; filename="{fichier.nom_fichier}"'
    assert rep["Cache-Control"] == "no-store" and rep.content.decode("utf-8-sig").count("NOM00") == 4
    entree = JournalAcces.objects.get(action="export")
    assert (entree.utilisateur, entree.objet, entree.nombre) == (
        cast.chef_a,
        "Liste des jeunes sans solution (CSV)",
        4,
    )


def test_un_double_clic_ne_prepare_qu_un_fichier(cast, client_de, seuil_bas, django_capture_on_commit_callbacks):
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    with django_capture_on_commit_callbacks() as envois:
        premier = _demander(c, URL_CSV, "diplome=cap")
        rep = c.post(URL_CSV + "?diplome=cap")
    assert rep["Location"] == reverse("exports:detail", kwargs={"uuid": premier.uuid}) and len(envois) == 1
    assert ExportFichier.objects.count() == 1
    # Other filters, another format, or the first one over: a new file.
    autres = [_demander(c, URL_CSV), _demander(c, URL_XLSX, "diplome=cap")]
    produire_export(premier.pk)
    autres.append(_demander(c, URL_CSV, "diplome=cap"))
    assert len({premier.pk, *(f.pk for f in autres)}) == 4


def test_la_page_cesse_de_s_actualiser_quand_l_attente_dure(cast, client_de, seuil_bas):
    """Each poll extends the login session: a job no worker takes must not keep a forgotten page logged in."""
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    fichier = _demander(c, URL_CSV)
    url = reverse("exports:detail", kwargs={"uuid": fichier.uuid})
    assert c.get(url, headers={"HX-Request": "true"}).status_code == 200
    ExportFichier.objects.filter(pk=fichier.pk).update(cree_le=timezone.now() - datetime.timedelta(minutes=36))
    fragment = c.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 286 and "ne se met plus à jour" in fragment.content.decode()
    page = c.get(url).content.decode()
    assert "hx-get" not in page and "htmx-2.min.js" not in page and "Actualiser" in page


@pytest.mark.parametrize("intrus", ["chef_b", "referent_a", "admin", "sans_role"])
def test_la_page_et_le_fichier_d_un_autre_repondent_404(cast, client_de, seuil_bas, intrus):
    _jeunes(cast, 4)
    fichier = _demander(client_de(cast.chef_a), URL_CSV)
    produire_export(fichier.pk)
    c = client_de(getattr(cast, intrus))
    for nom in ("exports:detail", "exports:telecharger"):
        assert c.get(reverse(nom, kwargs={"uuid": fichier.uuid})).status_code == 404
        assert c.get(reverse(nom, kwargs={"uuid": fichier.uuid}), headers={"HX-Request": "true"}).status_code == 404
    assert not JournalAcces.objects.filter(action="export").exists()


def test_un_fichier_pas_encore_pret_ne_se_telecharge_pas(cast, client_de, seuil_bas):
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    fichier = _demander(c, URL_CSV)
    assert c.get(reverse("exports:telecharger", kwargs={"uuid": fichier.uuid})).status_code == 404


def test_nombre_de_requetes_de_la_page_d_export(cast, client_de, seuil_bas, django_assert_num_queries):
    """The page reads its export once, without the file (polled every two seconds); other exports cost nothing."""
    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    fichier = _demander(c, URL_CSV)
    produire_export(fichier.pk)
    url = reverse("exports:detail", kwargs={"uuid": fichier.uuid})
    c.get(url)  # warm-up: the session's idle timer and the DSFR settings are then kept a minute
    with CaptureQueriesContext(connection) as q:
        assert c.get(url).status_code == 200
    requetes = q.captured_queries  # read now: the next request empties the connection's log
    assert not any('"contenu"' in r["sql"] for r in requetes if "avenirpro_exportfichier" in r["sql"])
    for _ in range(49):
        produire_export(_demander(c, URL_CSV).pk)
    c.get(url)
    # Session, user, the user's roles (access), the export; the layout's notification bell.
    with django_assert_num_queries(5):
        assert c.get(url).status_code == 200
    with django_assert_num_queries(4):  # the htmx fragment: no layout, so no bell
        assert c.get(url, headers={"HX-Request": "true"}).status_code == 286
    assert len(requetes) == 5


# --- Purge --------------------------------------------------------------------------------------------------


def test_les_fichiers_sont_purges_apres_24_heures(cast, client_de, seuil_bas):
    from avenirpro.celery import app

    _jeunes(cast, 4)
    c = client_de(cast.chef_a)
    ancien = _demander(c, URL_CSV)
    produire_export(ancien.pk)
    recent = _demander(c, URL_CSV)
    ExportFichier.objects.filter(pk=ancien.pk).update(cree_le=timezone.now() - datetime.timedelta(hours=25))
    assert purger_exports() == 1
    assert list(ExportFichier.objects.all()) == [recent]
    assert c.get(reverse("exports:detail", kwargs={"uuid": ancien.uuid})).status_code == 404
    assert purger_exports(timezone.now() + datetime.timedelta(hours=24, minutes=1)) == 1
    # Run every hour by beat.
    planifiee = [t for t in app.conf.beat_schedule.values() if t["task"] == "avenirpro.tasks.purger_exports"]
    assert len(planifiee) == 1 and "avenirpro.tasks.purger_exports" in app.tasks
