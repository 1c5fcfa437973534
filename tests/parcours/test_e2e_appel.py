"""Browser tests of attendance: the back button never brings a stale grid that erases saved half-days."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from parcours.models import Presence
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date


def _inscription(cast, nom="LEROY"):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom=nom, prenoms="Inès")
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    return InscriptionFactory(
        jeune=jeune, campagne=cast.campagne, referent=cast.referent_a, conseiller=cast.conseiller_a, statut="en_cours"
    )


def test_retour_arriere_puis_enregistrer_ne_perd_pas_la_semaine(page, live_server, connexion, cast):
    inscription = _inscription(cast)
    connexion(page, cast.referent_a)
    url = f"{live_server.url}/parcours/{inscription.uuid}/assiduite/?semaine=2026-09-21"
    page.goto(url)
    page.get_by_role("button", name=re.compile("Tout présent")).click()
    expect(page.get_by_text(re.compile(r"Assiduité de la semaine enregistrée \(10 demi-journées\)"))).to_be_visible()
    assert inscription.presences.filter(statut=Presence.Statut.PRESENT).count() == 10
    # The browser's back button: the grid as it was drawn before the save.
    page.go_back()
    page.wait_for_load_state()
    # The page is drawn again from the server, without the values the browser would have put back (blank selects).
    expect(page.locator("[name=statut_20260921_matin]")).to_have_value("present")
    page.get_by_role("button", name="Enregistrer la semaine").click()
    expect(
        page.get_by_text("Aucune modification : la semaine est déjà enregistrée (10 demi-journées).")
    ).to_be_visible()
    page.screenshot(path="test-results/assiduite-retour-arriere.png", full_page=True)
    # Nothing erased: the 10 saved half-days are still «Présent».
    assert inscription.presences.filter(statut=Presence.Statut.PRESENT).count() == 10
