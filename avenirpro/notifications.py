"""Notifications to users: in the app (the bell) and by e-mail (immediately or in the daily digest)."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from avenirpro.models import Notification, Utilisateur


def notifier(*, destinataires: Iterable[Utilisateur], cle: str, sujet: str, message: str = "", lien: str = "") -> int:
    """Create one notification per recipient, once per `cle` (idempotent); returns how many were new.

    The subject gets the «AvenirPro+ – » prefix when it is e-mailed. E-mails are sent after commit by
    `avenirpro.tasks` (immediate) or in the daily digest, according to each user's choice.
    """
    nouvelles = 0
    for user in {u for u in destinataires if u is not None and u.is_active}:
        try:
            with transaction.atomic():
                Notification.objects.create(destinataire=user, cle=cle, sujet=sujet, message=message, lien=lien)
            nouvelles += 1
        except IntegrityError:
            continue
    return nouvelles
