"""Browser path of steps 3 and 4: the chef creates the meeting, invites the whole «à contacter» list, marks
attendance; the counsellor then records an interview that confirms the entry."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from eleves.models import Reperage
from entretiens.models import Entretien, Invitation, Reunion
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reunion_invitations_presences_puis_entretien(page, live_server, connexion, cast, taches_sur_place):
    a_contacter = [
        ReperageFactory(
            jeune=JeuneFactory(etablissement=cast.lycee_a, nom=nom, prenoms="Alex", email=f"{nom.lower()}@exemple.fr"),
            campagne=cast.campagne,
        ).jeune
        for nom in ("BERNARD", "DUPONT", "LEROY")
    ]
    ReperageFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a, nom="TROUVE"),
        campagne=cast.campagne,
        statut_contact=Reperage.StatutContact.SOLUTION_TROUVEE,
    )
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_b, nom="AILLEURS"), campagne=cast.campagne)

    # The chef creates the meeting.
    connexion(page, cast.chef_a)
    page.goto(f"{live_server.url}/entretiens/")
    page.get_by_role("link", name="Nouvelle réunion d'information").click()
    jour = timezone.localdate() + datetime.timedelta(days=10)
    page.locator("#id_jour").fill(jour.isoformat())
    page.locator("#id_heure").fill("14:00")
    page.locator("#id_lieu").fill("Salle polyvalente")
    page.locator("#id_capacite").fill("20")
    page.locator("#id_mission_locale").select_option(label=str(cast.ml_a))
    page.locator("#id_intervenants").fill("Nadia Conseillère")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La réunion d'information collective est créée").wait_for()
    reunion = Reunion.objects.get()
    assert [m.to for m in mail.outbox] == [[cast.ml_a.email]]

    # Invite the whole «à contacter» list (default filter), with «Tout sélectionner».
    page.get_by_role("link", name="Inviter des jeunes").click()
    for j in a_contacter:
        expect(page.get_by_role("cell", name=j.nom, exact=True)).to_be_visible()
    assert page.get_by_role("cell", name="TROUVE", exact=True).count() == 0
    assert page.get_by_role("cell", name="AILLEURS", exact=True).count() == 0
    page.get_by_text("Tout sélectionner").click()
    assert all(page.locator('input[name="jeunes"]').nth(i).is_checked() for i in range(3))
    page.screenshot(path="test-results/entretiens-inviter.png", full_page=True)
    page.get_by_role("button", name="Inviter la sélection").click()
    page.get_by_text("3 jeune(s) invité(s) ; 3 invitation(s) envoyée(s) par courriel.").wait_for()
    assert set(reunion.invitations.values_list("jeune__nom", flat=True)) == {"BERNARD", "DUPONT", "LEROY"}
    assert all("AvenirPro+" in m.subject for m in mail.outbox) and len(mail.outbox) == 4

    # Attendance on one screen, once the meeting has taken place (attendance is recorded from its day on): the
    # meeting was held two days ago.
    Reunion.objects.filter(pk=reunion.pk).update(debut=timezone.now() - datetime.timedelta(days=2))
    page.reload()
    page.get_by_role("link", name="Saisir les présences").click()
    for nom, libelle in (("BERNARD", "Présent"), ("DUPONT", "Absent excusé"), ("LEROY", "Absent non excusé")):
        page.get_by_role("row").filter(has_text=nom).get_by_text(libelle, exact=True).click()
    page.screenshot(path="test-results/entretiens-presences.png", full_page=True)
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_text("Présences enregistrées (3 modification(s)).").wait_for()
    assert dict(reunion.invitations.values_list("jeune__nom", "presence")) == {
        "BERNARD": Invitation.Presence.PRESENT,
        "DUPONT": Invitation.Presence.EXCUSE,
        "LEROY": Invitation.Presence.ABSENT,
    }
    page.context.clear_cookies()

    # The counsellor of the covering mission locale records the interview of an invited young person.
    connexion(page, cast.conseiller_a)
    page.goto(f"{live_server.url}/entretiens/reunions/{reunion.uuid}/")
    page.get_by_role("link", name="Saisir un entretien pour BERNARD Alex").click()
    page.locator("#id_type").select_option(label="Entretien individuel d'entrée")
    # Held yesterday, after the meeting: an interview marked «réalisé» is in the past whatever the hour of the run.
    page.locator("#id_jour").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_heure").fill("10:00")
    page.locator("#id_situation").fill("Sans solution depuis juillet, cherche un apprentissage.")
    page.locator("#id_projet").select_option(label="Apprentissage")
    page.get_by_label("Mobilité", exact=True).check()
    page.get_by_label("Logement", exact=True).check()
    page.locator("#id_sante").fill("Information confidentielle de santé")
    page.get_by_text("Se déclare inscrit(e) à France Travail").click()
    page.locator("#id_decision").select_option(label="Entrée confirmée")
    page.locator("#id_prochaine_etape").fill("Inscription par le chef d'établissement")
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    page.get_by_text("L'entretien est enregistré.").wait_for()
    expect(page.get_by_role("heading", name="Entrée confirmée")).to_be_visible()
    page.screenshot(path="test-results/entretiens-entretien.png", full_page=True)
    e = Entretien.objects.get(jeune=a_contacter[0])
    assert e.decision == Entretien.Decision.ENTREE_CONFIRMEE and e.auteur == cast.conseiller_a
    assert sorted(e.freins) == ["logement", "mobilite"]
    assert e.sante == "Information confidentielle de santé"
    assert cast.conseiller_a in e.participants.all()


def test_creneau_propose_par_le_conseiller_reserve_par_le_chef(page, live_server, connexion, cast):
    from entretiens.models import CreneauEntretien

    jeune = JeuneFactory(etablissement=cast.lycee_a, nom="MOREAU", prenoms="Lina")
    ReperageFactory(jeune=jeune, campagne=cast.campagne)

    # The counsellor of the covering mission locale proposes a slot.
    connexion(page, cast.conseiller_a)
    page.goto(f"{live_server.url}/entretiens/")
    page.get_by_role("link", name="Proposer un créneau d'entretien").click()
    jour = timezone.localdate() + datetime.timedelta(days=3)
    page.locator("#id_jour").fill(jour.isoformat())
    page.locator("#id_heure").fill("09:30")
    page.locator("#id_lieu").fill("Bureau de la mission locale")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le créneau d'entretien est proposé.").wait_for()
    expect(page.get_by_role("cell", name="Bureau de la mission locale")).to_be_visible()
    page.context.clear_cookies()

    # The chef books it for a young person: a planned interview.
    connexion(page, cast.chef_a)
    page.goto(f"{live_server.url}/entretiens/")
    page.get_by_role("link", name="Réserver").click()
    page.locator("#id_jeune").select_option(label=str(jeune))
    page.get_by_role("button", name="Planifier l'entretien").click()
    page.get_by_text(f"Entretien planifié pour {jeune}.").wait_for()
    expect(page.get_by_text("Planifié", exact=True)).to_be_visible()
    creneau = CreneauEntretien.objects.get()
    assert creneau.entretien.jeune == jeune
    page.context.clear_cookies()

    # The appointment appears on the counsellor's screen.
    connexion(page, cast.conseiller_a)
    page.goto(f"{live_server.url}/entretiens/")
    rdv = page.get_by_role("link", name=f"{jour:%d/%m/%Y} à 09:30 – Entretien individuel d'entrée – MOREAU Lina")
    expect(rdv).to_be_visible()
    page.screenshot(path="test-results/entretiens-creneaux.png", full_page=True)
