"""Celery tasks of the parcours: the daily sweep (scheduled in settings.CELERY_BEAT_SCHEDULE, 06:30 Paris)."""

from celery import shared_task


@shared_task(name="parcours.tasks.balayage_quotidien", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def balayage_quotidien() -> dict:
    """Run the sweep (idempotent, advisory-locked), then queue the daily digests of notifications."""
    from avenirpro.taches import envoyer
    from avenirpro.tasks import envoyer_resumes_quotidiens
    from parcours.balayage import balayer

    comptes = balayer()
    envoyer(envoyer_resumes_quotidiens)
    return comptes
