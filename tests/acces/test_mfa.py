"""Double authentication mandatory for administrators and pilotage, offered to everyone (docs/scorecard.md)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from avenirpro.models import Role
from tests.acces.collecte import urls_a_couvrir
from tests.avenirpro.factories import avec_role


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PILOTAGE])
def test_sans_authentificateur_tout_renvoie_vers_l_activation(db, client, role):
    extra = {"niveau": "academie", "perimetre": "Lyon"} if role == Role.PILOTAGE else {}
    user = avec_role(role, email=f"{role}@mfa.test", mfa=False)
    user.affectations.update(**extra)
    client.force_login(user)
    urls, _ = urls_a_couvrir()
    for route, nom in urls:
        if "<" in route or nom == "session_prolonger":
            continue  # routes with a record: covered by the same middleware, before any view runs
        r = client.get(reverse(nom))
        assert r.status_code == 302 and r["Location"] == reverse("mfa_activate_totp"), (nom, r.status_code)
    # Allauth's pages, health and legal pages stay reachable.
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    assert client.get(reverse("mfa_activate_totp")).get("Location", "") != reverse("mfa_activate_totp")
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("mentions_legales")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_avec_authentificateur_l_administrateur_passe(cast, client):
    # avec_role() gives administrators and pilotage an authenticator (tests/avenirpro/factories.py).
    assert Authenticator.objects.filter(user=cast.admin).exists()
    assert Authenticator.objects.filter(user=cast.pilotage).exists()
    client.force_login(cast.admin)
    assert client.get(reverse("administration:comptes")).status_code == 200


def test_superutilisateur_sans_role_aussi(db, client):
    from tests.avenirpro.factories import UtilisateurFactory

    su = UtilisateurFactory(is_superuser=True, is_staff=True)
    client.force_login(su)
    assert client.get("/").status_code == 302


def test_les_autres_roles_ne_sont_pas_forces_mais_l_activation_est_proposee(cast, client):
    client.force_login(cast.referent_a)
    assert client.get("/").status_code == 200
    page = client.get(reverse("administration:mon_compte")).content.decode()
    assert "Activer la double authentification" in page and reverse("mfa_activate_totp") in page
