"""Error pages (403, 404, 500, CSRF failure): in French, in the site's layout, with a way back; never Django's
English defaults. DEBUG is false here as in production (the settings fixture says so explicitly)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import MOT_DE_PASSE


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _commun(contenu: str):
    # The layout: skip links, header with the service name, footer; a way back home.
    assert 'href="#content"' in contenu
    assert "fr-header__service-title" in contenu and "AvenirPro+" in contenu
    assert 'id="footer"' in contenu
    assert 'href="/"' in contenu and "Aller à la page d'accueil" in contenu
    assert '<html lang="fr"' in contenu
    for anglais in ("Not Found", "Forbidden", "Server Error", "CSRF verification failed", "The requested resource"):
        assert anglais not in contenu


@pytest.mark.django_db
def test_404_en_francais_anonyme_et_connecte(cast):
    r = Client().get("/nulle-part/")
    assert r.status_code == 404
    contenu = r.content.decode()
    _commun(contenu)
    assert "Page non trouvée" in contenu and "Erreur 404" in contenu
    assert "Se connecter" in contenu

    client = Client()
    client.force_login(cast.chef_a)
    r = client.get("/nulle-part/", HTTP_REFERER="http://testserver/jeunes/")
    contenu = r.content.decode()
    assert r.status_code == 404
    _commun(contenu)
    # Logged in: the menu and the account stay; the page the user came from is offered back.
    assert "Se déconnecter" in contenu and "Jeunes sans solution" in contenu
    assert 'href="http://testserver/jeunes/"' in contenu and "Revenir à la page précédente" in contenu


@pytest.mark.django_db
def test_404_d_un_enregistrement_hors_perimetre(cast):
    """A record out of scope answers the same French 404 (get_object_or_404 on the visibility filter)."""
    from tests.eleves.factories import JeuneFactory

    jeune_b = JeuneFactory(etablissement=cast.lycee_b)
    client = Client()
    client.force_login(cast.chef_a)
    r = client.get(reverse("eleves:detail", args=[jeune_b.uuid]))
    assert r.status_code == 404
    assert "Page non trouvée" in r.content.decode()


@pytest.mark.django_db
def test_retour_jamais_vers_un_autre_site(cast):
    r = Client().get("/nulle-part/", HTTP_REFERER="https://ailleurs.example/piege")
    assert "ailleurs.example" not in r.content.decode()
    assert "Revenir à la page précédente" not in r.content.decode()


@pytest.mark.django_db
def test_permission_denied_dans_une_vue_donne_le_403_francais(cast):
    """A référent opening the chef's worklist: the view raises PermissionDenied."""
    client = Client()
    client.force_login(cast.referent_a)
    r = client.get(reverse("eleves:liste"))
    assert r.status_code == 403
    contenu = r.content.decode()
    _commun(contenu)
    assert "Accès refusé" in contenu and "Erreur 403" in contenu


@pytest.mark.django_db
def test_echec_csrf_en_francais(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.chef_a)
    r = client.post(reverse("account_logout"))
    assert r.status_code == 403
    contenu = r.content.decode()
    _commun(contenu)
    assert "Formulaire expiré" in contenu and "rien n'a été enregistré" in contenu
    # Nothing was done: the session is still open.
    assert client.get(reverse("accueil")).status_code == 200


def test_500_sans_requete_ni_base_de_donnees():
    """No `db` fixture: any database read would fail this test. The page renders from its template alone."""
    from avenirpro.views import erreur_500

    r = erreur_500(RequestFactory().get("/"))
    assert r.status_code == 500
    contenu = r.content.decode()
    _commun(contenu)
    assert "Erreur inattendue" in contenu and "Erreur 500" in contenu


@pytest.mark.urls("tests.avenirpro.urls_erreurs")
@pytest.mark.django_db
def test_500_d_une_vue_qui_echoue(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.chef_a)
    r = client.get("/panne-simulee/")
    assert r.status_code == 500
    _commun(r.content.decode())
    assert "Erreur inattendue" in r.content.decode()


@pytest.mark.django_db
def test_connexion_reelle_puis_403(cast):
    """Through the real login form (allauth), the 403 page keeps the logged-in header."""
    client = Client()
    assert (
        client.post(reverse("account_login"), {"login": cast.referent_a.email, "password": MOT_DE_PASSE}).status_code
        == 302
    )
    r = client.get(reverse("eleves:liste"))
    assert r.status_code == 403 and "Se déconnecter" in r.content.decode()
