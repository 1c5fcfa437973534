"""Issue 13, F10: no server header, robots.txt, CSV/XLSX formula neutralisation, an invitation with the mail server
down."""

import io
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from avenirpro.exports import contenu_csv, neutraliser
from avenirpro.models import InvitationCompte
from tests.fiabilite.scorecard import consigner

RACINE = Path(__file__).resolve().parents[2]


def test_robots_txt_demande_de_ne_rien_indexer(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")
    assert r.content.decode().splitlines() == ["User-agent: *", "Disallow: /"]


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_n_envoie_pas_d_en_tete_server():
    """gunicorn started as the Dockerfile starts it (from the project's root, which holds gunicorn.conf.py)."""
    port = _port_libre()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "avenirpro.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=RACINE,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "avenirpro.settings_tests",
            "DATABASE_URL": "sqlite:////tmp/avenirpro-gunicorn.sqlite3",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        limite = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2) as r:
                    entetes, corps, statut = dict(r.headers), r.read().decode(), r.status
                break
            except OSError:
                if time.monotonic() > limite:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert statut == 200 and "Disallow: /" in corps
    assert "Server" not in entetes and "gunicorn" not in str(entetes).lower()
    consigner("securite_entete_server", {"entete_server_present": 0})


# OWASP «CSV injection»: a cell starting with =, +, -, @, a tab or a carriage return is a formula; LibreOffice and
# Excel also read a leading «|» (DDE) and the full-width forms ＝ ＋ － ＠ as their ASCII twins.
CHARGES = [
    "=1+1",
    "+33 6 12 34 56 78",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "|calc'!A0",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(A1)",
    '=HYPERLINK("http://exemple.invalid","x")',
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("charge", CHARGES)
def test_neutralisation_des_formules_csv_et_xlsx(charge):
    texte = neutraliser(charge)
    assert texte.startswith("'"), (charge, texte)
    assert texte.endswith(charge)
    csv = contenu_csv(["Nom"], [[charge]])
    assert csv.split("\r\n")[1].lstrip('"').startswith("'")
    from openpyxl import load_workbook

    from avenirpro.exports import classeur_xlsx

    with classeur_xlsx("Test", ["Nom"], [[charge]]) as fichier:
        cellule = load_workbook(io.BytesIO(fichier.read())).active["A2"]
    assert cellule.data_type == "s" and str(cellule.value).startswith("'")


def test_neutralisation_bilan():
    dangereuses = CHARGES
    consigner(
        "securite_neutralisation_csv",
        {
            "charges": len(dangereuses),
            "non_neutralisees": sum(not neutraliser(c).startswith("'") for c in dangereuses),
        },
    )
    assert all(neutraliser(c).startswith("'") for c in dangereuses)
    # Numbers stay numbers; an ordinary text is left alone.
    assert neutraliser(-3) == "-3" and neutraliser("Dupont") == "Dupont"


def test_invitation_avec_le_serveur_de_courriel_arrete(cast, client, settings, taches_apres_commit):
    """The invitation is saved and the page answers; the mail leaves through the task queue, whose worker retries
    while the mail server is down."""
    from celery.exceptions import Retry

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _port_libre(), 2
    client.force_login(cast.chef_a)
    donnees = {
        "email": "prof@test.fr",
        "role": "referent",
        "etablissement": cast.lycee_a.pk,
        "date_volontariat": "01/06/2026",
    }
    with pytest.raises(Retry):  # the worker's attempt fails and is retried later: not the request
        with taches_apres_commit():
            r = client.post(reverse("administration:inviter"), donnees)
            assert r.status_code == 302
    assert InvitationCompte.objects.filter(email="prof@test.fr").exists()
    assert not mail.outbox
