"""Browser test: a référent builds a parcours, the gauge refuses a PFMP over the cap, a week of attendance,
the bilan and the exit, and the PDF bilan checked through pdftotext."""

import datetime
import re
import subprocess

import pytest
from playwright.sync_api import expect

from parcours import services
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date


def test_le_referent_construit_suit_et_cloture_un_parcours(page, live_server, connexion, cast, tmp_path):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom="LEROY", prenoms="Inès", ine="070707070AB")
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    inscription = services.inscrire(
        jeune=jeune,
        campagne=cast.campagne,
        date_entree=D(2026, 9, 14),
        referent=cast.referent_a,
        conseiller=cast.conseiller_a,
        statut="en_cours",
        numero_imilo="2026-17",
    )
    base = f"{live_server.url}/parcours/{inscription.uuid}"
    connexion(page, cast.referent_a)
    page.goto(f"{base}/")
    expect(page.get_by_test_id("dates-parcours")).to_contain_text("13/01/2027")

    # Two actions
    page.get_by_role("link", name="Actions", exact=True).click()
    for intitule, type_, debut, fin in (
        ("Atelier CV et lettre de motivation", "tre", "2026-09-21", "2026-10-16"),
        ("Remobilisation MLDS", "mlds", "2026-10-05", "2026-12-18"),
    ):
        page.locator("[name=type]").select_option(type_)
        page.locator("[name=intitule]").fill(intitule)
        page.locator("[name=date_debut]").fill(debut)
        page.locator("[name=date_fin]").fill(fin)
        page.locator("[name=heures_hebdo]").fill("6")
        page.get_by_role("button", name="Ajouter l'action").click()
        expect(page.get_by_role("link", name=intitule)).to_be_visible()

    # A PFMP, then one over the cap: refused with the gauge unchanged
    page.get_by_role("link", name="PFMP", exact=True).click()
    page.locator("[name=entreprise]").fill("Boulangerie Martin")
    page.locator("[name=siret]").fill("73282932000074")
    page.locator("[name=date_debut]").fill("2026-11-02")
    page.locator("[name=date_fin]").fill("2026-11-13")
    page.get_by_role("button", name="Ajouter la période").click()
    expect(page.get_by_test_id("jauge-pfmp")).to_contain_text("PFMP : 9 j / 56 j autorisés")
    page.locator("[name=entreprise]").fill("Garage du Centre")
    page.locator("[name=date_debut]").fill("2026-09-14")
    page.locator("[name=date_fin]").fill("2027-01-13")
    page.get_by_role("button", name="Ajouter la période").click()
    expect(page.get_by_text(re.compile(r"Plafond dépassé : .* 85 j pour 56 j autorisés"))).to_be_visible()
    expect(page.get_by_test_id("jauge-pfmp")).to_contain_text("PFMP : 9 j / 56 j autorisés")
    expect(page.locator("[name=entreprise]")).to_have_value("Garage du Centre")
    page.screenshot(path="test-results/parcours-pfmp-plafond.png", full_page=True)

    # A week of attendance in a few clicks
    page.goto(f"{base}/assiduite/?semaine=2026-11-02")
    page.locator("[name=statut_20261103_matin]").select_option("absent_justifie")
    page.locator("[name=motif_20261103_matin]").fill("Rendez-vous médical")
    page.get_by_role("button", name=re.compile("Tout présent")).click()
    expect(page.get_by_text("Assiduité de la semaine enregistrée (10 demi-journées).")).to_be_visible()
    expect(page.get_by_test_id("taux-semaine")).to_have_text("90 %")
    page.screenshot(path="test-results/parcours-assiduite.png", full_page=True)

    # Bilan and exit
    page.get_by_role("link", name="Bilan et sortie").click()
    page.locator("[name=date_entretien]").fill("2026-12-16")
    page.locator("[name=observations]").fill("Inès a trouvé un contrat d'apprentissage en boulangerie.")
    page.get_by_role("button", name="Enregistrer le bilan").click()
    expect(page.get_by_text("Bilan enregistré.")).to_be_visible()
    page.locator("[name=date_sortie]").fill("2026-12-18")
    page.locator("[name=motif_sortie]").select_option("solution_avant_terme")
    page.get_by_role("button", name="Enregistrer la sortie").click()
    expect(page.get_by_text("Indiquez la situation à la sortie")).to_be_visible()
    page.locator("[name=date_sortie]").fill("2026-12-18")
    page.locator("[name=motif_sortie]").select_option("solution_avant_terme")
    page.locator("[name=situation_sortie]").select_option("formation")
    page.get_by_role("button", name="Enregistrer la sortie").click()
    expect(page.get_by_text("Sortie du dispositif enregistrée.")).to_be_visible()
    page.get_by_role("button", name="Transmettre au chef d'établissement").click()
    expect(page.get_by_text("Bilan transmis au chef d'établissement.")).to_be_visible()
    page.screenshot(path="test-results/parcours-bilan.png", full_page=True)

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le bilan (PDF)").click()
    chemin = tmp_path / "bilan.pdf"
    telechargement.value.save_as(chemin)
    texte = subprocess.run(
        ["pdftotext", "-layout", str(chemin), "-"], capture_output=True, text=True, check=True
    ).stdout
    texte = " ".join(texte.split())
    for attendu in (
        "Bilan de parcours AvenirPro+",
        "LEROY Inès",
        "APRO PLUS 3 – AVENIR PRO PLUS NIVEAU 3",
        "du 14/09/2026 au 18/12/2026",
        "Atelier CV et lettre de motivation",
        "Remobilisation MLDS",
        "Boulangerie Martin",
        "jours effectués : 4,5 – gratification : 67,50 €",
        "Taux d'assiduité : 90 %",
        "Motif de sortie : Solution trouvée avant terme",
        "Situation à la sortie : Formation (dont apprentissage)",
        "contrat d'apprentissage en boulangerie",
        "dossier I-Milo 202617",
        "Le référent de parcours",
    ):
        assert attendu in texte, f"« {attendu} » absent du PDF : {texte[:1500]}"
    assert cast.chef_a.notifications.count() == 1
