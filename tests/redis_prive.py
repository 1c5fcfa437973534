"""A private redis-server on a free loopback port, for the tests that stop, freeze or restart Redis.

Never the shared Redis: other test runs on the machine use it."""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


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
                shutil.which("redis-server") or "/usr/bin/redis-server",
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
