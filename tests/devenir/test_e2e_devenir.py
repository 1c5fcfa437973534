"""The young person's pages in a browser (issue 19): the référent creates the personal link, the young person opens it
on a phone (390 px) and on a computer (1280 px), axe-core finds nothing serious; the one-time reply page is answered;
the référent revokes the link and it leads nowhere."""

import datetime
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devenir.models import LienJeune, PointDevenir
from tests.devenir.outils import deux_jeunes_du_meme_groupe, sorti
from tests.e2e.captures import LARGEURS, capturer, page_csp_libre  # noqa: F401
from tests.e2e.test_accessibilite import _connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sans_defilement_horizontal(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_espace_du_jeune_cree_ouvert_puis_revoque(page_csp_libre, browser, live_server, cast, donnees_reference):  # noqa: F811
    a, b = deux_jeunes_du_meme_groupe(cast)
    page = page_csp_libre
    _connecter(page, live_server, cast.referent_a)
    page.goto(f"{live_server.url}/parcours/{a.uuid}/")
    page.get_by_role("link", name="Devenir et lien du jeune").click()
    page.get_by_role("button", name="Créer le lien").click()
    url = page.get_by_role("textbox", name="Lien personnel").input_value()
    assert capturer(page, "devenir-parcours") == []

    jeune = browser.new_context(bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris", viewport=LARGEURS["390"])
    telephone = jeune.new_page()
    telephone.goto(f"{live_server.url}{urlparse(url).path}?semaine=2026-11-23")
    expect(telephone.get_by_role("heading", name="Mon parcours AvenirPro+", level=1)).to_be_visible()
    expect(telephone.get_by_text("Garage des Lilas").first).to_be_visible()
    expect(telephone.get_by_role("link", name="s'abonner au calendrier")).to_be_visible()
    assert _sans_defilement_horizontal(telephone)
    contenu = telephone.content()
    assert "Boulangerie Martin-Secret" not in contenu and "MARTIN" not in contenu and "Bureau 34" not in contenu
    assert capturer(telephone, "devenir-espace-jeune") == []
    telephone.set_viewport_size(LARGEURS["390"])
    assert _sans_defilement_horizontal(telephone)

    page.get_by_role("button", name="Révoquer le lien").click()
    expect(page.get_by_text("Lien personnel du jeune révoqué")).to_be_visible()
    assert telephone.reload().status == 404
    assert "Garage des Lilas" not in telephone.content()
    jeune.close()


def test_le_jeune_repond_aux_trois_questions(page_csp_libre, live_server, cast, donnees_reference):  # noqa: F811
    i = sorti(cast, nom="REPONSE", courriel="reponse@exemple.fr", accord=True)
    point = PointDevenir.objects.create(inscription=i, jalon_mois=3, date_prevue=datetime.date(2026, 11, 20))
    jeton, empreinte = LienJeune.nouveau_jeton()
    LienJeune.objects.create(
        inscription=i,
        usage="devenir",
        point=point,
        empreinte=empreinte,
        expire_le=timezone.now() + datetime.timedelta(days=30),
    )
    page = page_csp_libre
    page.set_viewport_size(LARGEURS["390"])
    page.goto(f"{live_server.url}/devenir/reponse/{jeton}/")
    expect(page.get_by_role("heading", name="Où en êtes-vous, Camille ?")).to_be_visible()
    assert _sans_defilement_horizontal(page)
    assert capturer(page, "devenir-reponse") == []
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Choisissez votre situation.").first).to_be_visible()  # nothing chosen: said, not lost
    page.get_by_text("En emploi", exact=True).click()
    page.get_by_label("2. Depuis quand ? (facultatif)").fill("2026-11-02")
    page.locator("label", has_text="Oui").first.click()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("heading", name="Merci pour votre réponse")).to_be_visible()
    assert capturer(page, "devenir-merci") == []
    point.refresh_from_db()
    assert (point.situation, point.situation_depuis, point.recontact) == ("emploi", datetime.date(2026, 11, 2), True)
    assert page.goto(f"{live_server.url}/devenir/reponse/{jeton}/").status == 404


def test_situation_a_6_mois_dans_le_pilotage(page_csp_libre, live_server, cast, donnees_reference):  # noqa: F811
    for k, situation in enumerate(["emploi"] * 6 + ["formation"] * 2):
        i = sorti(cast, nom=f"STAT{k}")
        PointDevenir.objects.create(
            inscription=i,
            jalon_mois=6,
            date_prevue=datetime.date(2027, 4, 20),
            situation=situation,
            source="jeune",
            repondu_le=timezone.now(),
        )
    page = page_csp_libre
    _connecter(page, live_server, cast.chef_a)  # the pilotage role must enrol a second factor first
    page.goto(f"{live_server.url}/tableaux/pilotage/")
    page.get_by_role("link", name="Situation à 6 mois après la sortie").click()
    page.get_by_label("Ventiler").select_option("mef")
    page.get_by_role("button", name="Afficher").click()
    tableau = page.get_by_test_id("situation-6-mois")
    expect(tableau.get_by_text("secret").first).to_be_visible()
    assert capturer(page, "devenir-statistiques") == []
