"""Bulk actions in a browser: select rows of the worklist, then log one contact for all of them."""

import pytest
from playwright.sync_api import expect

from eleves.models import Contact
from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_contact_groupe_depuis_la_liste(page_csp_libre, live_server, cast, donnees_reference):  # noqa: F811
    page = page_csp_libre
    jeunes = [
        JeuneFactory(etablissement=cast.lycee_a, nom=nom, prenoms="Sam") for nom in ("ALPHA", "BRAVO", "CHARLIE")
    ]
    for j in jeunes:
        ReperageFactory(jeune=j, campagne=cast.campagne)
    _connecter(page, live_server, cast.chef_a)
    page.get_by_role("link", name="Jeunes sans solution", exact=True).first.click()
    # The DSFR box is drawn by the label: the user clicks it.
    for j in (jeunes[0], jeunes[2]):
        page.locator(f"label[for='choix-{j.uuid}']").click()
        assert page.get_by_label(f"Sélectionner {j.nom} Sam").is_checked()
    page.get_by_role("button", name="Agir sur la sélection").click()
    expect(page.get_by_role("heading", name="Actions groupées (2 jeunes)", level=1)).to_be_visible()
    bouton = page.get_by_role("button", name="Enregistrer un contact pour chacun").first
    # The DSFR's script opens the accordion: a click before it has taken the button does nothing (seen under load).
    # It marks the buttons it has taken (`data-fr-js-collapse-button`).
    page.locator("[aria-controls='action-contact'][data-fr-js-collapse-button]").wait_for()
    bouton.click()
    assert capturer(page, "actions-groupees") == []
    formulaire = page.get_by_role("form", name="Enregistrer un contact pour chacun")
    formulaire.get_by_label("Canal", exact=True).select_option("sms")
    formulaire.get_by_label("Résultat", exact=True).select_option("injoignable")
    formulaire.get_by_role("button", name="Enregistrer un contact pour chacun (2)").click()
    expect(page.get_by_text("Enregistrer un contact pour chacun : fait pour 2 jeunes.")).to_be_visible()
    assert sorted(Contact.objects.values_list("jeune__nom", flat=True)) == ["ALPHA", "CHARLIE"]
    page.screenshot(path="test-results/actions-groupees-fait-1280.png", full_page=True)


def test_boutons_d_export_libelles_a_390_px(page, live_server, cast, donnees_reference):
    """At 390 px the CSV and XLSX buttons keep their label (they were two identical unlabelled icons)."""
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    _connecter(page, live_server, cast.chef_a)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/jeunes/")
    for libelle in ("Exporter en CSV", "Exporter en XLSX"):
        bouton = page.get_by_role("link", name=libelle)
        assert bouton.bounding_box()["width"] > 120, libelle
    page.screenshot(path="test-results/boutons-export-390.png")
