"""Calendar of events in a browser: the chef publishes a forum, the référent registers the young person they follow."""

import pytest
from playwright.sync_api import expect

from parcours.models import ParticipationEvenement
from tests.e2e.captures import capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter
from tests.parcours.factories import InscriptionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_publier_puis_inscrire(page_csp_libre, live_server, cast, donnees_reference):  # noqa: F811
    page = page_csp_libre
    suivi = InscriptionFactory(
        campagne=cast.campagne,
        jeune__etablissement=cast.lycee_a,
        jeune__nom="SUIVIA",
        jeune__prenoms="Lou",
        referent=cast.referent_a,
        statut="en_cours",
    )
    _connecter(page, live_server, cast.chef_a)
    page.get_by_role("link", name="Événements", exact=True).first.click()
    page.get_by_label("Type", exact=True).select_option("forum")
    page.get_by_label("Intitulé").fill("Forum de l'alternance")
    page.get_by_label("Début").fill("2026-12-03T09:00")
    page.get_by_label("Lieu").fill("Gymnase municipal")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", name="Forum de l'alternance", level=1)).to_be_visible()

    _connecter(page, live_server, cast.referent_a)
    page.get_by_role("link", name="Événements", exact=True).first.click()
    assert capturer(page, "evenements") == []
    page.get_by_role("link", name="Forum de l'alternance").click()
    page.get_by_text("SUIVIA Lou").click()  # the DSFR box is drawn by its label
    assert page.get_by_label("SUIVIA Lou").is_checked()
    assert capturer(page, "evenement") == []
    page.get_by_role("button", name="Inscrire la sélection").click()
    expect(page.get_by_text("1 jeune inscrit à l'événement.")).to_be_visible()
    assert ParticipationEvenement.objects.get().jeune == suivi.jeune
