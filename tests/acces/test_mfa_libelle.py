"""One term: the MFA pages (ours and allauth's) say «double authentification», never «deux facteurs»."""

import pytest

from avenirpro.models import Role
from tests.avenirpro.factories import avec_role
from tests.conftest import MOT_DE_PASSE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mfa", [True, False])
def test_les_pages_mfa_disent_double_authentification(client, mfa):
    user = avec_role(Role.PILOTAGE, email=f"pilote.libelle.{int(mfa)}@test.fr", mfa=mfa)
    user.affectations.update(niveau="academie", perimetre="Lyon")
    if mfa:
        client.force_login(user)
    else:  # through the login form: the first activation then opens without re-typing the password
        r = client.post("/comptes/login/", {"login": user.email, "password": MOT_DE_PASSE})
        assert r.status_code == 302, r.content.decode()[-3000:]
    pages = ["/comptes/2fa/"] + ([] if mfa else ["/comptes/2fa/totp/activate/"])
    for url in pages:
        reponse = client.get(url, follow=True)
        assert reponse.status_code == 200, url
        texte = reponse.content.decode()
        assert "/reauthenticate/" not in reponse.request["PATH_INFO"], url
        assert "deux facteurs" not in texte, url
        assert "ouble authentification" in texte, url
