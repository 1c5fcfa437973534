"""Browser: an administrator without double authentication is held on the activation page until it is enabled."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from avenirpro.models import Role
from tests.avenirpro.factories import avec_role
from tests.conftest import MOT_DE_PASSE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_l_administrateur_doit_activer_la_double_authentification(page, live_server, connexion):
    admin = avec_role(Role.ADMIN, email="admin.sans.mfa@test.fr", mfa=False)
    connexion(page, admin)
    # Any page leads to the activation (through allauth's password confirmation).
    page.goto(f"{live_server.url}/administration/comptes/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
        page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(f"{live_server.url}/comptes/2fa/totp/activate/**")
    expect(page.get_by_text("La double authentification est obligatoire")).to_be_visible()
    page.screenshot(path="test-results/mfa-obligatoire.png")
    page.goto(f"{live_server.url}/")
    assert "/comptes/" in page.url  # still held

    page.goto(f"{live_server.url}/comptes/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    page.goto(f"{live_server.url}/administration/comptes/")
    expect(page.get_by_role("heading", name="Comptes")).to_be_visible()
