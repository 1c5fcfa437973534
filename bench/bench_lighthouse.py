#!/usr/bin/env python
"""Lighthouse (mobile profile, simulated slow 4G and 4× CPU) on three pages served in production settings: the
login page, the chef dashboard and a parcours page (issue 20, «pages légères sur le téléphone d'un conseiller»).
Target: performance ≥ 95 and ≤ 300 KiB transferred on each.

Production settings: DEBUG=false, gunicorn (./gunicorn.conf.py), WhiteNoise serving the static files collected
and precompressed (brotli, gzip) by `collectstatic` (run here when var/staticfiles is missing or older than
static/). Lighthouse is the npm package of package.json (`npm ci`), driving Debian's Chromium (CHROME_PATH,
/usr/bin/chromium by default).

`mesurer()` returns [(label, value)] for `make bench` (bench/run.py). Standalone, the quicker check:
`python bench/bench_lighthouse.py [connexion|chef|parcours …]` (DATABASE_URL: a migrated PostgreSQL database; the
few rows it needs — a lycée, a chef, a parcours — are created once and kept, under names of their own).
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))

LIGHTHOUSE = RACINE / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
SCORE_MIN = 95
OCTETS_MAX = 300 * 1024
INE = "99999PHARE9"
COURRIEL_CHEF = "chef-lighthouse@bench.test"


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("TESTING", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env.update(
        DEBUG="false",
        TESTING="0",
        HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=env.get("REDIS_URL", ""),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="avenirpro.settings",
    )
    env.setdefault("SECRET_KEY", "bench-lighthouse-" + "x" * 40)
    env.setdefault("DATABASE_URL", "postgres://avenirpro:avenirpro@127.0.0.1:5432/avenirpro_bench_mesures")
    return env


def _donnees() -> tuple[str, str]:
    """(session cookie of a chef, path of a parcours of their lycée), created once in the database."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from avenirpro.models import Affectation, Campagne, Etablissement, Role, Utilisateur
    from avenirpro.validators import lettre_cle_uai
    from eleves.models import Jeune, Reperage
    from parcours import services
    from parcours.models import Action, Inscription

    campagne = Campagne.objects.filter(session=2026).first() or Campagne.objects.create(
        nom="Bench 2026",
        session=2026,
        date_rentree=datetime.date(2026, 9, 1),
        date_entree_min=datetime.date(2026, 9, 1),
    )
    chiffres = "0699991"
    lycee, _ = Etablissement.objects.get_or_create(
        uai=chiffres + lettre_cle_uai(chiffres),
        defaults={"nom": "Lycée Lighthouse", "departement": "69", "academie": "Lyon", "zone_vacances": "A"},
    )
    chef = Utilisateur.objects.filter(email=COURRIEL_CHEF).first()
    if chef is None:
        chef = Utilisateur.objects.create_user(email=COURRIEL_CHEF, password=secrets.token_urlsafe(16))
        chef.first_name, chef.last_name = "Claire", "Phare"
        chef.save()
        Affectation.objects.create(utilisateur=chef, role=Role.CHEF, etablissement=lycee)
    inscription = Inscription.objects.filter(jeune__ine=INE).first()
    if inscription is None:
        with transaction.atomic():
            jeune = Jeune.objects.create(
                ine=INE, nom="PHARE", prenoms="Lou", date_naissance=datetime.date(2007, 5, 5), etablissement=lycee
            )
            # R1: the written commitment recorded by the chef.
            Reperage.objects.create(
                jeune=jeune,
                campagne=campagne,
                diplome="bac_pro",
                resultat="admis",
                engagement_ecrit_le=datetime.date(2026, 9, 1),
            )
            inscription = services.inscrire(jeune=jeune, campagne=campagne, date_entree=datetime.date(2026, 9, 14))
            for n in range(4):
                Action.objects.create(
                    inscription=inscription,
                    type="tre",
                    intitule=f"Atelier n°{n + 1}",
                    date_debut=datetime.date(2026, 9, 14) + datetime.timedelta(days=7 * n),
                    date_fin=datetime.date(2026, 10, 30) + datetime.timedelta(days=7 * n),
                    heures_hebdo=4,
                )
    session = SessionStore()
    session[SESSION_KEY] = str(chef.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = chef.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", f"/parcours/{inscription.uuid}/"


def _statiques_a_jour(env: dict) -> None:
    """collectstatic (hashing and brotli/gzip compression) unless var/staticfiles is newer than every source."""
    from django.conf import settings

    manifeste = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [RACINE / "static"]
    recent = max((p.stat().st_mtime for s in sources for p in s.rglob("*") if p.is_file()), default=0)
    if manifeste.exists() and manifeste.stat().st_mtime >= recent:
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=RACINE, env=env, check=True
    )


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "avenirpro.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=RACINE,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn n'a pas démarré")


