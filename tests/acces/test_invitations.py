"""Invitations, roles given and removed, account deactivation (issue 3, docs/scorecard.md)."""

import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from administration import invitations
from avenirpro.models import Affectation, InvitationCompte, JournalAcces, Role, Utilisateur
from eleves.models import Jeune
from tests.avenirpro.factories import MissionLocaleFactory, avec_role
from tests.parcours.factories import InscriptionFactory


def lien(message):
    return re.search(r"https?://[^/\s]+(/administration/invitation/[^\s]+/)", message.body).group(1)


def inviter_referent(client, chef, lycee, email="prof@test.fr"):
    client.force_login(chef)
    return client.post(
        reverse("administration:inviter"),
        {
            "email": email,
            "prenom": "Paul",
            "nom": "Prof",
            "role": "referent",
            "etablissement": lycee.pk,
            "date_volontariat": "01/06/2026",
        },
    )


def test_le_chef_invite_un_referent_qui_cree_son_compte(cast, client, taches_apres_commit):
    with taches_apres_commit():
        r = inviter_referent(client, cast.chef_a, cast.lycee_a)
        # The e-mail leaves through the task queue, after commit: not during the request.
        assert r.status_code == 302 and not mail.outbox
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "AvenirPro+ – invitation"
    assert message.to == ["prof@test.fr"]
    invitation = InvitationCompte.objects.get(email="prof@test.fr")
    chemin = lien(message)
    assert invitation.jeton_hash not in chemin  # only the hash is stored, the token only travels by e-mail
    client.logout()

    page = client.get(chemin)
    assert page.status_code == 200 and "Référent de parcours" in page.content.decode()
    r = client.post(chemin, {"prenom": "Paul", "nom": "Prof", "password1": "court", "password2": "court"})
    assert r.status_code == 200 and "trop court" in r.content.decode()
    assert not Utilisateur.objects.filter(email="prof@test.fr").exists()

    mdp = "Un-mot-de-passe-solide-42"
    r = client.post(chemin, {"prenom": "Paul", "nom": "Prof", "password1": mdp, "password2": mdp})
    assert r.status_code == 302 and r["Location"] == reverse("administration:mon_compte")
    user = Utilisateur.objects.get(email="prof@test.fr")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert user.check_password(mdp)
    aff = Affectation.objects.get(utilisateur=user)
    assert (aff.role, aff.etablissement, aff.date_volontariat) == ("referent", cast.lycee_a, datetime.date(2026, 6, 1))
    # MFA is offered at once, without asking the password again.
    r = client.get(reverse("mfa_activate_totp"))
    assert r.status_code == 200
    # Single use.
    client.logout()
    assert client.get(chemin).status_code == 404


