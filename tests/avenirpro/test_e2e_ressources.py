"""Resources in a browser: the chef reads them from the menu; the administrator completes a missing address."""

import pytest
from playwright.sync_api import expect

from avenirpro.models import Ressource
from avenirpro.ressources import creer_ressources_de_reference
from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_ressources(page_csp_libre, live_server, connexion, cast):  # noqa: F811
    page = page_csp_libre
    creer_ressources_de_reference()
    connexion(page, cast.chef_a)
    page.get_by_role("link", name="Ressources", exact=True).first.click()
    lien = page.get_by_role("link", name="Les ressources du Plan régional insertion jeunesse (PRIJ)")
    assert lien.get_attribute("href") == "https://prij.fr/dispositifs"
    expect(page.get_by_text("adresse à compléter").first).to_be_visible()
    assert capturer(page, "ressources") == []

    page.context.clear_cookies()
    connexion(page, cast.admin)
    page.goto(f"{live_server.url}/ressources/")
    page.get_by_role("link", name="Modifier « Page éduscol dédiée à AvenirPro+ »").click()
    page.get_by_label("Adresse du lien").fill("https://eduscol.exemple.test/avenirpro")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ressource enregistrée.")).to_be_visible()
    assert Ressource.objects.get(titre="Page éduscol dédiée à AvenirPro+").url.startswith("https://eduscol.")
