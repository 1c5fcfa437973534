"""Enqueueing Celery tasks so that the web never waits on, nor fails because of, the broker."""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def envoyer(tache, *args, **kwargs) -> None:
    """Send `tache` after the current transaction commits.

    If the broker cannot be reached the task is kept in `TacheEnAttente` and sent again by
    `avenirpro.tasks.vider_file_taches` (or `manage.py sweep`): the request that asked for it still succeeds.
    """
    transaction.on_commit(partial(_publier, tache.name, list(args), kwargs))


def _publier(nom: str, args: list, kwargs: dict) -> bool:
    # ignore_result: the web never reads these results, and registering one would make send_task wait on the
    # Redis result backend's reconnect loop (about 20 s) when Redis is down.
    from avenirpro.celery import app
    from avenirpro.models import TacheEnAttente

    try:
        app.send_task(nom, args=args, kwargs=kwargs, retry=False, ignore_result=True)
        return True
    except Exception:  # the broker is down or hung: keep the job for later
        logger.warning("Courtier injoignable : la tâche %s est mise en attente.", nom, exc_info=True)
        TacheEnAttente.objects.create(nom=nom, args=args, kwargs=kwargs)
        return False


def renvoyer_taches_en_attente(limite: int = 500) -> int:
    """Send again the tasks kept while the broker was down; returns how many left the queue."""
    from avenirpro.celery import app
    from avenirpro.models import TacheEnAttente

    envoyees = 0
    for t in TacheEnAttente.objects.all()[:limite]:
        try:
            app.send_task(t.nom, args=t.args, kwargs=t.kwargs, retry=False, ignore_result=True)
        except Exception:
            TacheEnAttente.objects.filter(pk=t.pk).update(tentatives=t.tentatives + 1)
            break
        t.delete()
        envoyees += 1
    return envoyees