def test_invitation_expiree_ou_annulee(cast, client, taches_apres_commit):
    with taches_apres_commit():
        inviter_referent(client, cast.chef_a, cast.lycee_a)
    chemin = lien(mail.outbox[0])
    client.logout()
    InvitationCompte.objects.update(expire_le=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(chemin).status_code == 404
    InvitationCompte.objects.update(expire_le=timezone.now() + datetime.timedelta(days=1))
    assert client.get(chemin).status_code == 200
    InvitationCompte.objects.update(annulee_le=timezone.now())
    assert client.get(chemin).status_code == 404
    assert client.get("/administration/invitation/jeton-invente/").status_code == 404


def test_le_jeton_ne_sert_qu_une_fois_meme_en_appel_direct(cast, client, taches_apres_commit):
    with taches_apres_commit():
        inviter_referent(client, cast.chef_a, cast.lycee_a)
    jeton = lien(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    invitations.accepter(jeton=jeton, mot_de_passe="Un-mot-de-passe-solide-42", prenom="P", nom="P")
    with pytest.raises(invitations.InvitationInvalide):
        invitations.accepter(jeton=jeton, mot_de_passe="Un-autre-mot-de-passe-43", prenom="X", nom="X")


def test_le_chef_ne_peut_inviter_que_pour_son_lycee(cast, client):
    r = inviter_referent(client, cast.chef_b, cast.lycee_a)
    assert r.status_code == 200
    assert "Sélectionnez un choix valide" in r.content.decode()
    assert not InvitationCompte.objects.exists() and not mail.outbox


def test_le_chef_ne_peut_pas_donner_un_role_hors_du_lycee(cast, client):
    client.force_login(cast.chef_a)
    r = client.post(reverse("administration:inviter"), {"email": "x@test.fr", "role": "admin"})
    assert r.status_code == 200 and not InvitationCompte.objects.exists()
    r = client.post(
        reverse("administration:inviter"),
        {"email": "x@test.fr", "role": "conseiller_ml", "mission_locale": cast.ml_a.pk},
    )
    assert r.status_code == 200 and not InvitationCompte.objects.exists()


def test_champs_obligatoires_selon_le_role(cast, client):
    client.force_login(cast.chef_a)
    r = client.post(
        reverse("administration:inviter"), {"email": "x@test.fr", "role": "referent", "etablissement": cast.lycee_a.pk}
    )
    assert "professeur volontaire" in r.content.decode()
    r = client.post(
        reverse("administration:inviter"), {"email": "x@test.fr", "role": "chef", "etablissement": cast.lycee_a.pk}
    )
    assert "fonction" in r.content.decode()
    assert 'value="x@test.fr"' in r.content.decode()  # the form keeps what was typed
    assert not InvitationCompte.objects.exists()


def test_le_directeur_de_mission_locale_invite_ses_conseillers(cast, client):
    directeur = avec_role(Role.CONSEILLER_ML, mission_locale=cast.ml_a, email="dir@test.fr")
    Affectation.objects.filter(utilisateur=directeur).update(responsable=True)
    client.force_login(directeur)
    assert client.get(reverse("administration:accueil")).status_code == 200
    r = client.post(
        reverse("administration:inviter"),
        {"email": "cons@test.fr", "role": "conseiller_ml", "mission_locale": cast.ml_a.pk},
    )
    assert r.status_code == 302
    inv = InvitationCompte.objects.get()
    assert (inv.role, inv.mission_locale) == ("conseiller_ml", cast.ml_a)
    # Not for another mission locale, nor a lycée role.
    autre = MissionLocaleFactory()
    r = client.post(
        reverse("administration:inviter"), {"email": "c2@test.fr", "role": "conseiller_ml", "mission_locale": autre.pk}
    )
    assert r.status_code == 200
    r = client.post(
        reverse("administration:inviter"),
        {"email": "c2@test.fr", "role": "referent", "etablissement": cast.lycee_a.pk},
    )
    assert r.status_code == 200
    assert InvitationCompte.objects.count() == 1


def test_un_simple_conseiller_ne_peut_pas_inviter(cast, client):
    client.force_login(cast.conseiller_a)
    assert client.get(reverse("administration:inviter")).status_code == 403


def test_inviter_une_personne_qui_a_deja_un_compte_lui_propose_le_role(cast, client, taches_apres_commit):
    """ADR 0009: an existing account is not given the role at once; it accepts it once logged in. A role opening the
    sensitive sections (MLDS) comes from an administrator only, is journaled and told to the lycée's direction."""
    client.force_login(cast.admin)
    with taches_apres_commit():
        r = client.post(
            reverse("administration:inviter"),
            {"email": "PSY.A@test.fr", "role": "mlds", "etablissement": cast.lycee_a.pk},
        )
    assert r.status_code == 302
    invitation = InvitationCompte.objects.get()
    assert not Affectation.objects.filter(utilisateur=cast.psy_a, role="mlds").exists()
    assert [m.subject for m in mail.outbox] == ["AvenirPro+ – Un rôle vous est proposé"]
    assert mail.outbox[0].to == ["psy.a@test.fr"] and "/administration/invitation/" not in mail.outbox[0].body
    # The same role twice is refused with a message.
    Affectation.objects.create(
        utilisateur=cast.psy_a, role="mlds", etablissement=cast.lycee_a, date_debut=datetime.date(2020, 1, 1)
    )
    r = client.post(
        reverse("administration:inviter"),
        {"email": "psy.a@test.fr", "role": "mlds", "etablissement": cast.lycee_a.pk},
    )
    assert r.status_code == 200 and "déjà ce rôle" in r.content.decode()
    Affectation.objects.filter(utilisateur=cast.psy_a, role="mlds").delete()

    # Somebody else cannot answer it; the addressee accepts it from «Mon compte».
    url = reverse("administration:role_repondre", args=[invitation.uuid])
    client.force_login(cast.referent_a)
    assert client.post(url, {"reponse": "accepter"}).status_code == 404
    client.force_login(cast.psy_a)
    assert "Rôles proposés" in client.get(reverse("administration:mon_compte")).content.decode()
    mail.outbox.clear()
    with taches_apres_commit():
        assert client.post(url, {"reponse": "accepter"}).status_code == 302
    assert Affectation.objects.actives().filter(utilisateur=cast.psy_a, role="mlds").exists()
    invitation.refresh_from_db()
    assert invitation.utilisee_le and invitation.utilisateur == cast.psy_a
    assert JournalAcces.objects.filter(utilisateur=cast.admin, action="role", objet__contains="psy.a@test.fr").exists()
    assert [m.to for m in mail.outbox] == [["chef.a@test.fr"]]
    assert "sections sensibles" in mail.outbox[0].body
    assert client.post(url, {"reponse": "accepter"}).status_code == 404  # once


def test_un_role_propose_peut_etre_refuse(cast, client):
    client.force_login(cast.chef_a)
    inviter_referent(client, cast.chef_a, cast.lycee_a, email="conseiller.a@test.fr")
    invitation = InvitationCompte.objects.get()
    client.force_login(cast.conseiller_a)
    r = client.post(reverse("administration:role_repondre", args=[invitation.uuid]), {"reponse": "refuser"})
    assert r.status_code == 302
    invitation.refresh_from_db()
    assert invitation.annulee_le and not Affectation.objects.filter(utilisateur=cast.conseiller_a, role="referent")


def test_l_acceptation_est_verifiee_contre_l_auteur_qui_a_perdu_son_role(cast, client):
    inviter_referent(client, cast.chef_a, cast.lycee_a, email="conseiller.a@test.fr")
    invitation = InvitationCompte.objects.get()
    Affectation.objects.filter(utilisateur=cast.chef_a).update(date_fin=datetime.date(2020, 1, 1))
    client.force_login(cast.conseiller_a)
    r = client.post(
        reverse("administration:role_repondre", args=[invitation.uuid]), {"reponse": "accepter"}, follow=True
    )
    assert "plus valable" in r.content.decode()
    assert not Affectation.objects.filter(utilisateur=cast.conseiller_a, role="referent").exists()


def test_retirer_le_dernier_role_coupe_l_acces_aux_dossiers(cast, client):
    # A first name that cannot be the user's own (a random one could be, and the page shows the user's name).
    ins = InscriptionFactory(
        jeune__etablissement=cast.lycee_a, jeune__prenoms="Prenomduretrait", referent=cast.referent_a,
        campagne=cast.campagne,
    )  # fmt: skip
    client.force_login(cast.referent_a)
    assert ins.jeune.prenoms in client.get(reverse("administration:mon_compte")).content.decode()
    client.force_login(cast.chef_a)
    aff = Affectation.objects.get(utilisateur=cast.referent_a)
    r = client.post(reverse("administration:role_retirer"), {"affectation": aff.pk})
    assert r.status_code == 302
    client.force_login(cast.referent_a)
    assert ins.jeune.prenoms not in client.get(reverse("administration:mon_compte")).content.decode()
    cast.referent_a.__dict__.pop("perimetre", None)
    assert not Jeune.objects.visibles_par(cast.referent_a).exists()


def test_le_chef_b_ne_retire_pas_un_role_du_lycee_a(cast, client):
    client.force_login(cast.chef_b)
    aff = Affectation.objects.get(utilisateur=cast.referent_a)
    assert client.post(reverse("administration:role_retirer"), {"affectation": aff.pk}).status_code == 404
    assert client.post(reverse("administration:role_retirer"), {"affectation": "x"}).status_code == 404
    assert Affectation.objects.actives().filter(pk=aff.pk).exists()


def test_le_chef_ne_retire_pas_son_propre_role(cast, client):
    client.force_login(cast.chef_a)
    aff = Affectation.objects.get(utilisateur=cast.chef_a)
    r = client.post(reverse("administration:role_retirer"), {"affectation": aff.pk}, follow=True)
    assert "propre rôle" in r.content.decode()
    assert Affectation.objects.actives().filter(pk=aff.pk).exists()


def test_desactiver_un_compte_coupe_sa_session_ouverte(cast, client):
    from django.test import Client

    victime = Client()
    victime.force_login(cast.chef_a)
    assert victime.get("/").status_code == 200
    client.force_login(cast.admin)
    r = client.post(reverse("administration:compte_activation", args=[cast.chef_a.uuid]), {"actif": "0"})
    assert r.status_code == 302
    assert victime.get("/").status_code == 302
    # The administrator cannot lock themselves out.
    r = client.post(reverse("administration:compte_activation", args=[cast.admin.uuid]), {"actif": "0"})
    assert r.status_code == 403


def test_terminer_une_couverture_coupe_le_conseiller(cast, client):
    from tests.matrice import construire_scenario

    s = construire_scenario(cast)
    assert Jeune.objects.visibles_par(s.conseiller_a).filter(pk=s.jeune_a.pk).exists()
    client.force_login(cast.admin)
    couverture = cast.ml_a.couvertures.get()
    r = client.post(
        reverse("administration:couverture_terminer", args=[cast.ml_a.uuid]), {"couverture": couverture.pk}
    )
    assert r.status_code == 302
    assert (
        client.post(
            reverse("administration:couverture_terminer", args=[cast.ml_a.uuid]), {"couverture": "x"}
        ).status_code
        == 404
    )
    s.conseiller_a.__dict__.pop("perimetre", None)
    # Still their own enrolment as named counsellor, but no longer the lycée's other young people.
    assert not Jeune.objects.visibles_par(s.conseiller_a).exclude(inscriptions__conseiller=s.conseiller_a).exists()


def test_uai_invalide_refuse_avec_message(cast, client):
    client.force_login(cast.admin)
    donnees = {"uai": "0750654A", "nom": "X", "departement": "75", "academie": "Paris", "zone_vacances": "C"}
    r = client.post(reverse("administration:etablissement_creer"), donnees)
    assert r.status_code == 200 and "lettre" in r.content.decode().lower()
    donnees["uai"] = "0750654d"
    assert client.post(reverse("administration:etablissement_creer"), donnees).status_code == 302


def test_couverture_chevauchante_refusee(cast, client):
    client.force_login(cast.admin)
    r = client.post(
        reverse("administration:couverture_ajouter", args=[cast.ml_a.uuid]),
        {"etablissement": cast.lycee_a.pk, "date_debut": "01/09/2026"},
    )
    assert r.status_code == 200 and "déjà couvert" in r.content.decode()
    r = client.post(
        reverse("administration:couverture_ajouter", args=[cast.ml_a.uuid]),
        {"etablissement": cast.lycee_b.pk, "date_debut": "01/09/2026", "date_fin": "01/08/2026"},
    )
    assert r.status_code == 200 and "La fin doit suivre le début" in r.content.decode()
