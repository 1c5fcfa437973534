"""Browser: the first TOTP enrolment of a pilotage account, right after login, does not ask for the password again,
shows the recovery codes and leads on with «Continuer»."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from avenirpro.models import Role
from tests.avenirpro.factories import avec_role
from tests.conftest import MOT_DE_PASSE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_premiere_activation_sans_ressaisir_le_mot_de_passe(page, live_server, donnees_reference):
    pilote = avec_role(Role.PILOTAGE, email="pilote.sans.mfa@test.fr", mfa=False)
    # The `connexion` helper would take the activation page for the TOTP step: the login form, by hand.
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Courriel").fill(pilote.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"{live_server.url}/comptes/2fa/totp/activate/**")
    assert "/reauthenticate/" not in page.url
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url(f"{live_server.url}/comptes/2fa/recovery-codes/**")
    assert "/reauthenticate/" not in page.url
    assert Authenticator.objects.filter(user=pilote, type=Authenticator.Type.TOTP).exists()
    assert page.locator("#recovery_codes").input_value().strip()
    page.screenshot(path="test-results/mfa-codes-de-secours.png")
    page.get_by_role("link", name="Continuer").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "/comptes/" not in page.url
