"""Browser: a chef exports a filtered list longer than the threshold and confirms; the progress page waits for the
worker, follows its progression by itself (htmx), then offers the file, which downloads and is journaled."""

import re

import pytest
from playwright.sync_api import expect

from avenirpro.models import ExportFichier, JournalAcces
from tests.avenirpro.test_exports import _jeunes
from tests.avenirpro.test_exports_worker import worker

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_export_en_arriere_plan_jusqu_au_telechargement(page, live_server, connexion, cast, settings, tmp_path):
    settings.EXPORT_SEUIL_ARRIERE_PLAN = 5
    settings.EXPORT_PAS_PROGRESSION = 2
    _jeunes(cast, 8, diplome="bac_pro")
    _jeunes(cast, 2, diplome="cap")
    connexion(page, cast.chef_a)

    page.goto(f"{live_server.url}/jeunes/?diplome=bac_pro")
    expect(page.get_by_text("8 lignes : le fichier sera préparé en arrière-plan")).to_be_visible()
    page.get_by_role("link", name="Exporter en CSV").click()
    expect(page.get_by_text("Cette liste compte 8 lignes")).to_be_visible()
    page.get_by_role("button", name="Préparer le fichier CSV").click()

    # No worker yet: the export waits, and its page says so.
    page.wait_for_url(re.compile(r"/exports/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Export : Liste des jeunes sans solution (CSV)")
    expect(page.get_by_role("status")).to_have_text("Export en attente : sa préparation va commencer.")
    expect(page.get_by_role("progressbar", name="Progression")).to_have_attribute("value", "0")
    expect(page.locator("#export-pourcentage")).to_have_text("0 %")
    page.screenshot(path="test-results/exports-progression.png", full_page=True)
    fichier = ExportFichier.objects.get()
    assert fichier.statut == "en_attente" and fichier.filtres == {"diplome": ["bac_pro"]}

    # A worker starts: the page updates itself (no reload) and offers the file.
    with worker():
        lien = page.get_by_role("link", name="Télécharger le fichier CSV")
        expect(lien).to_be_visible(timeout=30_000)
    expect(page.get_by_role("status")).to_have_text("Le fichier est prêt (8 lignes).")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    page.screenshot(path="test-results/exports-pret.png", full_page=True)

    with page.expect_download() as attente:
        lien.click()
    telechargement = attente.value
    assert re.fullmatch(r"jeunes-sans-solution-\d{4}-\d{2}-\d{2}\.csv", telechargement.suggested_filename)
    chemin = tmp_path / telechargement.suggested_filename
    telechargement.save_as(chemin)
    texte = chemin.read_bytes().decode("utf-8-sig")
    assert texte.startswith("INE;Nom;Prénoms") and texte.count("\r\n") == 9 and "Baccalauréat" in texte
    assert JournalAcces.objects.filter(
        utilisateur=cast.chef_a, action="export", objet="Liste des jeunes sans solution (CSV)", nombre=8
    ).exists()
