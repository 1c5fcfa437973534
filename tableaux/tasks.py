"""Celery tasks of the dashboards. The name keeps its historical `avenirpro.tasks.` prefix (beat schedule, queued
tasks)."""

from celery import shared_task


@shared_task(name="avenirpro.tasks.precalculer_pilotage", ignore_result=True)
def precalculer_pilotage() -> bool:
    """Recompute the protected pilotage table of the current campaign into the cache (ADR 0010), so that readers
    find it there: the national secondary suppression is not paid by a request. True when a table was computed."""
    from avenirpro.models import Campagne
    from tableaux.selections import tableau_protege

    campagne = Campagne.courante()
    if campagne is None:
        return False
    tableau_protege(campagne, recalculer=True)
    return True
