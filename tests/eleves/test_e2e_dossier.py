"""Browser: every name leads to the record. The référent goes from «Mes jeunes» to the record (phone to call,
parcours tabs one click away, breadcrumbs back) and corrects a phone number; the counsellor goes from the dashboard's
lycée to their list, then to a record; the chef corrects an identity with a reason and sees a future contact refused
next to its field; screenshots at 1280 px and 390 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from entretiens.models import Invitation
from parcours.models import PointSuivi
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.entretiens.factories import InvitationFactory, ReunionFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LARGEURS = {"ordinateur": 1280, "telephone": 390}


@pytest.fixture
def dossier(cast, donnees_reference):
    jour = timezone.localdate()
    jeune = JeuneFactory(
        etablissement=cast.lycee_a, nom="BERNARD", prenoms="Inès", telephone="06 11 22 33 44", email="ines@example.org"
    )
    ReperageFactory(jeune=jeune, campagne=cast.campagne)
    reunion = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
    InvitationFactory(reunion=reunion, jeune=jeune, presence=Invitation.Presence.PRESENT)
    inscription = InscriptionFactory(
        jeune=jeune,
        campagne=cast.campagne,
        referent=cast.referent_a,
        conseiller=cast.conseiller_a,
        statut="en_cours",
        date_entree=jour - datetime.timedelta(days=30),
        date_fin_prevue=jour + datetime.timedelta(days=60),
    )
    PointSuivi.objects.create(
        inscription=inscription,
        date=jour - datetime.timedelta(days=10),
        contenu="Point",
        prochaine_date=jour - datetime.timedelta(days=3),
        auteur=cast.referent_a,
    )
    cast.jeune, cast.inscription = jeune, inscription
    return cast


def _captures(page, nom):
    for appareil, largeur in LARGEURS.items():
        page.set_viewport_size({"width": largeur, "height": 900})
        page.screenshot(path=f"test-results/{nom}-{largeur}.png", full_page=True)
        # Nothing wider than the screen on a phone: the page scrolls vertically only.
        if appareil == "telephone":
            assert page.evaluate("document.documentElement.scrollWidth") <= largeur + 1
    page.set_viewport_size({"width": 1280, "height": 900})


def test_le_referent_va_du_tableau_au_dossier_et_corrige_un_numero(page, live_server, connexion, dossier):
    connexion(page, dossier.referent_a)
    page.get_by_role("link", name="Mes jeunes", exact=True).first.click()
    ligne = page.get_by_role("row").filter(has_text="BERNARD Inès")
    expect(ligne).to_contain_text("en retard")  # the overdue point is flagged
    _captures(page, "dossier-ecran-referent")
    ligne.get_by_role("link", name="BERNARD Inès").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BERNARD Inès")
    expect(page.get_by_role("link", name="06 11 22 33 44")).to_have_attribute("href", "tel:0611223344")
    _captures(page, "dossier-referent")
    # The parcours tabs one click away, and the parcours leads back to the record.
    page.get_by_role("link", name="Points de suivi").first.click()
    expect(page.get_by_role("heading", name="Points de suivi", level=1)).to_be_visible()
    page.get_by_role("link", name="Dossier du jeune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BERNARD Inès")
    page.get_by_role("link", name="Corriger les coordonnées").click()
    expect(page.get_by_label("Nom", exact=True)).to_have_count(0)  # identity: the direction's
    page.get_by_label("Téléphone (Optionnel)", exact=True).fill("07 55 44 33 22")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Dossier mis à jour.")).to_be_visible()
    expect(page.get_by_role("link", name="07 55 44 33 22")).to_be_visible()
    expect(page.get_by_text("Correction à la main")).to_be_visible()  # in the history
    # The breadcrumb leads back to the référent's screen.
    page.locator(".fr-breadcrumb").get_by_role("link", name="Mes jeunes (référent)").click()
    expect(page.get_by_role("heading", name="Mes jeunes", level=1)).to_be_visible()


def test_le_conseiller_va_du_lycee_a_sa_liste_puis_au_dossier(page, live_server, connexion, dossier):
    connexion(page, dossier.conseiller_a)
    page.get_by_role("link", name="Mes jeunes (mission locale)", exact=True).first.click()
    page.get_by_role("rowheader", name="Lycée A", exact=True).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Jeunes de la mission locale", level=1)).to_be_visible()
    expect(page.get_by_label("Lycée")).to_have_value(str(dossier.lycee_a.uuid))
    _captures(page, "dossier-liste-conseiller")
    page.get_by_role("link", name="BERNARD Inès").click()
    expect(page.get_by_role("link", name="ines@example.org")).to_have_attribute("href", "mailto:ines@example.org")
    _captures(page, "dossier-conseiller")


def test_le_chef_corrige_l_identite_avec_un_motif_et_une_date_future_est_refusee(
    page, live_server, connexion, dossier
):
    connexion(page, dossier.chef_a)
    page.goto(f"{live_server.url}/jeunes/{dossier.jeune.uuid}/")
    page.get_by_role("link", name="Modifier le dossier").click()
    page.get_by_label("Nom", exact=True).fill("BERNARD-LEROY")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez le motif de la correction de l'identité")).to_be_visible()
    page.get_by_label("Motif de la correction").fill("Acte de mariage vu")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BERNARD-LEROY Inès")
    expect(page.get_by_text("Correction à la main : Acte de mariage vu")).to_be_visible()
    # A contact dated in the future: the message next to the date.
    futur = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    page.get_by_label("Date et heure").fill(f"{futur}T10:00")
    page.get_by_label("Canal").select_option("telephone")
    page.get_by_label("Résultat").select_option("joint")
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.get_by_text("La date du contact ne peut pas être dans le futur.")).to_be_visible()
    page.screenshot(path="test-results/dossier-contact-futur.png", full_page=True)
