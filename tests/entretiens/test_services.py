import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from avenirpro.models import Notification
from entretiens import services
from entretiens.ics import ics_reunion
from entretiens.models import CreneauEntretien, Entretien, Invitation
from tests.eleves.factories import JeuneFactory
from tests.entretiens.factories import EntretienFactory, InvitationFactory, ReunionFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reunion(cast):
    return ReunionFactory(
        etablissement=cast.lycee_a,
        campagne=cast.campagne,
        mission_locale=cast.ml_a,
        intervenants="Nadia Conseillère",
        capacite=10,
        cree_par=cast.chef_a,
        debut=timezone.now().replace(microsecond=0) + datetime.timedelta(days=7),
    )


def courriels_mission_locale(ml):
    return [m for m in mail.outbox if ml.email in m.to]


def courriels_de_reunion():
    """The meeting's e-mails (invitations, reminders), not the organisers' notification e-mails that the same
    sweep sends through the same queue."""
    return [m for m in mail.outbox if "réunion d'information collective du" in m.subject]


def test_inviter_cree_les_invitations_et_envoie_les_courriels(cast, reunion, taches_apres_commit):
    avec = JeuneFactory.create_batch(3, etablissement=cast.lycee_a, email="j@exemple.fr")
    sans = JeuneFactory(etablissement=cast.lycee_a, email="")
    with taches_apres_commit():
        nb, courriels = services.inviter_jeunes(reunion=reunion, jeunes=[*avec, sans])
        # The e-mails leave through the task queue after commit, never during the request.
        assert mail.outbox == [] and not reunion.invitations.filter(courriel_envoye_le__isnull=False).exists()
    assert (nb, courriels) == (4, 3)
    assert reunion.invitations.count() == 4
    assert all("AvenirPro+" in m.subject for m in mail.outbox)
    assert reunion.invitations.filter(courriel_envoye_le__isnull=False).count() == 3
    # Inviting again the same young people creates nothing and sends nothing.
    with taches_apres_commit():
        assert services.inviter_jeunes(reunion=reunion, jeunes=avec) == (0, 0)
    assert len(mail.outbox) == 3


def test_la_capacite_est_une_limite_et_rien_n_est_ecrit_au_dela(cast, reunion, taches_apres_commit):
    jeunes = JeuneFactory.create_batch(11, etablissement=cast.lycee_a, email="j@exemple.fr")
    with taches_apres_commit(), pytest.raises(ValidationError, match="capacité"):
        services.inviter_jeunes(reunion=reunion, jeunes=jeunes)
    assert reunion.invitations.count() == 0
    assert mail.outbox == []


def test_on_n_invite_pas_un_jeune_d_un_autre_lycee(cast, reunion):
    with pytest.raises(ValidationError):
        services.inviter_jeunes(reunion=reunion, jeunes=[JeuneFactory(etablissement=cast.lycee_b)])
    assert reunion.invitations.count() == 0


def test_invitation_mission_locale_sujet_et_ics_valide(cast, reunion, taches_apres_commit):
    with taches_apres_commit():
        assert services.envoyer_invitation_mission_locale(reunion=reunion)
    (m,) = courriels_mission_locale(cast.ml_a)
    assert "AvenirPro+" in m.subject
    nom, contenu, type_mime = m.attachments[0]
    assert nom.endswith(".ics") and type_mime.startswith("text/calendar")
    cal = Calendar.from_ical(contenu)
    (ev,) = cal.walk("VEVENT")
    assert str(cal["version"]) == "2.0" and str(cal["method"]) == "REQUEST"
    assert ev.decoded("dtstart") == reunion.debut
    assert ev.decoded("dtend") - ev.decoded("dtstart") == datetime.timedelta(minutes=reunion.duree_minutes)
    assert str(ev["location"]) == reunion.lieu
    assert str(ev["uid"]) == f"reunion-{reunion.uuid}@avenirpro"
    assert "Nadia Conseillère" in str(ev["description"])
    assert str(ev["attendee"]) == f"mailto:{cast.ml_a.email}"
    reunion.refresh_from_db()
    assert reunion.mission_locale_invitee_le is not None


def test_ics_garde_l_heure_de_paris(cast):
    r = ReunionFactory(
        etablissement=cast.lycee_a,
        campagne=cast.campagne,
        debut=timezone.make_aware(datetime.datetime(2026, 9, 15, 14, 0)),
    )
    ev = Calendar.from_ical(ics_reunion(r)).walk("VEVENT")[0]
    assert ev.decoded("dtstart") == datetime.datetime(2026, 9, 15, 12, 0, tzinfo=datetime.UTC)


