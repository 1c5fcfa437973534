"""Settings of the Celery worker subprocess of the job tests: the project's, with e-mails written to files."""

from avenirpro.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.taches.courriel.CourrielFichier"
