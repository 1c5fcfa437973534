"""Celery tasks of the core: the deferred-job queue, background exports and the notification e-mails.

The tasks of the feature apps live in their own `tasks.py` (tableaux, rgpd) but keep their historical names
(`avenirpro.tasks.…`) so that the beat schedule and tasks already queued keep working.

Tasks take ids, are idempotent (acks_late + reject_on_worker_lost are set globally: a killed worker's task is
delivered again and does nothing twice) and retry with exponential backoff on SMTP or network errors.
"""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from avenirpro.taches import renvoyer_taches_en_attente

RELANCES_COURRIEL = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
}


@shared_task(name="avenirpro.tasks.vider_file_taches", ignore_result=True)
def vider_file_taches():
    return renvoyer_taches_en_attente()


@shared_task(name="avenirpro.tasks.ping")
def ping(x: int = 1) -> int:
    """Used by /healthz-minded operators and the worker tests: proves a round trip through the broker."""
    return x + 1


@shared_task(
    name="avenirpro.tasks.produire_export",
    ignore_result=True,
    soft_time_limit=settings.EXPORT_DUREE_MAX_DOUCE,
    time_limit=settings.EXPORT_DUREE_MAX,
)
def produire_export(fichier_id: int):
    """Write a background export's file, updating its progression (ADR 0008). A failure is recorded on the export
    (state «échec», message in French), never retried: the user starts the export again from the list."""
    from avenirpro.exports import produire_export as produire

    produire(fichier_id)


@shared_task(name="avenirpro.tasks.envoyer_courriels", **RELANCES_COURRIEL)
def envoyer_courriels(notification_ids: list[int]) -> int:
    """E-mail these notifications, each at most once (already sent ones are skipped: a retry resumes)."""
    from avenirpro.notifications import envoyer_courriel

    return sum(1 for pk in notification_ids if envoyer_courriel(pk))


@shared_task(name="avenirpro.tasks.envoyer_courriel_simple", **RELANCES_COURRIEL)
def envoyer_courriel_simple(
    sujet: str, corps: str, destinataires: list[str], pieces_jointes: list | None = None, marque: list | None = None
) -> int:
    """An e-mail rendered by `avenirpro.courriels.envoyer`, sent by the worker: the request that asked for it never
    waits on nor fails because of the mail server; SMTP errors are retried with backoff. `marque` names the date
    field set once the server accepted it."""
    from avenirpro import courriels

    envoyes = courriels.expedier(sujet, corps, destinataires, pieces_jointes or ())
    courriels.marquer(marque)
    return envoyes


@shared_task(name="avenirpro.tasks.envoyer_resume", **RELANCES_COURRIEL)
def envoyer_resume(utilisateur_id: int) -> int:
    from avenirpro.notifications import envoyer_resume as _envoyer_resume

    return _envoyer_resume(utilisateur_id)


@shared_task(name="avenirpro.tasks.envoyer_resumes_quotidiens", ignore_result=True)
def envoyer_resumes_quotidiens() -> int:
    """Queue one digest per user who has notifications not yet e-mailed (see `destinataires_du_resume`)."""
    from avenirpro.notifications import destinataires_du_resume
    from avenirpro.taches import envoyer

    ids = destinataires_du_resume()
    for pk in ids:
        envoyer(envoyer_resume, pk)
    return len(ids)
