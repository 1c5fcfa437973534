"""Browser tests of the other parcours screens: the chef enrols and lists, the timetable with its holiday warning
and ICS link, follow-up points, the local offer."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from parcours import services
from parcours.models import Inscription
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import ActionFactory, OffreActionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date


def test_le_chef_inscrit_un_jeune_et_retrouve_la_liste(page, live_server, connexion, cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom="BERNARD", prenoms="Yanis")
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="bac_pro")
    connexion(page, cast.chef_a)
    page.goto(f"{live_server.url}/parcours/inscrire/{jeune.uuid}/")
    expect(page.get_by_text("APRO PLUS 4", exact=True)).to_be_visible()
    page.locator("[name=date_entree]").fill("2026-10-31")
    page.locator("[name=statut]").select_option("en_cours")
    page.locator("[name=numero_imilo]").fill("77 77")
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_text("Désignez un référent de parcours")).to_be_visible()
    expect(page.locator("[name=numero_imilo]")).to_have_value("77 77")
    page.locator("[name=referent]").select_option(str(cast.referent_a.pk))
    page.locator("[name=conseiller]").select_option(str(cast.conseiller_a.pk))
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_text("Inscription enregistrée.")).to_be_visible()
    expect(page.get_by_test_id("dates-parcours")).to_contain_text("28/02/2027")
    page.get_by_role("link", name="Parcours", exact=True).click()
    expect(page.get_by_role("link", name="BERNARD Yanis")).to_be_visible()
    page.screenshot(path="test-results/parcours-liste.png", full_page=True)
    assert Inscription.objects.get(jeune=jeune).mef == "apro_plus_4"


def test_emploi_du_temps_points_et_offre(page, live_server, connexion, cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom="PETIT", prenoms="Jade")
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    inscription = services.inscrire(
        jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14), referent=cast.referent_a, statut="en_cours"
    )
    action = ActionFactory(
        inscription=inscription, intitule="Atelier orientation", date_debut=D(2026, 10, 12), date_fin=D(2026, 11, 6)
    )
    OffreActionFactory(etablissement=cast.lycee_a, intitule="Estime de soi", type="cps")
    base = f"{live_server.url}/parcours/{inscription.uuid}"
    connexion(page, cast.referent_a)

    # a slot on Mondays: warned about the Toussaint holidays
    page.goto(f"{base}/actions/{action.uuid}/")
    page.locator("[name=jour]").select_option("0")
    page.locator("[name=heure_debut]").fill("09:00")
    page.locator("[name=heure_fin]").fill("12:00")
    page.get_by_role("button", name="Ajouter le créneau").click()
    expect(page.get_by_text(re.compile("Attention : ce créneau tombe sur des vacances scolaires"))).to_be_visible()
    page.goto(f"{base}/emploi-du-temps/?semaine=2026-10-26")
    expect(page.get_by_text("Attention : créneau pendant un congé")).to_be_visible()
    page.get_by_role("button", name="Créer un lien d'agenda").click()
    expect(page.get_by_text(re.compile(r"/parcours/agenda/.+\.ics"))).to_be_visible()
    page.screenshot(path="test-results/parcours-emploi-du-temps.png", full_page=True)

    page.get_by_role("link", name="Points de suivi").click()
    page.locator("[name=date]").fill("2026-10-02")
    page.locator("[name=contenu]").fill("Point sur la recherche de stage")
    page.locator("[name=prochaine_date]").fill("2026-10-16")
    page.get_by_role("button", name="Enregistrer le point").click()
    expect(page.get_by_role("cell", name="Point sur la recherche de stage")).to_be_visible()

    page.goto(f"{live_server.url}/parcours/offre/")
    expect(page.get_by_role("cell", name="Estime de soi")).to_be_visible()
    page.locator("[name=type]").select_option("tre")
    page.locator("[name=intitule]").fill("Simulation d'entretien")
    page.locator("[name=etablissement]").select_option(str(cast.lycee_a.pk))
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("cell", name="Simulation d'entretien")).to_be_visible()
    page.screenshot(path="test-results/parcours-offre.png", full_page=True)
