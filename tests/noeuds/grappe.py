"""Two application nodes behind a round-robin reverse proxy, for the two-node test and bench (issue 20).

`Grappe` starts, on loopback: N gunicorn instances of the app, each in its own working directory with its own
`var/` (VAR_DIR) and its own copy of gunicorn.conf.py — nothing local is shared —, M Celery workers, and haproxy
(Debian package, scripts/services.sh) balancing requests round-robin over the nodes and naming the node that
answered in an `X-Noeud` response header. All of them use one PostgreSQL database and one Redis, given by the caller.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _attendre_http(url: str, proc: subprocess.Popen, journal: Path, timeout: float = 60) -> None:
    limite = time.monotonic() + timeout
    while time.monotonic() < limite:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} : le processus s'est arrêté\n{journal.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # the server answers (503 on /healthz when a dependency is down is still an answer)
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} ne répond pas après {timeout} s\n{journal.read_text()[-3000:]}")


class Noeud:
    """One application instance: gunicorn in its own working directory, with its own var/."""

    def __init__(self, nom: str, dossier: Path, env: dict, workers: int = 1, threads: int = 1):
        self.nom, self.dossier, self.port = nom, dossier / f"noeud-{nom}", port_libre()
        self.var = self.dossier / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        shutil.copy(RACINE / "gunicorn.conf.py", self.dossier / "gunicorn.conf.py")
        self.env = {**env, "VAR_DIR": str(self.var), "PYTHONPATH": str(RACINE)}
        self.workers, self.threads = workers, threads
        self.journal = self.dossier / "gunicorn.log"
        self.proc: subprocess.Popen | None = None

    def demarrer(self) -> Noeud:
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "avenirpro.wsgi:application",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
            ],
            cwd=self.dossier,  # gunicorn reads ./gunicorn.conf.py: the node's own copy
            env=self.env,
            start_new_session=True,
            stdout=open(self.journal, "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        return self

    def attendre(self) -> None:
        _attendre_http(f"http://127.0.0.1:{self.port}/healthz", self.proc, self.journal)

    def arreter(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc = None


class Mandataire:
    """haproxy, round-robin over the nodes, with the answering node's name in `X-Noeud`."""

    def __init__(self, dossier: Path, noeuds: list[Noeud]):
        self.port = port_libre()
        self.config = dossier / "haproxy.cfg"
        self.journal = dossier / "haproxy.log"
        serveurs = "\n".join(f"    server {n.nom} 127.0.0.1:{n.port}" for n in noeuds)
        self.config.write_text(
            f"""global
    maxconn 512
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option http-keep-alive
frontend web
    bind 127.0.0.1:{self.port}
    default_backend noeuds
backend noeuds
    balance roundrobin
    http-response set-header X-Noeud %[srv_name]
{serveurs}
"""
        )
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def demarrer(self) -> Mandataire:
        subprocess.run([HAPROXY, "-c", "-q", "-f", str(self.config)], check=True)
        self.proc = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(self.config)],
            stdout=open(self.journal, "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _attendre_http(self.url + "/healthz", self.proc, self.journal)
        return self

    def arreter(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None
