"""The header's search box in a browser: at 1280 px in the header, at 390 px behind the magnifier button."""

import pytest
from playwright.sync_api import expect

from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter
from tests.eleves.factories import JeuneFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_recherche_depuis_l_en_tete(page_csp_libre, live_server, cast, donnees_reference):  # noqa: F811
    page = page_csp_libre
    eloise = JeuneFactory(etablissement=cast.lycee_a, nom="DUPONT-LEFÈVRE", prenoms="Éloïse")
    homonyme_b = JeuneFactory(etablissement=cast.lycee_b, nom="DUPONT-LEFÈVRE", prenoms="Éloïse")
    _connecter(page, live_server, cast.chef_a)
    page.get_by_label("Rechercher un jeune (nom, prénom ou INE)").fill("eloise lefevre")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=*")
    expect(page.get_by_role("heading", name="1 résultat pour « eloise lefevre »")).to_be_visible()
    assert homonyme_b.ine not in page.content()
    assert capturer(page, "recherche-resultats") == []
    page.get_by_role("link", name="DUPONT-LEFÈVRE Éloïse").click()
    page.wait_for_url(f"**/jeunes/{eloise.uuid}/")

    # Phone: the magnifier opens the same box.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Rechercher un jeune").click()
    champ = page.get_by_label("Rechercher un jeune (nom, prénom ou INE)")
    champ.fill(eloise.ine)
    page.screenshot(path="test-results/recherche-mobile-390.png")
    champ.press("Enter")
    page.wait_for_url("**/recherche/?q=*")
    expect(page.get_by_role("link", name="DUPONT-LEFÈVRE Éloïse")).to_be_visible()