def phare(url: str, cookie: str | None = None) -> dict:
    """One Lighthouse run (mobile, performance only): score, transferred bytes, main metrics."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as dossier:
        sortie = Path(dossier) / "rapport.json"
        commande = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={sortie}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
            "--max-wait-for-load=90000",
        ]
        if cookie:
            commande.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        fin = subprocess.run(
            commande, env={**os.environ, "CHROME_PATH": CHROME}, timeout=240, capture_output=True, text=True
        )
        if fin.returncode or not sortie.exists():
            raise RuntimeError((fin.stderr.strip().splitlines() or ["sans sortie"])[-1][:200])
        rapport = json.loads(sortie.read_text())
        if os.environ.get("BENCH_LIGHTHOUSE_RAPPORTS"):  # keep the whole report, to see where the bytes go
            garde = Path(os.environ["BENCH_LIGHTHOUSE_RAPPORTS"])
            garde.mkdir(parents=True, exist_ok=True)
            nom = url.split("://", 1)[-1].split("/", 1)[-1].strip("/").replace("/", "_") or "racine"
            shutil.copy(sortie, garde / f"{nom}.json")
    audits = rapport["audits"]
    bloquants = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    return {
        "url_finale": rapport.get("finalDisplayedUrl") or rapport.get("finalUrl"),
        "score": round(rapport["categories"]["performance"]["score"] * 100),
        "octets": int(audits["total-byte-weight"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "bloquants": [i.get("url", "").rsplit("/", 1)[-1] for i in bloquants],
    }


def mesurer(pages: list[str] | None = None) -> list[tuple[str, str]]:
    env = _env()
    os.environ.update(env)
    import django

    django.setup()
    if not LIGHTHOUSE.exists() or not Path(CHROME).exists():
        return [("Lighthouse", f"non mesuré : {LIGHTHOUSE} ou {CHROME} absent (npm ci, scripts/services.sh)")]
    cookie, chemin_parcours = _donnees()
    _statiques_a_jour(env)
    port = _port_libre()
    serveur = _gunicorn(env, port)
    base = f"http://127.0.0.1:{port}"
    cibles = {
        "connexion": ("page de connexion", "/comptes/login/", None),
        "chef": ("tableau de bord du chef", "/tableaux/chef/", cookie),
        "parcours": ("page d'un parcours", chemin_parcours, cookie),
    }
    lignes = []
    try:
        for cle in pages or list(cibles):
            libelle, chemin, c = cibles[cle]
            # Lighthouse sometimes fails to record its own trace («Something went wrong with recording the trace
            # over your page load. Please run Lighthouse again.», seen once in three runs): one more try, said.
            r, echecs = None, []
            for _ in range(2):
                try:
                    r = phare(base + chemin, c)
                    break
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    echecs.append(str(exc))
            if r is None:
                lignes.append((f"Lighthouse mobile – {libelle}", f"échec : {' / '.join(echecs)}"))
                continue
            if echecs:
                libelle += f" (2e essai ; 1er : {echecs[0][:80]})"
            if not r["url_finale"].endswith(chemin):
                libelle += f" (redirigée vers {r['url_finale']})"
            atteint = "oui" if r["score"] >= SCORE_MIN and r["octets"] <= OCTETS_MAX else "NON"
            lignes.append(
                (
                    f"Lighthouse mobile – {libelle}",
                    f"performance {r['score']} (cible ≥ {SCORE_MIN}), {r['octets'] / 1024:.0f} Kio transférés "
                    f"(cible ≤ {OCTETS_MAX // 1024}), FCP {r['fcp_ms']} ms, LCP {r['lcp_ms']} ms, "
                    f"TBT {r['tbt_ms']} ms, "
                    f"bloquants : {', '.join(r['bloquants']) or 'aucun'} ; cibles atteintes : {atteint}",
                )
            )
    finally:
        os.killpg(serveur.pid, signal.SIGTERM)
        serveur.wait(30)
    return lignes


if __name__ == "__main__":
    if not shutil.which("node"):
        raise SystemExit("node absent")
    for libelle, valeur in mesurer(sys.argv[1:] or None):
        print(f"{libelle:<50} {valeur}")
