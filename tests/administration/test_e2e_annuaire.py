"""The partners' directory in a browser: the counsellor finds a CIO and opens a mission locale's details."""

import pytest
from playwright.sync_api import expect

from avenirpro.models import Structure
from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_annuaire(page_csp_libre, live_server, cast, donnees_reference):  # noqa: F811
    page = page_csp_libre
    Structure.objects.create(nom="CIO de Villeurbanne", type="cio", commune="Villeurbanne", contact_nom="Mme Roux")
    Structure.objects.create(nom="La Fabrique", type="tiers_lieu", commune="Vaulx-en-Velin")
    _connecter(page, live_server, cast.conseiller_a)
    page.get_by_role("link", name="Annuaire", exact=True).first.click()
    page.get_by_label("Nom, commune ou contact").fill("villeurbanne")
    page.get_by_role("search", name="Rechercher dans l'annuaire").get_by_role("button").click()
    expect(page.get_by_role("link", name="CIO de Villeurbanne")).to_be_visible()
    assert page.get_by_role("link", name="La Fabrique").count() == 0
    assert capturer(page, "annuaire") == []
    page.get_by_role("link", name="Annuaire", exact=True).first.click()
    page.get_by_role("link", name="Mission locale A").click()
    expect(page.get_by_role("heading", name="Mission locale A", level=1)).to_be_visible()
    expect(page.get_by_text("Lycée A").first).to_be_visible()
    assert capturer(page, "annuaire-mission-locale") == []
