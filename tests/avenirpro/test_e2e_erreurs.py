"""Error pages in a real browser: French, layout, a way back, axe-core clean at 1280 px and 390 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_404_et_403(page_csp_libre, live_server, cast, donnees_reference, settings):  # noqa: F811
    settings.DEBUG = False
    page = page_csp_libre
    reponse = page.goto(f"{live_server.url}/nulle-part/")
    assert reponse.status == 404
    expect(page.get_by_role("heading", name="Page non trouvée", level=1)).to_be_visible()
    assert capturer(page, "erreur-404-anonyme") == []
    _connecter(page, live_server, cast.referent_a)
    # As if the user had followed a link from the home page (the Referer a click sends).
    reponse = page.goto(f"{live_server.url}{reverse('eleves:liste')}", referer=f"{live_server.url}/")
    assert reponse.status == 403
    expect(page.get_by_role("heading", name="Accès refusé", level=1)).to_be_visible()
    assert capturer(page, "erreur-403") == []
    # The Marianne block is whole at 1280 px beside a long account name (it was cut: «RÉPUBLIQ FRANÇAI»).
    rogne = page.evaluate(
        "() => { const e = document.querySelector('.fr-header__brand-top'); return e.scrollWidth - e.clientWidth; }"
    )
    assert rogne == 0
    # The way back: the page the user came from.
    page.get_by_role("link", name="Revenir à la page précédente").click()
    page.wait_for_url(f"{live_server.url}/")


def test_echec_csrf(page_csp_libre, live_server, cast, donnees_reference, settings):  # noqa: F811
    settings.DEBUG = False
    page = page_csp_libre
    _connecter(page, live_server, cast.chef_a)
    # A form whose token no longer matches (as after a login in another tab).
    page.evaluate(
        "document.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(e => e.value = 'x'.repeat(64))"
    )
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Formulaire expiré", level=1)).to_be_visible()
    assert capturer(page, "erreur-csrf") == []
    page.get_by_role("link", name="Aller à la page d'accueil").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")


@pytest.mark.urls("tests.avenirpro.urls_erreurs")
def test_500(page_csp_libre, live_server, cast, donnees_reference, settings):  # noqa: F811
    settings.DEBUG = False
    page = page_csp_libre
    _connecter(page, live_server, cast.chef_a)
    reponse = page.goto(f"{live_server.url}/panne-simulee/")
    assert reponse.status == 500
    expect(page.get_by_role("heading", name="Erreur inattendue", level=1)).to_be_visible()
    expect(page.get_by_text("République").first).to_be_visible()
    assert capturer(page, "erreur-500") == []


@pytest.mark.parametrize("largeur", [360, 390, 768, 1024, 1280, 1920])
def test_bloc_marque_entier_a_toute_largeur(page_csp_libre, live_server, cast, donnees_reference, largeur):  # noqa: F811
    """The Marianne block («République française») is never cut, whatever the width and the account name's length."""
    page = page_csp_libre
    cast.chef_a.first_name, cast.chef_a.last_name = "Marie-Clémentine", "De La Tour-Rochefoucauld-Montmorency"
    cast.chef_a.save(update_fields=["first_name", "last_name"])
    page.set_viewport_size({"width": largeur, "height": 900})
    _connecter(page, live_server, cast.chef_a)
    mesure = page.evaluate(
        """() => { const l = document.querySelector('.fr-header__logo .fr-logo'); const r = l.getBoundingClientRect();
        return {debord: l.scrollWidth - l.clientWidth, gauche: r.left, droite: r.right, largeur: window.innerWidth,
                texte: l.innerText}; }"""
    )
    page.screenshot(path=f"test-results/bloc-marque-{largeur}.png")
    assert mesure["debord"] == 0 and mesure["gauche"] >= 0 and mesure["droite"] <= mesure["largeur"], mesure
    assert "République".upper() in mesure["texte"].upper() and "FRANÇAISE" in mesure["texte"].upper(), mesure