def test_rappels_48h_une_seule_fois(cast, reunion, taches_apres_commit):
    maintenant = reunion.debut - datetime.timedelta(hours=47)
    jeunes = JeuneFactory.create_batch(2, etablissement=cast.lycee_a, email="j@exemple.fr")
    for j in jeunes:
        InvitationFactory(reunion=reunion, jeune=j)
    excuse = InvitationFactory(
        reunion=reunion,
        jeune=JeuneFactory(etablissement=cast.lycee_a, email="e@exemple.fr"),
        presence=Invitation.Presence.EXCUSE,
    )
    loin = ReunionFactory(
        etablissement=cast.lycee_a, campagne=cast.campagne, debut=reunion.debut + datetime.timedelta(days=5)
    )
    InvitationFactory(reunion=loin, jeune=jeunes[0])

    with taches_apres_commit():
        assert services.envoyer_rappels_reunions(maintenant=maintenant) == 3  # two young people + the mission locale
    assert all("AvenirPro+" in m.subject for m in mail.outbox)
    assert not any(excuse.jeune.email in m.to for m in mail.outbox)
    assert len(courriels_mission_locale(cast.ml_a)) == 1
    assert len(courriels_de_reunion()) == 3
    # In the app: the lycée's direction (chef_a, who created it) and the mission locale's counsellors.
    assert set(
        Notification.objects.filter(cle=f"rappel-reunion-{reunion.uuid}").values_list("destinataire__email", flat=True)
    ) == {"chef.a@test.fr", "conseiller.a@test.fr"}
    # Idempotent: nothing more on a second sweep.
    with taches_apres_commit():
        assert services.envoyer_rappels_reunions(maintenant=maintenant + datetime.timedelta(minutes=5)) == 0
    assert len(courriels_de_reunion()) == 3
    assert Notification.objects.count() == 2
    # The organisers' two notifications were e-mailed once each (immediate e-mails by default), with the rest.
    assert len(mail.outbox) == 5


def test_pas_de_rappel_trop_tot_ni_apres_la_reunion(cast, reunion, taches_apres_commit):
    InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=cast.lycee_a, email="j@exemple.fr"))
    with taches_apres_commit():
        assert services.envoyer_rappels_reunions(maintenant=reunion.debut - datetime.timedelta(hours=49)) == 0
        assert services.envoyer_rappels_reunions(maintenant=reunion.debut + datetime.timedelta(minutes=1)) == 0
    assert mail.outbox == []


def test_presences_valeur_inconnue_refusee_sans_rien_ecrire(cast, reunion):
    # Attendance is recorded from the meeting's day on (ADR 0017): this meeting took place an hour ago.
    reunion.debut = timezone.now() - datetime.timedelta(hours=1)
    reunion.save(update_fields=["debut"])
    a = InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=cast.lycee_a))
    b = InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=cast.lycee_a))
    with pytest.raises(ValidationError):
        services.enregistrer_presences(reunion=reunion, presences={a.pk: "present", b.pk: "peut-etre"})
    a.refresh_from_db()
    assert a.presence == Invitation.Presence.A_RENSEIGNER
    assert services.enregistrer_presences(reunion=reunion, presences={a.pk: "present", b.pk: "absent"}) == 2


def test_reserver_un_creneau_planifie_un_entretien_visible_des_suivants(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    InscriptionFactory(jeune=jeune, campagne=cast.campagne, referent=cast.referent_a, conseiller=cast.conseiller_a)
    creneau = CreneauEntretien.objects.create(
        etablissement=cast.lycee_a,
        debut=timezone.now() + datetime.timedelta(days=2),
        lieu="Bureau 12",
        propose_par=cast.conseiller_a,
    )
    e = services.reserver_creneau(creneau=creneau, jeune=jeune, type_entretien=Entretien.Type.ENTREE, par=cast.chef_a)
    assert e.statut == Entretien.Statut.PLANIFIE and e.date == creneau.debut and e.lieu == "Bureau 12"
    assert set(e.participants.all()) == {cast.chef_a, cast.conseiller_a}
    for u in (cast.referent_a, cast.conseiller_a, cast.chef_a):
        assert list(Entretien.objects.a_venir_pour(u)) == [e]
    assert list(Entretien.objects.a_venir_pour(cast.chef_b)) == []
    assert list(Entretien.objects.a_venir_pour(cast.referent_a2)) == []
    with pytest.raises(ValidationError, match="déjà réservé"):
        services.reserver_creneau(
            creneau=creneau, jeune=JeuneFactory(etablissement=cast.lycee_a), type_entretien="entree", par=cast.chef_a
        )


def test_un_creneau_ne_se_reserve_que_pour_un_jeune_du_lycee(cast):
    creneau = CreneauEntretien.objects.create(
        etablissement=cast.lycee_a, debut=timezone.now() + datetime.timedelta(days=2), lieu="B12"
    )
    with pytest.raises(ValidationError):
        services.reserver_creneau(
            creneau=creneau, jeune=JeuneFactory(etablissement=cast.lycee_b), type_entretien="entree", par=cast.chef_a
        )
    assert Entretien.objects.count() == 0


def test_un_entretien_passe_n_est_pas_a_venir(cast):
    e = EntretienFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a),
        campagne=cast.campagne,
        statut=Entretien.Statut.PLANIFIE,
        date=timezone.now() - datetime.timedelta(hours=1),
    )
    e.participants.add(cast.chef_a)
    assert list(Entretien.objects.a_venir_pour(cast.chef_a)) == []


