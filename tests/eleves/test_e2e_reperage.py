"""Browser: a chef uploads a Windows-1252 `;` file with three bad rows, reads the errors, fixes the file, confirms,
filters the list and logs a contact."""

import re

import pytest
from playwright.sync_api import expect

from avenirpro.models import Role
from eleves.models import Contact, Jeune
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory, avec_role
from tests.eleves.fichiers import csv_octets, ligne

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_corrige_puis_liste_et_contact(page, live_server, connexion):
    lycee = EtablissementFactory()
    CampagneFactory()
    chef = avec_role(Role.CHEF, etablissement=lycee, first_name="Claire", email="claire@test.fr")
    bonnes = [ligne(i) for i in range(1, 6)]
    bonnes[0].update(NOM="LEFÈVRE", PRENOMS="Zoé")
    mauvaises = [
        ligne(6, INE="12AB"),
        ligne(7, **{"DATE NAISSANCE": "31/02/2007"}),
        ligne(8, DIPLOME="BTS"),
    ]
    connexion(page, chef)

    page.goto(f"{live_server.url}/jeunes/import/")
    page.get_by_label("Fichier des résultats").set_input_files(
        {"name": "resultats.csv", "mimeType": "text/csv", "buffer": csv_octets(bonnes + mauvaises, encodage="cp1252")}
    )
    page.get_by_role("button", name="Analyser le fichier").click()
    expect(page.locator("#compte-erreurs")).to_have_text("3")
    erreurs = page.locator("#erreurs tbody tr")
    expect(erreurs).to_have_count(3)
    expect(erreurs.nth(0)).to_contain_text("INE invalide")
    expect(erreurs.nth(1)).to_contain_text("Date invalide")
    expect(erreurs.nth(2)).to_contain_text("Valeur inconnue")
    page.screenshot(path="test-results/eleves-import-erreurs.png", full_page=True)
    assert not Jeune.objects.exists()

    # the corrected file
    corrigees = [ligne(6), ligne(7), ligne(8)]
    page.get_by_role("link", name="Déposer un autre fichier").click()
    page.get_by_label("Fichier des résultats").set_input_files(
        {"name": "resultats.csv", "mimeType": "text/csv", "buffer": csv_octets(bonnes + corrigees, encodage="cp1252")}
    )
    page.get_by_role("button", name="Analyser le fichier").click()
    expect(page.locator("#compte-nouveaux")).to_have_text("8")
    expect(page.locator("#compte-erreurs")).to_have_text("0")
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé")).to_be_visible()
    assert Jeune.objects.count() == 8 and Jeune.objects.get(nom="LEFÈVRE").prenoms == "Zoé"

    # the worklist, filtered by a name typed without accents
    page.get_by_role("link", name="Voir la liste des jeunes").click()
    page.get_by_label("Nom ou prénom").fill("lefevre")
    page.get_by_role("button", name="Filtrer").click()
    lignes = page.locator("table tbody tr")
    expect(lignes).to_have_count(1)
    page.screenshot(path="test-results/eleves-liste.png", full_page=True)
    page.get_by_role("link", name=re.compile("LEFÈVRE")).click()

    # log a contact
    page.get_by_label("Date et heure").fill("2026-07-02T10:30")
    page.get_by_label("Canal").select_option("telephone")
    page.get_by_label("Résultat").select_option("interesse")
    page.get_by_label("Relais estival").select_option("mission_locale")
    page.get_by_label("Note").fill("Intéressée par AvenirPro+, rappeler fin août.")
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.get_by_text("Contact enregistré.")).to_be_visible()
    expect(page.get_by_text("rappeler fin août")).to_be_visible()
    page.screenshot(path="test-results/eleves-detail-contact.png", full_page=True)
    c = Contact.objects.get()
    assert c.issue == "interesse" and c.auteur == chef
    assert c.jeune.reperages.get().statut_contact == "interesse"
