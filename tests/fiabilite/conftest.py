"""Fixtures of the reliability suite: a private redis-server that tests may stop, freeze and restart."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisPrive:
    """A redis-server of our own on a free loopback port (never the shared one)."""

    def __init__(self, dossier: Path):
        self.port = port_libre()
        self.dossier = dossier
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def demarrer(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dossier),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        limite = time.monotonic() + 10
        while time.monotonic() < limite:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as c:
                    c.sendall(b"PING\r\n")
                    if c.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server privé n'a pas démarré")

    def arreter(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGCONT)
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def geler(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def degeler(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def client(self, db: int = 0):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=db, socket_timeout=2)


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
