"""Browser: the bell shows the unread count, the list opens, a notification is marked as read, preferences saved."""

import pytest
from playwright.sync_api import expect

from avenirpro.models import Notification
from avenirpro.notifications import notifier
from parcours.balayage import balayer
from tests.taches.factories import Lycee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cloche_liste_marquer_comme_lue(page, live_server, connexion):
    ly = Lycee()
    ly.parcours(fin_dans=15)
    balayer(rappels=False)  # J-15, no follow-up point, no bilan scheduled → three notifications to the référent
    notifier(destinataires=[ly.referent], cle="autre", sujet="Réunion d'information collective jeudi")
    assert Notification.objects.filter(destinataire=ly.referent).count() == 4

    connexion(page, ly.referent)
    cloche = page.locator("#cloche-notifications")
    assert page.locator("#notifications-non-lues").inner_text().endswith("4")
    cloche.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    expect(page.get_by_role("heading", name="Mes notifications")).to_be_visible()
    expect(page.locator("p", has_text="Fin de parcours dans 15 jour(s)")).to_be_visible()
    page.screenshot(path="test-results/notifications-liste.png", full_page=True)

    page.get_by_role("button", name="Marquer comme lue : Réunion d'information collective jeudi").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Notification marquée comme lue.")).to_be_visible()
    assert page.locator("#notifications-non-lues").inner_text().endswith("3")
    assert Notification.objects.get(cle="autre").lue_le is not None

    page.get_by_role("button", name="Tout marquer comme lu").click()
    page.wait_for_load_state()
    assert page.locator("#notifications-non-lues").count() == 0
    page.screenshot(path="test-results/notifications-lues.png", full_page=True)

    page.get_by_role("link", name="Préférences").click()
    page.get_by_text("Un résumé quotidien, chaque matin").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos préférences de notification sont enregistrées.")).to_be_visible()
    ly.referent.refresh_from_db()
    assert ly.referent.notifications_en_resume is True
    page.screenshot(path="test-results/notifications-preferences.png", full_page=True)
