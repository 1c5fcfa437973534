"""Browser: a chef invites a référent, who sets a password, enables MFA and sees only their young people."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from avenirpro.models import Affectation, Role, Utilisateur
from parcours.models import Inscription
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory, avec_role
from tests.parcours.factories import InscriptionFactory
from tests.redis_prive import RedisPrive
from tests.taches.courriel import lire_courriels
from tests.taches.services import Worker, attendre, pointer_celery_vers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    """The invitation e-mail leaves through the task queue (ADR 0009): a private Redis and a real worker send it."""
    redis = RedisPrive(tmp_path).demarrer()
    restaurer = pointer_celery_vers(redis.url)
    courriels = tmp_path / "courriels"
    courriels.mkdir()
    w = Worker(redis, courriels).demarrer()
    yield w
    w.arreter()
    restaurer()
    redis.arreter()


def test_le_chef_invite_un_referent_qui_active_la_double_authentification(page, live_server, connexion, worker):
    campagne = CampagneFactory()
    lycee = EtablissementFactory(nom="Lycée Jean Moulin")
    chef = avec_role(Role.CHEF, etablissement=lycee, first_name="Claire", email="claire@test.fr")
    autre = avec_role(Role.REFERENT, etablissement=lycee, email="autre.prof@test.fr")
    pas_le_sien = InscriptionFactory(
        jeune__etablissement=lycee, jeune__nom="MARTIN", jeune__prenoms="Léo", referent=autre, campagne=campagne
    )
    le_sien = InscriptionFactory(
        jeune__etablissement=lycee, jeune__nom="DURAND", jeune__prenoms="Inès", referent=autre, campagne=campagne
    )

    # 1. The chef invites the teacher.
    connexion(page, chef)
    page.goto(f"{live_server.url}/administration/")
    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_label("Adresse électronique professionnelle").fill("paul.prof@test.fr")
    page.locator("#id_prenom").fill("Paul")
    page.locator("#id_nom").fill("Prof")
    page.get_by_label("Rôle").select_option(label="Référent de parcours")
    page.get_by_label("Lycée").select_option(label=str(lycee))
    page.locator("#id_date_volontariat").fill("01/06/2026")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Invitation envoyée à paul.prof@test.fr")).to_be_visible()
    page.screenshot(path="test-results/invitation-envoyee.png")

    message = attendre(lambda: lire_courriels(worker.courriels), message="courriel d'invitation non envoyé")[-1]
    assert message["sujet"] == "AvenirPro+ – invitation" and message["a"] == ["paul.prof@test.fr"]
    lien = re.search(r"(https?://\S+/administration/invitation/\S+/)", message["corps"]).group(1)

    # 2. The teacher opens the link in their own browser and chooses a password.
    page.context.clear_cookies()
    page.goto(lien)
    expect(page.get_by_role("heading", name="Créer votre compte")).to_be_visible()
    page.locator("#id_password1").fill("Un-mot-de-passe-solide-42")
    page.locator("#id_password2").fill("Un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(f"{live_server.url}/administration/mon-compte/")
    expect(page.get_by_text("Votre compte est créé")).to_be_visible()
    paul = Utilisateur.objects.get(email="paul.prof@test.fr")
    assert Affectation.objects.get(utilisateur=paul).role == Role.REFERENT

    # 3. MFA is offered; no second password prompt right after choosing it.
    page.get_by_role("link", name="Activer la double authentification").click()
    page.wait_for_url(f"{live_server.url}/comptes/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    page.screenshot(path="test-results/activation-totp.png")
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=paul, type=Authenticator.Type.TOTP).exists()

    # 4. The chef designates Paul for one young person: he sees that one only.
    Inscription.objects.filter(pk=le_sien.pk).update(referent=paul)
    page.goto(f"{live_server.url}/administration/mon-compte/")
    liste = page.locator("#mes-jeunes").inner_text()
    assert "DURAND Inès" in liste
    assert "MARTIN" not in liste and pas_le_sien.jeune.nom not in page.content()
    expect(page.get_by_text("Activée", exact=True)).to_be_visible()
    page.screenshot(path="test-results/referent-mes-jeunes.png")


@pytest.mark.parametrize("largeur", [1280, 390])
def test_un_compte_existant_accepte_le_role_propose(browser, live_server, connexion, largeur):
    """ADR 0009: a role proposed to an existing account waits on «Mon compte» until the person accepts it."""
    from tests.e2e.test_accessibilite import AXE, GRAVES, _axe

    lycee = EtablissementFactory(nom="Lycée Jean Moulin")
    chef = avec_role(Role.CHEF, etablissement=lycee, email="claire@test.fr")
    prof = avec_role(Role.REFERENT, etablissement=lycee, first_name="Paul", email="paul.prof@test.fr")
    # bypass_csp: axe-core is injected as a script tag (as in tests/e2e/test_accessibilite.py).
    contexte = browser.new_context(
        bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": largeur, "height": 900}
    )
    page = contexte.new_page()
    connexion(page, chef)
    page.goto(f"{live_server.url}/administration/invitations/nouvelle/")
    page.get_by_label("Adresse électronique professionnelle").fill("paul.prof@test.fr")
    page.get_by_label("Rôle").select_option(label="Chef d'établissement")
    page.get_by_label("Lycée").select_option(label=str(lycee))
    page.get_by_label("Fonction (équipe de direction)").select_option(label="CPE")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Rôle proposé à paul.prof@test.fr")).to_be_visible()
    assert not Affectation.objects.filter(utilisateur=prof, role=Role.CHEF).exists()

    page.context.clear_cookies()
    connexion(page, prof)
    page.goto(f"{live_server.url}/administration/mon-compte/")
    bloc = page.locator("#roles-proposes")
    assert "proposé par" in bloc.inner_text() and "Lycée Jean Moulin" in bloc.inner_text()
    page.screenshot(path=f"test-results/role-propose-{largeur}.png", full_page=True)
    if AXE.exists():
        assert not [v for v in _axe(page) if v["impact"] in GRAVES]
    bloc.get_by_role("button", name="Accepter").click()
    page.wait_for_url(f"{live_server.url}/administration/mon-compte/")
    expect(page.get_by_text("Rôle accepté")).to_be_visible()
    assert Affectation.objects.filter(utilisateur=prof, role=Role.CHEF, etablissement=lycee).exists()
    assert page.locator("#roles-proposes").count() == 0
    contexte.close()
