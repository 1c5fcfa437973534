"""A Celery app for the worker drills: the project's Celery settings (acks_late, reject_on_worker_lost, prefetch,
broker timeouts) with one task whose side effect is counted in Redis, so no database is needed by the worker.

Run by tests/fiabilite/test_celery.py as `celery -A tests.fiabilite.app_exercice worker` against a private Redis.
"""

import os
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "avenirpro.settings")

app = Celery("exercice")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="exercice.dormir_puis_compter", ignore_result=True)
def dormir_puis_compter(cle: str, secondes: float):
    import redis

    r = redis.Redis.from_url(os.environ["EXERCICE_COMPTEURS"])
    r.rpush(f"{cle}:debuts", os.getpid())
    time.sleep(secondes)
    r.incr(cle)
