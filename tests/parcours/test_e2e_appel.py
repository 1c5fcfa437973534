"""Browser tests of attendance: the back button never brings a stale grid that erases saved half-days."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from parcours.models import Presence
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date


def _inscription(cast, nom="LEROY"):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom=nom, prenoms="Inès")
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    return InscriptionFactory(
        jeune=jeune, campagne=cast.campagne, referent=cast.referent_a, conseiller=cast.conseiller_a, statut="en_cours"
    )


def test_retour_arriere_puis_enregistrer_ne_perd_pas_la_semaine(page, live_server, connexion, cast):
    inscription = _inscription(cast)
    connexion(page, cast.referent_a)
    url = f"{live_server.url}/parcours/{inscription.uuid}/assiduite/?semaine=2026-09-21"
    page.goto(url)
    page.get_by_role("button", name=re.compile("Tout présent")).click()
    expect(page.get_by_text(re.compile(r"Assiduité de la semaine enregistrée \(10 demi-journées\)"))).to_be_visible()
    assert inscription.presences.filter(statut=Presence.Statut.PRESENT).count() == 10
    # The browser's back button: the grid as it was drawn before the save.
    page.go_back()
    page.wait_for_load_state()
    # The page is drawn again from the server, without the values the browser would have put back (blank selects).
    expect(page.locator("[name=statut_20260921_matin]")).to_have_value("present")
    page.get_by_role("button", name="Enregistrer la semaine").click()
    expect(
        page.get_by_text("Aucune modification : la semaine est déjà enregistrée (10 demi-journées).")
    ).to_be_visible()
    page.screenshot(path="test-results/assiduite-retour-arriere.png", full_page=True)
    # Nothing erased: the 10 saved half-days are still «Présent».
    assert inscription.presences.filter(statut=Presence.Statut.PRESENT).count() == 10
    # A page the browser would bring back from its back-forward cache (`persisted`) is drawn again by the server.
    with page.expect_navigation():
        page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(page.locator("[name=statut_20260921_matin]")).to_have_value("present")


def _atelier(inscription, jour, heure, lieu="Lycée A"):
    from parcours.models import Creneau
    from tests.parcours.factories import ActionFactory

    action = ActionFactory(
        inscription=inscription, lieu=lieu, date_debut=D(2026, 9, 14), date_fin=D(2026, 10, 16), intitule="Atelier CV"
    )
    Creneau.objects.create(
        action=action, jour=jour, heure_debut=datetime.time(heure), heure_fin=datetime.time(heure + 2)
    )


@pytest.fixture
def contexte_axe(browser):
    """Pages audited with axe-core: the injected script bypasses the CSP (the app's own CSP is tested elsewhere)."""
    contextes = []

    def _ouvrir(largeur, hauteur=900):
        c = browser.new_context(
            bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": largeur, "height": hauteur}
        )
        contextes.append(c)
        return c.new_page()

    yield _ouvrir
    for c in contextes:
        c.close()


def test_faire_l_appel_au_telephone_et_sur_ordinateur(contexte_axe, live_server, connexion, cast):
    from tests.e2e.test_accessibilite import GRAVES, _axe

    durand, bernard = _inscription(cast, "DURAND"), _inscription(cast, "BERNARD")
    _atelier(durand, jour=2, heure=9)
    _atelier(bernard, jour=2, heure=9)
    _atelier(bernard, jour=2, heure=14, lieu="Mission locale")
    url = f"{live_server.url}/parcours/appel/?jour=2026-09-23"

    # On a phone (390 px): one tap per half-day, the choices keep their words.
    page = contexte_axe(390, 844)
    connexion(page, cast.referent_a)
    page.goto(url)
    expect(page.get_by_test_id("resume-appel")).to_have_text("2 jeunes ; 3 demi-journées attendues non saisies.")
    cle = f"{bernard.uuid}_20260923_apres_midi"
    page.locator(f"label[for='r-{cle}-3']").click()  # «Absent»
    largeurs = page.eval_on_selector_all(
        ".ap-appel__cellule .fr-segmented__element label", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert min(largeurs) > 40, largeurs  # never shrunk to one letter
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    graves = [v for v in _axe(page) if v["impact"] in GRAVES]
    page.screenshot(path="test-results/appel-390.png", full_page=True)
    assert not graves, graves
    page.get_by_role("button", name=re.compile("Tous présents")).click()
    expect(page.get_by_text(re.compile(r"Appel enregistré : 3 demi-journée\(s\) modifiée\(s\)"))).to_be_visible()
    statuts = set(Presence.objects.values_list("inscription__jeune__nom", "periode", "statut"))
    assert statuts == {
        ("DURAND", "matin", "present"),
        ("BERNARD", "matin", "present"),
        ("BERNARD", "apres_midi", "absent_non_justifie"),
    }
    # Back, then save again: the saved register stays.
    page.go_back()
    page.wait_for_load_state()
    page.get_by_role("button", name="Enregistrer l'appel").click()
    expect(page.get_by_text("Aucune modification : l'appel était déjà enregistré.")).to_be_visible()
    assert Presence.objects.count() == 3

    # On a computer (1280 px), with the keyboard only: the week of all my young people, then the register.
    page = contexte_axe(1280)
    connexion(page, cast.referent_a)
    page.goto(f"{live_server.url}/parcours/appel/semaine/?semaine=2026-09-21")
    expect(page.get_by_test_id("resume-semaine")).to_have_text("2 jeunes ; 0 demi-journée attendue non saisie.")
    assert not [v for v in _axe(page) if v["impact"] in GRAVES]
    page.screenshot(path="test-results/appel-semaine-1280.png", full_page=True)
    page.get_by_role("link", name=re.compile(r"^mer\.? 23.09$")).click()
    page.wait_for_url(re.compile(r"/parcours/appel/\?jour=2026-09-23"))
    radio = page.locator(f"#r-{durand.uuid}_20260923_matin-2")  # «Retard»
    radio.focus()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    assert not [v for v in _axe(page) if v["impact"] in GRAVES]
    page.screenshot(path="test-results/appel-1280.png", full_page=True)
    page.get_by_role("button", name="Enregistrer l'appel").press("Enter")
    expect(page.get_by_text(re.compile(r"Appel enregistré : 1 demi-journée\(s\) modifiée\(s\)"))).to_be_visible()
    assert Presence.objects.get(inscription=durand).statut == "retard"


def test_les_creneaux_se_gerent_depuis_l_emploi_du_temps(page, live_server, connexion, cast):
    from parcours.models import Creneau
    from tests.parcours.factories import ActionFactory

    inscription = _inscription(cast)
    ActionFactory(
        inscription=inscription, intitule="Atelier orientation", date_debut=D(2026, 9, 21), date_fin=D(2026, 10, 16)
    )
    connexion(page, cast.referent_a)
    page.goto(f"{live_server.url}/parcours/{inscription.uuid}/emploi-du-temps/?semaine=2026-09-21")
    expect(page.get_by_test_id("edt-vide")).to_contain_text("Aucun créneau n'est encore prévu")
    formulaire = page.locator("form.ap-creneau-ajouter")
    formulaire.get_by_label("Jour").select_option("1")
    formulaire.get_by_label("Début").fill("09:00")
    formulaire.get_by_label("Fin").fill("12:00")
    formulaire.get_by_role("button", name="Ajouter le créneau").click()
    expect(page.get_by_text("Créneau ajouté à l'emploi du temps.")).to_be_visible()
    expect(page.locator("table.edt")).to_contain_text("Atelier orientation")
    creneau = Creneau.objects.get()
    deplacer = page.locator("form.ap-creneau-deplacer")
    deplacer.get_by_label("Jour").select_option("3")
    deplacer.get_by_role("button", name="Déplacer").click()
    expect(page.get_by_text("Créneau déplacé : Jeudi 09:00–12:00.")).to_be_visible()
    creneau.refresh_from_db()
    assert creneau.jour == 3
    page.screenshot(path="test-results/emploi-du-temps-creneaux-1280.png", full_page=True)
    page.get_by_role("button", name=re.compile("Retirer le créneau du Jeudi")).click()
    expect(page.get_by_text("Créneau du Jeudi 09:00–12:00 retiré de l'emploi du temps.")).to_be_visible()
    assert not Creneau.objects.exists()


def test_ecran_du_referent_assiduite_a_saisir_a_1280_et_390_px(contexte_axe, live_server, connexion, cast):
    from django.utils import timezone

    from parcours import regles
    from parcours.models import Action, Creneau
    from tests.e2e.test_accessibilite import GRAVES, _axe

    # Dates computed inside the test from today (the screen shows this week up to today).
    jour = timezone.localdate()
    lundi = jour - datetime.timedelta(days=jour.weekday())
    suivi = _inscription(cast, "DURAND")
    suivi.date_entree = lundi - datetime.timedelta(days=21)
    suivi.date_fin_prevue = lundi + datetime.timedelta(days=60)
    suivi.save()
    action = Action.objects.create(
        inscription=suivi,
        type="tre",
        intitule="Atelier CV",
        date_debut=suivi.date_entree,
        date_fin=suivi.date_fin_prevue,
    )
    for n in range(5):
        Creneau.objects.create(action=action, jour=n, heure_debut=datetime.time(9), heure_fin=datetime.time(11))
    vide = _inscription(cast, "SANSCRENEAU")
    vide.date_entree = suivi.date_entree
    vide.date_fin_prevue = suivi.date_fin_prevue
    vide.save()
    suivi.refresh_from_db()
    attendues = [
        cle
        for cle in regles.demi_journees_attendues(
            suivi, list(action.creneaux.select_related("action")), [], lundi, lundi + datetime.timedelta(days=6)
        )
        if cle[0] <= jour
    ]
    for largeur in (1280, 390):
        page = contexte_axe(largeur, 900)
        connexion(page, cast.referent_a)
        page.goto(f"{live_server.url}/tableaux/referent/")
        expect(page.get_by_role("heading", name=f"Assiduité à saisir ({len(attendues)})")).to_be_visible()
        expect(page.get_by_test_id("sans-emploi-du-temps")).to_contain_text("sans créneau ni PFMP cette semaine (1)")
        expect(page.get_by_test_id("sans-emploi-du-temps").locator("+ ul").get_by_role("link")).to_have_attribute(
            "href", f"/parcours/{vide.uuid}/emploi-du-temps/"
        )
        expect(page.get_by_role("link", name="Faire l'appel du jour")).to_be_visible()
        assert not [v for v in _axe(page) if v["impact"] in GRAVES]
        page.screenshot(path=f"test-results/referent-assiduite-{largeur}.png", full_page=True)
