"""Browser test: the chef reopens a closed parcours from «Bilan et sortie», with a reason (ADR 0012); the exit is
cleared and the page has no serious or critical accessibility violation."""

import datetime

import pytest
from playwright.sync_api import expect

from parcours import services
from parcours.models import Inscription
from tests.e2e.test_accessibilite import AXE, GRAVES, _axe
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date


@pytest.fixture
def page(browser):
    """A page that lets axe-core be injected (the app's CSP forbids inline scripts)."""
    contexte = browser.new_context(
        bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900}
    )
    yield contexte.new_page()
    contexte.close()


def test_le_chef_rouvre_un_parcours_clos(page, live_server, connexion, cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom="MOREAU", prenoms="Lina")
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    i = services.inscrire(
        jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14), referent=cast.referent_a, statut="en_cours"
    )
    services.cloturer(
        inscription=i, version=i.version, date_sortie=D(2026, 12, 1), motif_sortie="abandon", situation_sortie="emploi"
    )
    connexion(page, cast.chef_a)
    page.goto(f"{live_server.url}/parcours/{i.uuid}/bilan/")
    expect(page.get_by_role("button", name="Enregistrer la sortie")).to_have_count(0)
    page.get_by_role("button", name="Rouvrir le parcours").click()
    expect(page.get_by_text("Indiquez pourquoi le parcours est rouvert.")).to_be_visible()
    assert AXE.exists()
    assert [v for v in _axe(page) if v["impact"] in GRAVES] == []
    page.get_by_label("Motif de la réouverture").fill("Sortie saisie sur le mauvais jeune")
    page.get_by_role("button", name="Rouvrir le parcours").click()
    expect(page.get_by_text("Parcours rouvert")).to_be_visible()
    page.screenshot(path="test-results/parcours-reouverture.png", full_page=True)
    i = Inscription.objects.get(pk=i.pk)
    assert (i.statut, i.date_sortie, i.motif_sortie) == ("en_cours", None, "")
