"""Browser test (R9): the chef tries to enrol a failed candidate, is sent to record the re-enrolment offer first
(date, channel, answer, reason), comes back to the enrolment screen and enrols."""

import pytest
from playwright.sync_api import expect

from eleves.models import Reperage
from parcours.models import Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_le_chef_enregistre_l_offre_de_reinscription_puis_inscrit(page, live_server, connexion, cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom="MOREAU", prenoms="Lina")
    reperage = ReperageFactory(
        jeune=jeune,
        campagne=cast.campagne,
        resultat="ajourne",
        typologie="echec_accompagnement",
        parcoursup="non_candidat",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    connexion(page, cast.chef_a)
    page.goto(f"{live_server.url}/parcours/inscrire/{jeune.uuid}/")
    alerte = page.locator("#prealables-inscription")
    expect(alerte).to_contain_text("proposez d'abord une réinscription")
    page.screenshot(path="test-results/r9-inscription-bloquee.png", full_page=True)
    page.get_by_role("button", name="Inscrire").click()
    expect(page.locator("#prealables-inscription")).to_be_visible()
    assert not Inscription.objects.filter(jeune=jeune).exists()

    page.get_by_role("link", name="Enregistrer la proposition de réinscription").click()
    page.locator("[name=proposee_le]").fill("2026-07-04")
    page.locator("[name=canal_proposition]").select_option("rendez_vous")
    page.locator("[name=reponse]").select_option("refusee")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez pourquoi la réinscription ne répond pas")).to_be_visible()
    page.locator("[name=motif_refus]").select_option("projet")
    page.locator("[name=precisions_reponse]").fill("Veut travailler dans la restauration dès l'automne.")
    page.screenshot(path="test-results/r9-offre-reinscription.png", full_page=True)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Proposition de réinscription enregistrée.")).to_be_visible()
    assert f"/parcours/inscrire/{jeune.uuid}/" in page.url
    expect(page.locator("#prealables-inscription")).to_have_count(0)
    page.locator("[name=date_entree]").fill("2026-09-14")
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_text("Inscription enregistrée.")).to_be_visible()
    page.screenshot(path="test-results/r9-inscrit.png", full_page=True)
    reperage.refresh_from_db()
    assert (reperage.reponse_reinscription, reperage.reinscription_motif) == (
        Reperage.ReponseReinscription.REFUSEE,
        Reperage.MotifReinscription.PROJET,
    )
    assert Inscription.objects.filter(jeune=jeune).exists()
