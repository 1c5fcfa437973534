"""Accounts by invitation: a single-use token sent by e-mail, valid INVITATION_VALIDITE (ADR 0004).

- `inviter(...)`: records an `InvitationCompte`, checked against its author (`avenirpro.acces.refus_attribution`,
  ADR 0009); an unknown address gets the link by e-mail, an existing account a notification: no role is given before
  the person accepts it.
- `trouver(jeton)`: the pending invitation behind a token, or None (unknown, used, cancelled or expired).
- `accepter(...)`: creates the account and the role, marks the invitation used — once.
- `repondre(...)`: an existing account accepts or declines a role proposed to it.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from avenirpro import acces, courriels
from avenirpro.journal import journaliser
from avenirpro.models import Affectation, InvitationCompte, JournalAcces, Role, Utilisateur
from avenirpro.notifications import notifier

INVITATION_VALIDITE = datetime.timedelta(days=7)
SUJET_ROLE_PROPOSE = "Un rôle vous est proposé"


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


def _refus(par, champs, *, cible=None, email="") -> str | None:
    return acces.refus_attribution(
        par,
        role=champs["role"],
        etablissement_id=getattr(champs["etablissement"], "pk", None),
        mission_locale_id=getattr(champs["mission_locale"], "pk", None),
        responsable=champs["responsable"],
        cible=cible,
        email=email,
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
) -> InvitationCompte:
    """Invite `email` to hold `role` (ADR 0009). `lien_base` is the absolute site root (e.g. https://host).

    The grant is checked here against `par` (avenirpro.acces.refus_attribution), whatever the caller checked. No role
    is given at once: an unknown address gets a single-use link to create its account; an existing account is told
    (notification) and accepts or declines the role in «Mon compte». E-mails leave through the task queue after
    commit: a mail server down never undoes nor breaks the invitation."""
    email = email.strip().lower()
    champs = _champs_role(
        role, etablissement, mission_locale, fonction, responsable, date_volontariat, niveau, perimetre
    )
    existant = Utilisateur.objects.filter(email__iexact=email).first()
    refus = _refus(par, champs, cible=existant, email=email)
    if refus:
        raise ValidationError(refus)
    if existant is not None and role_deja_tenu(existant, champs):
        raise ValidationError("Cette personne a déjà ce rôle dans cette organisation.")
    # Check the role against the same rules as the Affectation it will become.
    Affectation(utilisateur=par, date_debut=timezone.localdate(), **champs).full_clean(exclude=["utilisateur"])
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
    invitation.full_clean(exclude=["jeton_hash"])
    invitation.save()
    organisation = champs["etablissement"] or champs["mission_locale"] or champs["perimetre"]
    if existant is not None:
        # The token is not sent: the account accepts the role once logged in, where nobody else can.
        notifier(
            destinataires=[existant],
            cle=f"role-propose:{invitation.uuid}",
            sujet=SUJET_ROLE_PROPOSE,
            message=f"{par} vous propose le rôle « {Role(role).label} » ({organisation}). "
            f"Acceptez-le ou refusez-le dans « Mon compte » avant le "
            f"{timezone.localtime(invitation.expire_le):%d/%m/%Y}.",
            lien=reverse("administration:mon_compte"),
        )
        return invitation
    lien = lien_base + reverse("administration:invitation", args=[jeton])
    courriels.envoyer(
        "invitation_compte",
        {
            "par": par,
            "role": Role(role).label,
            "organisation": organisation,
            "lien": lien,
            "expire_le": invitation.expire_le,
        },
        [email],
    )
    return invitation


def trouver(jeton: str) -> InvitationCompte | None:
    return (
        InvitationCompte.objects.en_attente()
        .select_related("etablissement", "mission_locale", "cree_par")
        .filter(jeton_hash=_empreinte(jeton))
        .first()
    )


class InvitationInvalide(Exception):
    pass


def _donner_role(invitation: InvitationCompte, user: Utilisateur) -> Affectation:
    """The one place where an invitation becomes a role: checked again against its author (who may have lost the
    right since), journaled, and — for a role opening the sensitive sections — told to the account's chef."""
    champs = _champs_role(
        invitation.role,
        invitation.etablissement,
        invitation.mission_locale,
        invitation.fonction,
        invitation.responsable,
        invitation.date_volontariat,
        invitation.niveau,
        invitation.perimetre,
    )
    auteur = invitation.cree_par
    if auteur is None or _refus(auteur, champs, cible=user):
        raise InvitationInvalide("Cette invitation n'est plus valable : son auteur ne peut plus donner ce rôle.")
    if role_deja_tenu(user, champs):
        raise InvitationInvalide("Vous avez déjà ce rôle dans cette organisation.")
    affectation = Affectation(utilisateur=user, date_debut=timezone.localdate(), **champs)
    affectation.full_clean()
    affectation.save()
    organisation = affectation.etablissement or affectation.mission_locale or affectation.perimetre
    description = f"Rôle « {affectation.get_role_display()} » ({organisation}) donné à {user.email}"
    journaliser(auteur, JournalAcces.Action.ROLE, description[:200])
    if affectation.role in acces.ROLES_SENSIBLES:
        notifier(
            destinataires=responsables_de(affectation),
            cle=f"role-sensible:{affectation.pk}",
            sujet="Rôle donnant accès aux sections sensibles",
            message=f"{description}, par {auteur}. Ce rôle ouvre les sections sensibles des entretiens "
            "(santé, famille, justice, ressources). Prévenez un administrateur s'il n'était pas attendu.",
        )
    return affectation


def responsables_de(affectation: Affectation):
    """The account's chef for this role: the direction of the lycée, or the directors of the mission locale."""
    if affectation.etablissement_id:
        chefs = Utilisateur.objects.chefs_de(affectation.etablissement_id)
    elif affectation.mission_locale_id:
        directeurs = Affectation.objects.actives().filter(
            role=Role.CONSEILLER_ML, responsable=True, mission_locale_id=affectation.mission_locale_id
        )
        chefs = Utilisateur.objects.filter(pk__in=directeurs.values("utilisateur_id"))
    else:
        return Utilisateur.objects.none()
    return chefs.exclude(pk=affectation.utilisateur_id)


@transaction.atomic
def accepter(*, jeton: str, mot_de_passe: str, prenom: str, nom: str) -> Utilisateur:
    """Create the account and its role. A second use of the token, even concurrent, fails."""
    invitation = (
        InvitationCompte.objects.en_attente()
        .select_for_update(of=("self",))
        .select_related("cree_par", "etablissement", "mission_locale")
        .filter(jeton_hash=_empreinte(jeton))
        .first()
    )
    if invitation is None:
        raise InvitationInvalide("Ce lien d'invitation n'est plus valable.")
    if Utilisateur.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationInvalide("Un compte existe déjà pour cette adresse : connectez-vous.")
    user = Utilisateur(email=invitation.email, first_name=prenom, last_name=nom)
    user.set_password(mot_de_passe)
    user.full_clean(exclude=["password"])
    user.save()
    _donner_role(invitation, user)
    invitation.utilisee_le = timezone.now()
    invitation.utilisateur = user
    invitation.save(update_fields=["utilisee_le", "utilisateur"])
    return user


def roles_proposes(user):
    """Pending invitations addressed to this (existing) account: it accepts or declines them in «Mon compte»."""
    if not getattr(user, "is_authenticated", False) or not user.email:
        return InvitationCompte.objects.none()
    return InvitationCompte.objects.en_attente().filter(email__iexact=user.email)


@transaction.atomic
def repondre(*, user, invitation_uuid, accepte: bool) -> Affectation | None:
    """The account accepts (the role is given) or declines a role proposed to it. Only the addressee reaches it."""
    invitation = (
        roles_proposes(user)
        .select_for_update(of=("self",))
        .select_related("cree_par", "etablissement", "mission_locale")
        .filter(uuid=invitation_uuid)
        .first()
    )
    if invitation is None:
        raise InvitationInvalide("Cette proposition n'est plus valable.")
    if not accepte:
        invitation.annulee_le = timezone.now()
        invitation.save(update_fields=["annulee_le"])
        return None
    affectation = _donner_role(invitation, user)
    invitation.utilisee_le = timezone.now()
    invitation.utilisateur = user
    invitation.save(update_fields=["utilisee_le", "utilisateur"])
    return affectation


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
