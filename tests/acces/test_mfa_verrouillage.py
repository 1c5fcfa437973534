"""MFA enrolment reachable whatever the account's e-mail records (issue 13, F6).

Before, a pilotage or admin account without TOTP could open allauth's e-mail page, which recorded an unverified
address; allauth then refused to activate TOTP while the middleware sent every page to the activation: a loop."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from avenirpro.models import Role
from tests.avenirpro.factories import avec_role
from tests.conftest import MOT_DE_PASSE
from tests.fiabilite.scorecard import consigner


@pytest.mark.parametrize("role", [Role.PILOTAGE, Role.ADMIN])
def test_la_page_des_adresses_ne_bloque_pas_l_activation(db, client, role):
    user = avec_role(role, email=f"{role}@verrou.test", mfa=False)
    if role == Role.PILOTAGE:
        user.affectations.update(niveau="academie", perimetre="Lyon")
    # A real login (allauth records it: the activation does not ask for the password again).
    r = client.post(reverse("account_login"), {"login": user.email, "password": MOT_DE_PASSE})
    assert r.status_code == 302
    # The e-mail page records nothing (the login address is managed by an administrator).
    r = client.get("/comptes/email/")
    assert r.status_code == 302
    assert not EmailAddress.objects.filter(user=user, verified=False).exists()
    r = client.post("/comptes/email/", {"action_add": "", "email": "autre@verrou.test"})
    assert not EmailAddress.objects.filter(user=user, email="autre@verrou.test").exists()
    # Even with an unverified address left from before, the activation goes through.
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302 and "reauthenticate" in page["Location"]:  # allauth asks the password again
        r = client.post(page["Location"], {"password": MOT_DE_PASSE})
        assert r.status_code == 302, r.content.decode()[:2000]
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    r = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # The account is out of the loop: its pages open.
    assert client.get(reverse("administration:mon_compte")).status_code == 200
    consigner(f"securite_mfa_{role}", {"activation_possible": 1, "boucle": 0})
