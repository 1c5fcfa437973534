import pytest
from playwright.sync_api import expect

from tests.tableaux.donnees import peupler

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast_e2e(donnees_reference, cast):
    peupler(cast, 6)
    return cast


def test_tableau_de_bord_du_chef(page, live_server, connexion, cast_e2e):
    connexion(page, cast_e2e.chef_a)
    page.get_by_role("link", name="Tableau de bord", exact=True).first.click()
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Du repérage à la sortie")).to_be_visible()
    page.get_by_text("Voir les données sous forme de tableau").first.click()
    expect(page.get_by_role("cell", name="6").first).to_be_visible()
    page.screenshot(path="test-results/tableaux-chef.png", full_page=True)
    page.get_by_role("link", name="Statistiques et exports par lycée").click()
    expect(page.get_by_role("heading", name="Pilotage")).to_be_visible()
    expect(page.get_by_role("row", name="Lycée A")).to_be_visible()


def test_ecran_du_referent(page, live_server, connexion, cast_e2e):
    connexion(page, cast_e2e.referent_a)
    page.get_by_role("link", name="Mes jeunes", exact=True).first.click()
    expect(page.get_by_role("heading", name="Parcours suivis (6)")).to_be_visible()
    expect(page.get_by_role("heading", name="Emploi du temps de la semaine")).to_be_visible()
    expect(page.get_by_text("Plafond PFMP dépassé").first).to_be_visible()
    page.screenshot(path="test-results/tableaux-referent.png", full_page=True)


def test_ecran_du_conseiller(page, live_server, connexion, cast_e2e):
    connexion(page, cast_e2e.conseiller_a)
    page.get_by_role("link", name="Mes jeunes (mission locale)", exact=True).first.click()
    expect(page.get_by_role("heading", name="Mes parcours (6)")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Lycée A", exact=True)).to_be_visible()
    page.screenshot(path="test-results/tableaux-conseiller.png", full_page=True)
