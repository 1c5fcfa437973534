#!/usr/bin/env python
"""Two application nodes under load (issue 20): two gunicorn instances (production settings, each in its own
working directory with its own var/), two Celery workers, one PostgreSQL database and one Redis, behind haproxy
round-robin on loopback (tests/noeuds/grappe.py, as in tests/noeuds/test_deux_noeuds.py). Prints p95 and req/s
through the proxy and the errors (target 0), how the requests spread over the nodes, and a background export
asked through the proxy, prepared by a worker and downloaded through the proxy.

`mesurer()` returns [(label, value)] for `make bench` (bench/run.py); standalone: `python bench/bench_noeuds.py`
(DATABASE_URL: a migrated PostgreSQL database, REDIS: a private redis-server is started).
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
for chemin in (RACINE, RACINE / "bench"):
    if str(chemin) not in sys.path:
        sys.path.insert(0, str(chemin))

import bench_lighthouse  # noqa: E402  (the same production settings and bench rows)


def _worker(nom: str, dossier: Path, env: dict) -> subprocess.Popen:
    travail = dossier / f"worker-{nom}"
    (travail / "var").mkdir(parents=True, exist_ok=True)
    journal = travail / "worker.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "avenirpro", "worker", "-c", "1", "-n", f"{nom}@localhost"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=travail,
        env={**env, "VAR_DIR": str(travail / "var"), "PYTHONPATH": str(RACINE)},
        start_new_session=True,
        stdout=open(journal, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    limite = time.monotonic() + 90
    while b"ready." not in journal.read_bytes():
        if proc.poll() is not None or time.monotonic() > limite:
            raise RuntimeError(f"worker {nom} : {journal.read_text()[-2000:]}")
        time.sleep(0.3)
    return proc


def _repartition(url: str, cookie: str, n: int = 20) -> dict:
    compte = collections.Counter()
    for _ in range(n):
        req = urllib.request.Request(url + "/tableaux/chef/", headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=30) as r:
            compte[r.headers["X-Noeud"]] += 1
    return dict(sorted(compte.items()))


def _export(url: str, cookie: str) -> str:
    """/jeunes/export.csv through the proxy: asked with the page's button on one node, prepared by a worker,
    downloaded through the other node."""
    import re

    import requests

    nom, valeur = cookie.split("=", 1)
    s = requests.Session()
    s.cookies.set(nom, valeur)
    t0 = time.monotonic()
    page = s.get(url + "/jeunes/export.csv", timeout=30)
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if jeton is None:
        return f"page d'export inattendue (réponse {page.status_code})"
    r = s.post(url + "/jeunes/export.csv", data={"csrfmiddlewaretoken": jeton[1]}, allow_redirects=False, timeout=30)
    suivi, demande = r.headers.get("Location", ""), r.headers.get("X-Noeud")
    if r.status_code != 302 or not suivi.startswith("/exports/"):
        return f"réponse {r.status_code} inattendue"
    while time.monotonic() - t0 < 60:
        f = s.get(url + suivi + "fichier", allow_redirects=False, timeout=30)
        if f.status_code == 200 and f.headers["X-Noeud"] != demande:  # round-robin: the other node comes next
            return (
                f"demandé au nœud {demande}, préparé par un worker, téléchargé via le nœud {f.headers['X-Noeud']} "
                f"en {time.monotonic() - t0:.1f} s ({len(f.content)} octets)"
            )
        time.sleep(0.3)
    return "non prêt après 60 s"


def mesurer() -> list[tuple[str, str]]:
    env = bench_lighthouse._env()
    os.environ.update(env)
    import django

    django.setup()
    import run
    from django.conf import settings

    from tests.noeuds.grappe import Mandataire, Noeud
    from tests.redis_prive import RedisPrive

    cookie, _ = bench_lighthouse._donnees()
    bench_lighthouse._statiques_a_jour(env)
    lignes = []
    with tempfile.TemporaryDirectory(prefix="avenirpro-noeuds-") as d:
        dossier = Path(d)
        redis = RedisPrive(dossier).demarrer()
        env_noeud = {
            **env,
            "REDIS_URL": redis.url,
            # The static files of the release, collected once, read-only (the image's in production).
            "STATIC_ROOT": str(settings.STATIC_ROOT),
            "EXPORT_SEUIL_ARRIERE_PLAN": "0",
        }
        noeuds = [Noeud(nom, dossier, env_noeud).demarrer() for nom in ("a", "b")]
        workers, mandataire = [], None
        try:
            workers = [_worker(nom, dossier, env_noeud) for nom in ("w1", "w2")]
            for n in noeuds:
                n.attendre()
            mandataire = Mandataire(dossier, noeuds).demarrer()
            repartition = _repartition(mandataire.url, cookie)
            mesure = run.mesurer_page_wrk if run.WRK else run.mesurer_page
            for libelle, chemin, c in (
                ("page de connexion", "/comptes/login/", None),
                ("tableau de bord du chef", "/tableaux/chef/", cookie),
            ):
                r = mesure(mandataire.port, chemin, c)
                lignes.append(
                    (
                        f"deux nœuds (haproxy) – {libelle}",
                        f"p95 1c {r['p95_1']:.1f} ms, req/s 10c {r['rps_10']:.1f}, req/s 50c {r['rps_50']:.1f}, "
                        f"p95 50c {r['p95_50']:.1f} ms, erreurs {r['erreurs']} sur {r['requetes']}",
                    )
                )
            lignes.append(("deux nœuds – répartition de 20 requêtes", str(repartition)))
            lignes.append(("deux nœuds – export en arrière-plan", _export(mandataire.url, cookie)))
        finally:
            if mandataire:
                mandataire.arreter()
            for n in noeuds:
                n.arreter()
            for w in workers:
                os.killpg(w.pid, signal.SIGTERM)
                w.wait(30)
            redis.arreter()
    return lignes


if __name__ == "__main__":
    for libelle, valeur in mesurer():
        print(f"{libelle:<50} {valeur}")
