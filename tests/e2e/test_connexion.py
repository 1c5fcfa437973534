import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from avenirpro.models import Role
from tests.avenirpro.factories import EtablissementFactory, avec_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_connexion_avec_double_authentification(page, live_server, connexion):
    lycee = EtablissementFactory()
    chef = avec_role(Role.CHEF, etablissement=lycee, first_name="Claire", email="claire@test.fr")
    TOTP.activate(chef, generate_totp_secret())

    connexion(page, chef)

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", name="Bonjour Claire")).to_be_visible()
    assert "Chef d'établissement" in page.locator("#utilisateur-connecte").inner_text()
    page.screenshot(path="test-results/accueil-chef.png")
