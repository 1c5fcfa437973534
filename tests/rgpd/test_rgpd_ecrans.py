"""RGPD screens: browser path of the erasure, query counts of the export and the confirmation page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from avenirpro.models import JournalAcces
from tests.eleves.factories import ContactFactory
from tests.matrice import construire_scenario


def _requetes(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("nom_url", ["rgpd:effacer", "rgpd:export"])
def test_nombre_de_requetes_constant(cast, client_de, nom_url):
    s = construire_scenario(cast)
    client = client_de(cast.chef_a)
    url = reverse(nom_url, kwargs={"jeune_uuid": s.jeune_a.uuid})
    client.get(url)  # warm-up: session, content types
    avec_un = _requetes(client, url)
    for _ in range(49):
        ContactFactory(jeune=s.jeune_a, campagne=cast.campagne, note="appel")
    avec_cinquante = _requetes(client, url)
    assert avec_un == avec_cinquante, (avec_un, avec_cinquante)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_effacement_dans_le_navigateur(page, live_server, connexion, cast):
    s = construire_scenario(cast)
    connexion(page, cast.chef_a)
    page.goto(f"{live_server.url}{reverse('rgpd:effacer', kwargs={'jeune_uuid': s.jeune_a.uuid})}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Effacer les données de JEUNE-A")
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.get_by_text("Cochez la case pour confirmer l'effacement.")).to_be_visible()
    page.get_by_text("Je confirme l'effacement").click()
    page.get_by_role("button", name="Effacer définitivement").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Les données personnelles du jeune ont été effacées.")).to_be_visible()
    page.screenshot(path="test-results/rgpd-effacement.png")
    s.jeune_a.refresh_from_db()
    assert s.jeune_a.nom == "ANONYME"
    assert JournalAcces.objects.filter(action="effacement", utilisateur=cast.chef_a).count() == 1
