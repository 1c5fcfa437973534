"""E-mails of steps 3 and 4. Every e-mail about the scheme carries «AvenirPro+» in its subject (docs/regles.md)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

PREFIXE = "AvenirPro+ – "


def _quand(reunion) -> str:
    debut = timezone.localtime(reunion.debut)
    return f"{debut:%d/%m/%Y} à {debut:%H:%M}"


def sujet_invitation_jeune(reunion) -> str:
    return f"{PREFIXE}Invitation à la réunion d'information collective du {_quand(reunion)}"


def sujet_invitation_mission_locale(reunion) -> str:
    return f"{PREFIXE}Réunion d'information collective du {_quand(reunion)} – {reunion.etablissement.nom}"


def sujet_rappel(reunion) -> str:
    return f"{PREFIXE}Rappel : réunion d'information collective du {_quand(reunion)}"


def _message(sujet, gabarit, contexte, destinataire, connexion=None) -> EmailMessage:
    corps = render_to_string(gabarit, contexte)
    return EmailMessage(
        subject=sujet,
        body=corps,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[destinataire],
        connection=connexion,
    )


def envoyer(messages) -> list[bool]:
    """Send each message; a failure is logged and reported as False (the caller records what went out)."""
    resultats = []
    connexion = get_connection()
    for m in messages:
        m.connection = connexion
        try:
            resultats.append(m.send() == 1)
        except Exception:  # SMTP down or refused address: the page must still answer
            logger.warning("Courriel non envoyé : %s", m.subject, exc_info=True)
            resultats.append(False)
    return resultats


def invitation_jeune(invitation) -> EmailMessage:
    r = invitation.reunion
    return _message(
        sujet_invitation_jeune(r),
        "entretiens/courriels/invitation_jeune.txt",
        {"reunion": r, "jeune": invitation.jeune},
        invitation.jeune.email,
    )


def rappel_jeune(invitation) -> EmailMessage:
    r = invitation.reunion
    return _message(
        sujet_rappel(r),
        "entretiens/courriels/rappel_jeune.txt",
        {"reunion": r, "jeune": invitation.jeune},
        invitation.jeune.email,
    )


def invitation_mission_locale(reunion, ics: bytes) -> EmailMessage:
    m = _message(
        sujet_invitation_mission_locale(reunion),
        "entretiens/courriels/invitation_mission_locale.txt",
        {"reunion": reunion},
        reunion.mission_locale.email,
    )
    m.attach("reunion-avenirpro.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
    return m


def rappel_mission_locale(reunion, nb_invites: int) -> EmailMessage:
    return _message(
        sujet_rappel(reunion),
        "entretiens/courriels/rappel_mission_locale.txt",
        {"reunion": reunion, "nb_invites": nb_invites},
        reunion.mission_locale.email,
    )
