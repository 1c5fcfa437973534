import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.avenirpro.factories import UtilisateurFactory


def test_healthz_public_et_json(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"database": "ok", "broker": "ok"}


def test_healthz_courtier_degrade(client, db, settings):
    from avenirpro.celery import app

    ancien = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        r = client.get("/healthz")
    finally:
        app.conf.broker_url = ancien
    assert r.status_code == 200
    assert r.json() == {"database": "ok", "broker": "degraded"}


@pytest.mark.parametrize("url", ["/", "/admin-technique/", "/session/prolonger"])
def test_connexion_obligatoire_par_defaut(client, db, url):
    r = client.get(url)
    assert r.status_code == 302
    assert "/comptes/login/" in r["Location"] or "/admin-technique/login/" in r["Location"]


def test_admin_passe_par_la_connexion_allauth(client, db):
    r = client.get("/admin-technique/login/")
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("account_login"))


def test_pas_d_inscription_publique(client, db):
    r = client.get(reverse("account_signup"))
    assert "fermées" in r.content.decode() or r.status_code in (302, 403, 404)


def test_page_de_connexion_en_francais_dsfr(client, db):
    r = client.get(reverse("account_login"))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'lang="fr"' in html
    assert "fr-header" in html and "AvenirPro+" in html
    assert "Courriel" in html and "Mot de passe" in html


def test_expiration_de_session_inactive(client, db, settings):
    user = UtilisateurFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    session = client.session
    session["_derniere"] = session["_derniere"] - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    r = client.get("/")
    assert r.status_code == 302 and "expiree=1" in r["Location"]
    assert client.get("/").status_code == 302


def test_minuteur_d_inactivite_ecrit_au_plus_une_fois_par_minute(client, db):
    """Not a session UPDATE and commit on every page: the idle timer is rewritten once a minute at most, and the
    «Rester connecté» call always rewrites it."""
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def ecritures_de_session(chemin, methode="get"):
        with CaptureQueriesContext(connection) as q:
            getattr(client, methode)(chemin)
        return sum(1 for r in q.captured_queries if r["sql"].startswith("UPDATE") and "django_session" in r["sql"])

    with time_machine.travel("2026-11-23 10:00:00 +0100", tick=False) as voyage:
        client.force_login(UtilisateurFactory())
        client.get("/")
        derniere = client.session["_derniere"]
        assert ecritures_de_session("/") == 0
        voyage.shift(59)
        assert ecritures_de_session("/") == 0
        assert client.session["_derniere"] == derniere
        voyage.shift(2)
        assert ecritures_de_session("/") == 1
        assert client.session["_derniere"] == derniere + 61
        voyage.shift(5)
        assert ecritures_de_session(reverse("session_prolonger"), "post") == 1
        assert client.session["_derniere"] == derniere + 66


def test_expiration_absolue(client, db, settings):
    user = UtilisateurFactory()
    client.force_login(user)
    client.get("/")
    session = client.session
    session["_debut"] = session["_debut"] - settings.SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    assert client.get("/").status_code == 302


def test_prolonger_la_session(client, db):
    user = UtilisateurFactory()
    client.force_login(user)
    assert client.post("/session/prolonger").status_code == 204


def test_compte_desactive_coupe_les_sessions_ouvertes(client, db):
    user = UtilisateurFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/").status_code == 302


def test_connexion_limitee_en_debit(client, db):
    UtilisateurFactory(email="cible@test.fr")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "cible@test.fr", "password": "faux"})
    r = client.post(reverse("account_login"), {"login": "cible@test.fr", "password": "Mot-de-passe-test-1"})
    assert r.status_code == 200  # refused even with the right password
    assert "Trop de tentatives de connexion" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_reglages_regionaux():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ


def test_check_deploy_sans_avertissement():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "TESTING": "false",
        "SECRET_KEY": "x" * 60 + "-Aa1!Bb2@Cc3#",
        "ALLOWED_HOSTS": "avenirpro.example.gouv.fr",
        "DATABASE_URL": "sqlite:////tmp/avenirpro-check-deploy.sqlite3",
    }
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "WARNINGS" not in r.stderr


def test_secret_obligatoire_hors_debug():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "TESTING": "false", "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}
    r = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert r.returncode != 0
    assert "SECRET_KEY" in r.stderr


def test_reinitialisation_du_mot_de_passe_par_courriel(client, db, mailoutbox, taches_apres_commit):
    import re

    UtilisateurFactory(email="oubli@test.fr")
    with taches_apres_commit():
        r = client.post(reverse("account_reset_password"), {"email": "oubli@test.fr"})
        assert mailoutbox == []  # allauth's e-mails also leave through the task queue, after commit
    assert r.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject.startswith("AvenirPro+ – ")
    lien = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+)", message.body).group(1)
    r = client.get(lien, follow=True)
    formulaire = r.redirect_chain[-1][0] if r.redirect_chain else lien
    nouveau = "Un-nouveau-mot-de-passe-2026"
    r = client.post(formulaire, {"password1": nouveau, "password2": nouveau})
    assert r.status_code == 302
    client.logout()
    r = client.post(reverse("account_login"), {"login": "oubli@test.fr", "password": nouveau})
    assert r.status_code == 302 and "_auth_user_id" in client.session
