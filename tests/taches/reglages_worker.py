"""Settings of the Celery worker subprocess of the job tests: the tests' (avenirpro/settings_tests.py), with e-mails
written to files.

VISIBILITE_SECONDES shortens the Redis visibility timeout (and the restore sweep) so that a test can watch a
message left unacknowledged by a worker killed outright come back within seconds instead of an hour."""

import datetime
import os

from avenirpro.settings_tests import *  # noqa: F403
from avenirpro.settings_tests import CELERY_BROKER_TRANSPORT_OPTIONS

EMAIL_BACKEND = "tests.taches.courriel.CourrielFichier"

if os.environ.get("VISIBILITE_SECONDES"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": int(os.environ["VISIBILITE_SECONDES"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

# The worker runs on the tests' clock (tests/horloge.py), from the instant the test had when it started the worker.
if os.environ.get("HORLOGE_TESTS"):
    import time_machine

    time_machine.travel(datetime.datetime.fromisoformat(os.environ["HORLOGE_TESTS"]), tick=True).start()
