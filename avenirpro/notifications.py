"""Notifications to users: in the app (the bell) and by e-mail (immediately or in the daily digest).

Every notification carries a `cle`, unique per recipient: creating it twice creates nothing (a sweep that runs twice
the same day notifies nobody twice). The e-mail of a new notification is sent after commit by
`avenirpro.tasks.envoyer_courriels` for users who chose immediate e-mails; the others get the daily digest
(`avenirpro.tasks.envoyer_resumes_quotidiens`).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from avenirpro.models import Notification, Utilisateur

TAILLE_LOT_COURRIELS = 200


@dataclass(frozen=True)
class Avis:
    """One notification to create: a recipient (id) and what to tell them."""

    destinataire_id: int
    cle: str
    sujet: str
    message: str = ""
    lien: str = ""
    jeune_id: int | None = None  # the young person it is about, if one


def notifier(
    *, destinataires: Iterable[Utilisateur], cle: str, sujet: str, message: str = "", lien: str = "", jeune=None
) -> int:
    """Create one notification per recipient, once per `cle` (idempotent); returns how many were new.

    The subject gets the «AvenirPro+ – » prefix when e-mailed (`avenirpro.courriels`), after commit, by
    `avenirpro.tasks` (immediate) or in the daily digest, according to each user's choice.
    """
    ids = {u.pk for u in destinataires if u is not None and u.is_active}
    jeune_id = getattr(jeune, "pk", jeune)
    return notifier_en_masse([Avis(i, cle, sujet, message, lien, jeune_id) for i in sorted(ids)])


def notifier_en_masse(avis: Iterable[Avis]) -> int:
    """Create many notifications in a constant number of queries; existing (recipient, cle) pairs are skipped.

    Returns how many were new. The new ones of users who want immediate e-mails are queued for sending (one task
    per call, after commit, never blocking when the broker is down).
    """
    uniques: dict[tuple[int, str], Avis] = {}
    for a in avis:
        if a.destinataire_id is not None:
            uniques.setdefault((a.destinataire_id, a.cle[:200]), a)
    if not uniques:
        return 0
    # Inactive users get nothing; a (recipient, cle) already there is skipped.
    actifs = dict(
        Utilisateur.objects.filter(pk__in={d for d, _ in uniques}, is_active=True).values_list(
            "pk", "notifications_en_resume"
        )
    )
    existantes = set(
        Notification.objects.filter(destinataire_id__in=list(actifs), cle__in={c for _, c in uniques}).values_list(
            "destinataire_id", "cle"
        )
    )
    objets = [
        Notification(
            uuid=uuid.uuid4(),
            destinataire_id=dest,
            cle=cle,
            sujet=a.sujet[:200],
            message=a.message,
            lien=a.lien[:300],
            jeune_id=a.jeune_id,
        )
        for (dest, cle), a in uniques.items()
        if dest in actifs and (dest, cle) not in existantes
    ]
    if not objets:
        return 0
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(objets, batch_size=5000)
        nouvelles = [(o.pk, o.destinataire_id) for o in objets]
    except IntegrityError:
        # Someone created one of them meanwhile: insert the others, and read back which rows are ours.
        Notification.objects.bulk_create(objets, ignore_conflicts=True, batch_size=5000)
        nouvelles = list(
            Notification.objects.filter(uuid__in=[o.uuid for o in objets]).values_list("pk", "destinataire_id")
        )
    immediates = [pk for pk, dest in nouvelles if not actifs[dest]]
    if immediates:
        from avenirpro.taches import envoyer
        from avenirpro.tasks import envoyer_courriels

        for i in range(0, len(immediates), TAILLE_LOT_COURRIELS):
            envoyer(envoyer_courriels, immediates[i : i + TAILLE_LOT_COURRIELS])
    return len(nouvelles)


def non_lues(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(destinataire=user, lue_le__isnull=True).count()


# --- E-mails --------------------------------------------------------------------------------------------------


def _url_absolue(lien: str) -> str:
    from django.conf import settings

    if not lien or lien.startswith(("http://", "https://")):
        return lien
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{lien}"


def envoyer_courriel(notification_id: int) -> bool:
    """Send the e-mail of one notification, at most once: the row is locked and stamped in the same transaction.

    If the worker dies while sending, the transaction is rolled back (nothing stamped) and the redelivered task
    sends it; once stamped, a second delivery of the task sends nothing. SMTP errors propagate (the task retries).
    """
    from django.utils import timezone

    from avenirpro import courriels

    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("destinataire")
            .filter(pk=notification_id, courriel_envoye_le__isnull=True)
            .first()
        )
        if n is None or not n.destinataire.is_active or not n.destinataire.email:
            return False
        sujet, corps = courriels.rendre(
            "notification", {"notification": n, "url": _url_absolue(n.lien), "user": n.destinataire}
        )
        courriels.expedier(sujet, corps, [n.destinataire.email])
        Notification.objects.filter(pk=n.pk).update(courriel_envoye_le=timezone.now())
    return True


def envoyer_resume(utilisateur_id: int) -> int:
    """Send one digest e-mail with every notification of the user not yet e-mailed; returns how many it lists."""
    from django.utils import timezone

    from avenirpro import courriels

    with transaction.atomic():
        user = Utilisateur.objects.filter(pk=utilisateur_id, is_active=True).exclude(email="").first()
        if user is None:
            return 0
        notifications = list(
            Notification.objects.select_for_update()
            .filter(destinataire=user, courriel_envoye_le__isnull=True)
            .order_by("cree_le")
        )
        if not notifications:
            return 0
        for n in notifications:
            n.url = _url_absolue(n.lien)
        sujet, corps = courriels.rendre(
            "resume_quotidien", {"notifications": notifications, "user": user, "jour": timezone.localdate()}
        )
        courriels.expedier(sujet, corps, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(courriel_envoye_le=timezone.now())
    return len(notifications)


def destinataires_du_resume() -> list[int]:
    """Users to whom the daily digest goes: those who chose it, and anyone whose immediate e-mail is still unsent
    an hour later (a lost or failed send is caught up here rather than lost)."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    limite = timezone.now() - datetime.timedelta(hours=1)
    return list(
        Notification.objects.filter(courriel_envoye_le__isnull=True, destinataire__is_active=True)
        .filter(Q(destinataire__notifications_en_resume=True) | Q(cree_le__lt=limite))
        .values_list("destinataire_id", flat=True)
        .distinct()
        .order_by("destinataire_id")
    )
