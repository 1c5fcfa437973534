"""Browser: the administrator manages lycées, a mission locale and its coverage, accounts and reads the access log."""

import pytest
from playwright.sync_api import expect

from avenirpro.models import Couverture, Etablissement, JournalAcces, Role
from tests.avenirpro.factories import avec_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_l_administrateur_gere_organisations_couverture_et_comptes(page, live_server, connexion):
    admin = avec_role(Role.ADMIN, email="admin@test.fr", first_name="Ada")
    connexion(page, admin)
    page.goto(f"{live_server.url}/administration/")

    # A lycée: a wrong UAI check letter is refused next to the field, the typed values are kept.
    page.get_by_role("link", name="Lycées").click()
    page.get_by_role("link", name="Ajouter un lycée").click()
    page.get_by_label("UAI").fill("0750654A")
    page.locator("#id_nom").fill("Lycée Gustave Eiffel")
    page.locator("#id_departement").fill("75")
    page.locator("#id_academie").fill("Paris")
    page.locator("#id_zone_vacances").select_option("C")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_uai-desc-error").get_by_text("UAI invalide")).to_be_visible()
    assert page.locator("#id_nom").input_value() == "Lycée Gustave Eiffel"
    page.get_by_label("UAI").fill("0750654d")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Lycée créé.")).to_be_visible()
    lycee = Etablissement.objects.get(uai="0750654D")

    # A mission locale, then the lycée it covers.
    page.goto(f"{live_server.url}/administration/missions-locales/")
    page.get_by_role("link", name="Ajouter une mission locale").click()
    page.locator("#id_nom").fill("Mission locale de Paris")
    page.locator("#id_email").fill("contact@ml-paris.example")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Mission locale de Paris").click()
    page.get_by_label("Lycée couvert").select_option(label=str(lycee))
    page.locator("#id_date_debut").fill("01/09/2026")
    page.get_by_role("button", name="Ajouter la couverture").click()
    expect(page.get_by_text("Couverture enregistrée.")).to_be_visible()
    assert Couverture.objects.filter(etablissement=lycee, mission_locale__nom="Mission locale de Paris").exists()
    page.screenshot(path="test-results/admin-mission-locale.png")

    # An account is deactivated from its page.
    cible = avec_role(Role.CHEF, etablissement=lycee, email="chef.eiffel@test.fr", last_name="Eiffel")
    page.goto(f"{live_server.url}/administration/comptes/?q=eiffel")
    page.get_by_role("link", name=cible.get_full_name()).click()
    page.get_by_role("button", name="Désactiver le compte").click()
    expect(page.get_by_text("Compte désactivé")).to_be_visible()
    cible.refresh_from_db()
    assert not cible.is_active
    page.screenshot(path="test-results/admin-compte.png")

    # The access log.
    JournalAcces.objects.create(utilisateur=admin, action="export", objet="Export du repérage 2026")
    page.goto(f"{live_server.url}/administration/journal/")
    page.get_by_label("Action").select_option(label="Export")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Export du repérage 2026")).to_be_visible()
    page.screenshot(path="test-results/admin-journal.png")
