"""Fixtures of the reliability suite: a private redis-server that tests may stop, freeze and restart."""

import pytest

from tests.redis_prive import RedisPrive


def _vider_pools(app):
    """Forget the cached broker connections so that the next publish connects to the current broker_url."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_prive(tmp_path, settings):
    """Start a private redis-server and point Django settings and the Celery app at it (restored after)."""
    import kombu.transport.redis  # noqa: F401  (imported once per process in production; not a per-request cost)

    from avenirpro.celery import app

    serveur = RedisPrive(tmp_path).demarrer()
    sauvegarde = {k: app.conf[k] for k in ("broker_url", "result_backend", "broker_transport_options")}
    settings.REDIS_URL = serveur.url
    settings.CELERY_BROKER_URL = f"{serveur.url}/0"
    settings.CELERY_RESULT_BACKEND = f"{serveur.url}/1"
    app.conf.update(broker_url=f"{serveur.url}/0", result_backend=f"{serveur.url}/1")
    _vider_pools(app)
    try:
        yield serveur
    finally:
        serveur.arreter()
        app.conf.update(**sauvegarde)
        _vider_pools(app)
