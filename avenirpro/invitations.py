"""Accounts by invitation: a single-use token sent by e-mail, valid INVITATION_VALIDITE (ADR 0004).

- `inviter(...)`: for an unknown address, records an `InvitationCompte` and e-mails the link; for a person who
  already has an account, gives the role at once and tells them by e-mail (no token needed).
- `trouver(jeton)`: the pending invitation behind a token, or None (unknown, used, cancelled or expired).
- `accepter(...)`: creates the account and the role, marks the invitation used — once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from avenirpro.models import Affectation, InvitationCompte, Role, Utilisateur

INVITATION_VALIDITE = datetime.timedelta(days=7)
SUJET_INVITATION = "AvenirPro+ – invitation"
SUJET_NOUVEAU_ROLE = "AvenirPro+ – nouveau rôle"


def _empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


def _champs_role(role, etablissement, mission_locale, fonction, responsable, date_volontariat, niveau, perimetre):
    """Only the fields that make sense for the role are kept (the database constraints check the rest)."""
    du_lycee = role in (Role.CHEF, Role.REFERENT, Role.PSY_EN, Role.MLDS)
    return {
        "role": role,
        "etablissement": etablissement if du_lycee else None,
        "mission_locale": mission_locale if role == Role.CONSEILLER_ML else None,
        "fonction": fonction if role == Role.CHEF else "",
        "responsable": bool(responsable) if role == Role.CONSEILLER_ML else False,
        "date_volontariat": date_volontariat if role == Role.REFERENT else None,
        "niveau": niveau if role == Role.PILOTAGE else "",
        "perimetre": perimetre if role == Role.PILOTAGE else "",
    }


def role_deja_tenu(utilisateur, champs) -> bool:
    return (
        Affectation.objects.actives()
        .filter(
            utilisateur=utilisateur,
            role=champs["role"],
            etablissement=champs["etablissement"],
            mission_locale=champs["mission_locale"],
        )
        .exists()
    )


@transaction.atomic
def inviter(
    *,
    par,
    email: str,
    role: str,
    lien_base: str,
    prenom: str = "",
    nom: str = "",
    etablissement=None,
    mission_locale=None,
    fonction: str = "",
    responsable: bool = False,
    date_volontariat=None,
    niveau: str = "",
    perimetre: str = "",
) -> tuple[InvitationCompte | None, Affectation | None]:
    """Invite `email` to hold `role`. `lien_base` is the absolute site root (e.g. https://host) for the e-mail.

    The caller has checked that `par` may give this role in this organisation (avenirpro.acces)."""
    email = email.strip().lower()
    champs = _champs_role(
        role, etablissement, mission_locale, fonction, responsable, date_volontariat, niveau, perimetre
    )
    existant = Utilisateur.objects.filter(email__iexact=email).first()
    if existant is not None:
        if role_deja_tenu(existant, champs):
            raise ValidationError("Cette personne a déjà ce rôle dans cette organisation.")
        affectation = Affectation(utilisateur=existant, date_debut=timezone.localdate(), **champs)
        affectation.full_clean()
        affectation.save()
        organisation = affectation.etablissement or affectation.mission_locale or affectation.perimetre
        send_mail(
            SUJET_NOUVEAU_ROLE,
            f"Bonjour,\n\n{par} vous a donné le rôle « {affectation.get_role_display()} » "
            f"({organisation}) dans AvenirPro+.\n\n"
            f"Connectez-vous : {lien_base}{reverse('account_login')}\n",
            None,
            [existant.email],
        )
        return None, affectation

    jeton = secrets.token_urlsafe(32)
    invitation = InvitationCompte(
        email=email,
        prenom=prenom,
        nom=nom,
        jeton_hash=_empreinte(jeton),
        cree_par=par,
        expire_le=timezone.now() + INVITATION_VALIDITE,
        **champs,
    )
    # Check the role against the same rules as the Affectation it will become.
    Affectation(utilisateur=par, date_debut=timezone.localdate(), **champs).full_clean(exclude=["utilisateur"])
    invitation.full_clean(exclude=["jeton_hash"])
    invitation.save()
    lien = lien_base + reverse("administration:invitation", args=[jeton])
    organisation = champs["etablissement"] or champs["mission_locale"] or champs["perimetre"]
    send_mail(
        SUJET_INVITATION,
        f"Bonjour,\n\n{par} vous invite à rejoindre AvenirPro+, le suivi des jeunes sans solution après un CAP "
        f"ou un bac pro, en tant que « {Role(role).label} » ({organisation}).\n\n"
        f"Pour créer votre compte, choisissez votre mot de passe sur cette page :\n{lien}\n\n"
        f"Ce lien ne sert qu'une fois et expire le {timezone.localtime(invitation.expire_le):%d/%m/%Y à %H:%M}.\n"
        "Si vous n'attendiez pas cette invitation, ignorez ce message.\n",
        None,
        [email],
    )
    return invitation, None


def trouver(jeton: str) -> InvitationCompte | None:
    return (
        InvitationCompte.objects.en_attente()
        .select_related("etablissement", "mission_locale", "cree_par")
        .filter(jeton_hash=_empreinte(jeton))
        .first()
    )


class InvitationInvalide(Exception):
    pass


@transaction.atomic
def accepter(*, jeton: str, mot_de_passe: str, prenom: str, nom: str) -> Utilisateur:
    """Create the account and its role. A second use of the token, even concurrent, fails."""
    invitation = InvitationCompte.objects.en_attente().select_for_update().filter(jeton_hash=_empreinte(jeton)).first()
    if invitation is None:
        raise InvitationInvalide("Ce lien d'invitation n'est plus valable.")
    if Utilisateur.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationInvalide("Un compte existe déjà pour cette adresse : connectez-vous.")
    user = Utilisateur(email=invitation.email, first_name=prenom, last_name=nom)
    user.set_password(mot_de_passe)
    user.full_clean(exclude=["password"])
    user.save()
    Affectation.objects.create(
        utilisateur=user,
        date_debut=timezone.localdate(),
        **_champs_role(
            invitation.role,
            invitation.etablissement,
            invitation.mission_locale,
            invitation.fonction,
            invitation.responsable,
            invitation.date_volontariat,
            invitation.niveau,
            invitation.perimetre,
        ),
    )
    invitation.utilisee_le = timezone.now()
    invitation.utilisateur = user
    invitation.save(update_fields=["utilisee_le", "utilisateur"])
    return user


@transaction.atomic
def retirer_role(affectation: Affectation) -> None:
    """End a role today: visibility derives from active roles, so access to records stops at once.
    A role that started today is deleted (ending it yesterday would predate its start)."""
    hier = timezone.localdate() - datetime.timedelta(days=1)
    if affectation.date_debut > hier:
        affectation.delete()
    else:
        affectation.date_fin = hier
        affectation.save(update_fields=["date_fin"])
