"""Campaigns in a browser: the administrator prepares the next campaign (effect shown before saving), then the chef
switches the dashboard and the parcours list to it."""

import pytest
from playwright.sync_api import expect

from avenirpro.models import Campagne
from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_creer_la_campagne_puis_basculer(page_csp_libre, live_server, connexion, cast):  # noqa: F811
    page = page_csp_libre
    connexion(page, cast.admin)
    page.goto(f"{live_server.url}/administration/")
    page.get_by_role("link", name="Campagnes").first.click()
    page.get_by_role("link", name="Créer la prochaine campagne").click()
    assert page.get_by_label("Session d'examen").input_value() == "2027"
    page.get_by_role("button", name="Voir l'effet sur les parcours").click()
    expect(page.get_by_role("heading", name="Effet sur les parcours existants")).to_be_visible()
    assert capturer(page, "campagne-creation") == []
    page.get_by_role("button", name="Confirmer et enregistrer").click()
    expect(page.get_by_text("Campagne enregistrée.")).to_be_visible()
    assert Campagne.objects.filter(session=2027).exists()
    assert capturer(page, "campagnes") == []

    page.context.clear_cookies()
    connexion(page, cast.chef_a)
    page.get_by_role("link", name="Tableau de bord", exact=True).first.click()
    page.get_by_label("Campagne affichée").select_option("2026")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**campagne=2026**")
    expect(page.get_by_text("Session 2026 – rentrée 2026").first).to_be_visible()
    assert capturer(page, "tableau-de-bord-bascule-campagne") == []
    page.get_by_role("link", name="Parcours", exact=True).first.click()
    page.get_by_label("Campagne").select_option("2027")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("0 inscription(s)")).to_be_visible()
    assert capturer(page, "parcours-bascule-campagne") == []
