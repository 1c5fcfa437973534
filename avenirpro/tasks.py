from celery import shared_task

from avenirpro.taches import renvoyer_taches_en_attente


@shared_task(name="avenirpro.tasks.vider_file_taches", ignore_result=True)
def vider_file_taches():
    return renvoyer_taches_en_attente()


@shared_task(name="avenirpro.tasks.ping")
def ping(x: int = 1) -> int:
    """Used by /healthz-minded operators and the worker tests: proves a round trip through the broker."""
    return x + 1