def test_regles_du_modele_entretien(cast):
    e = Entretien(
        jeune=JeuneFactory(etablissement=cast.lycee_a),
        campagne=cast.campagne,
        type="entree",
        date=timezone.now(),
        freins=["logement", "licorne"],
    )
    with pytest.raises(ValidationError) as exc:
        e.full_clean()
    assert "freins" in exc.value.message_dict
    e.freins = ["logement"]
    e.statut = Entretien.Statut.PLANIFIE
    e.decision = Entretien.Decision.ENTREE_CONFIRMEE
    with pytest.raises(ValidationError) as exc:
        e.full_clean()
    assert "decision" in exc.value.message_dict


def test_changer_la_date_relance_les_rappels(cast, reunion):
    inv = InvitationFactory(reunion=reunion, jeune=JeuneFactory(etablissement=cast.lycee_a, email="j@exemple.fr"))
    assert services.envoyer_rappels_reunions(maintenant=reunion.debut - datetime.timedelta(hours=1)) == 2
    ancien = reunion.debut
    reunion.debut = ancien + datetime.timedelta(days=7)
    assert services.modifier_reunion(reunion=reunion, ancien_debut=ancien)
    inv.refresh_from_db()
    assert inv.rappel_envoye_le is None and reunion.rappel_envoye_le is None
    assert services.envoyer_rappels_reunions(maintenant=reunion.debut - datetime.timedelta(hours=1)) == 2
    # Same date: nothing is reset.
    reunion.lieu = "CDI"
    assert not services.modifier_reunion(reunion=reunion, ancien_debut=reunion.debut)
    assert services.envoyer_rappels_reunions(maintenant=reunion.debut - datetime.timedelta(hours=1)) == 0


# --- enregistrer_entretien: the interview sheet saved by the service, not by the view's form.save() ------------


def test_enregistrer_entretien_sans_campagne_refuse_rien_n_est_ecrit(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    entretien = Entretien(jeune=jeune, campagne=None, auteur=cast.chef_a, date=timezone.now())
    with pytest.raises(ValidationError, match="Aucune campagne"):
        services.enregistrer_entretien(entretien=entretien, par=cast.chef_a)
    assert not Entretien.objects.filter(jeune=jeune).exists()


def test_enregistrer_entretien_applique_les_regles_du_modele(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    entretien = Entretien(
        jeune=jeune,
        campagne=cast.campagne,
        auteur=cast.chef_a,
        date=timezone.now() + datetime.timedelta(days=2),
        statut=Entretien.Statut.PLANIFIE,
        decision=Entretien.Decision.ENTREE_CONFIRMEE,
    )
    with pytest.raises(ValidationError) as e:
        services.enregistrer_entretien(entretien=entretien, par=cast.chef_a)
    assert "decision" in e.value.error_dict
    assert not Entretien.objects.filter(jeune=jeune).exists()


def test_enregistrer_entretien_participants_et_entree_confirmee_notifiee(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    entretien = Entretien(
        jeune=jeune,
        campagne=cast.campagne,
        auteur=cast.referent_a,
        date=timezone.now() - datetime.timedelta(hours=1),
        statut=Entretien.Statut.REALISE,
        decision=Entretien.Decision.ENTREE_CONFIRMEE,
    )
    services.enregistrer_entretien(entretien=entretien, par=cast.referent_a, participants=[cast.referent_a])
    assert list(entretien.participants.all()) == [cast.referent_a]
    assert Notification.objects.filter(destinataire=cast.chef_a, cle=f"entree-confirmee-{entretien.uuid}").exists()
    # A second save with other participants replaces them; the notification is not sent twice.
    services.enregistrer_entretien(entretien=entretien, par=cast.referent_a, participants=[cast.chef_a])
    assert list(entretien.participants.all()) == [cast.chef_a]
    assert Notification.objects.filter(cle=f"entree-confirmee-{entretien.uuid}").count() == 1
