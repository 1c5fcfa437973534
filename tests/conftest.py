"""Shared fixtures: the cast of users per role, network isolation, browser set-up."""

import os
import socket
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from avenirpro.models import Role

# Playwright's sync API runs an event loop in the main thread; the ORM must still be usable in the test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

MOT_DE_PASSE = "Mot-de-passe-test-1"
_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (
        host.startswith("127.") or host in ("localhost", "::1", "0.0.0.0") or host.startswith("/")
    ):
        raise RuntimeError(f"Les tests n'accèdent pas au réseau extérieur ({host}).")
    return _connect(self, address)


@pytest.fixture(autouse=True)
def _horloge(request):
    """Every test runs on the tests' clock (`tests/horloge.py`), never on the wall clock: a normal weekday at 10:00
    in Paris, ticking from there. The clock audit (`-m horloge`) travels further inside its tests."""
    import time_machine

    from tests.horloge import INSTANT_NORMAL

    with time_machine.travel(INSTANT_NORMAL, tick=True):
        yield


@pytest.fixture(autouse=True)
def _bloquer_reseau(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


class _VariableInconnue:
    """`string_if_invalid` that fails the test when one of OUR templates reads an undefined variable (a typo).

    Third-party templates (django-dsfr, allauth under .venv) read optional variables on purpose (`x|default:…`):
    they are left alone, as les-emplois does with its own strict check."""

    def __contains__(self, cle):
        return cle == "%s"

    @staticmethod
    def _origine():
        # The frames themselves, not `inspect.stack()`: that one reads a line of source for every frame of the
        # stack, and third-party templates call this hundreds of times a test (measured: a fifth of the access
        # matrix's time).
        cadre = sys._getframe(2)
        while cadre is not None:
            if cadre.f_code.co_name == "render":
                origine = getattr(cadre.f_locals.get("self"), "origin", None)
                if origine is not None:
                    return str(getattr(origine, "name", origine))
            cadre = cadre.f_back
        return ""

    def __mod__(self, variable):
        origine = self._origine()
        if origine.startswith(str(_RACINE)) and "/.venv/" not in origine:
            pytest.fail(f"Variable de gabarit inconnue « {variable} » dans {origine}")
        return ""


_RACINE = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _variables_de_gabarit_strictes():
    """Installed on the template engine for the whole run, and again on each new engine: Django replaces its engines
    when a test changes DEBUG, TEMPLATES or INSTALLED_APPS (`settings.DEBUG = False` in the error pages' tests), and
    the guard used to be lost for every later test of that worker."""
    from django.template import engines
    from django.test.signals import setting_changed

    garde = _VariableInconnue()

    def installer(**kwargs):
        if kwargs.get("setting", "TEMPLATES") in {"TEMPLATES", "DEBUG", "INSTALLED_APPS"}:
            engines["django"].engine.string_if_invalid = garde

    installer()
    setting_changed.connect(installer, weak=False)
    yield
    setting_changed.disconnect(installer)
    engines["django"].engine.string_if_invalid = ""


@pytest.fixture(autouse=True, scope="session")
def _statiques_en_cache_du_navigateur():
    """The live server's static files are kept by the browser for the test (`Cache-Control: max-age`), as WhiteNoise
    lets a real browser keep them in production. Without it, Chromium asked again for every stylesheet, font, script
    and pictogram of every page: 24 conditional requests per page load, each handled in Python by the live server
    (measured on the accessibility audit: 2,956 «304» for 126 pages). Two causes: Django's static view sends no
    lifetime, and the server's `Date` header is the tests' clock (tests/horloge.py, days away from the browser's),
    which made every response look stale on arrival; the `Date` is the wall clock's here. Each test's browser context
    still starts with an empty cache."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.utils.http import http_date

    from tests.fiabilite.scorecard import maintenant_reel

    servir = StaticFilesHandler.serve

    def servir_avec_duree(self, request):
        reponse = servir(self, request)
        if reponse.status_code == 200:
            reponse["Cache-Control"] = "max-age=3600"
            reponse["Date"] = http_date(maintenant_reel().timestamp())
        return reponse

    with pytest.MonkeyPatch.context() as m:
        m.setattr(StaticFilesHandler, "serve", servir_avec_duree)
        yield


@pytest.fixture(autouse=True)
def _pas_de_courriel_reel(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def cast(db):
    """Two lycées (A covered by mission locale A, B by mission locale B) and one user per role.

    The healthchecks trio, in our domain: `chef_a` owns, `referent_a` / `conseiller_a` collaborate,
    `chef_b` / `conseiller_b` are outsiders who must get 404s.
    """
    from tests.avenirpro.factories import (
        CampagneFactory,
        CouvertureFactory,
        EtablissementFactory,
        MissionLocaleFactory,
        UtilisateurFactory,
        avec_role,
    )

    c = SimpleNamespace()
    c.campagne = CampagneFactory()
    c.lycee_a = EtablissementFactory(nom="Lycée A")
    c.lycee_b = EtablissementFactory(nom="Lycée B")
    c.ml_a = MissionLocaleFactory(nom="Mission locale A")
    c.ml_b = MissionLocaleFactory(nom="Mission locale B")
    CouvertureFactory(mission_locale=c.ml_a, etablissement=c.lycee_a)
    CouvertureFactory(mission_locale=c.ml_b, etablissement=c.lycee_b)
    c.chef_a = avec_role(Role.CHEF, etablissement=c.lycee_a, email="chef.a@test.fr")
    c.chef_b = avec_role(Role.CHEF, etablissement=c.lycee_b, email="chef.b@test.fr")
    c.referent_a = avec_role(Role.REFERENT, etablissement=c.lycee_a, email="referent.a@test.fr")
    c.referent_a2 = avec_role(Role.REFERENT, etablissement=c.lycee_a, email="referent.a2@test.fr")
    c.conseiller_a = avec_role(Role.CONSEILLER_ML, mission_locale=c.ml_a, email="conseiller.a@test.fr")
    c.conseiller_b = avec_role(Role.CONSEILLER_ML, mission_locale=c.ml_b, email="conseiller.b@test.fr")
    c.psy_a = avec_role(Role.PSY_EN, etablissement=c.lycee_a, email="psy.a@test.fr")
    c.mlds_a = avec_role(Role.MLDS, etablissement=c.lycee_a, email="mlds.a@test.fr")
    c.pilotage = avec_role(Role.PILOTAGE, email="pilotage@test.fr")
    c.admin = avec_role(Role.ADMIN, email="admin@test.fr", is_staff=True, is_superuser=True)
    c.sans_role = UtilisateurFactory(email="sans.role@test.fr")
    return c


@pytest.fixture
def client_de(client):
    """`client_de(user)` returns a test client logged in as `user`."""

    def _client(user):
        client.force_login(user)
        return client

    return _client


# --- Browser tests -----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def _lignes_de_reference(request):
    """Before every database test, put back the rows the data migrations create (the DSFR site settings) and empty
    the cache: a transactional test truncates every table, and test results must not depend on test order."""
    marque = request.node.get_closest_marker("django_db")
    transactionnel = (marque is not None and marque.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactionnel:
        request.getfixturevalue("transactional_db")
    elif marque is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from django.core.cache import cache
    from dsfr.models import DsfrConfig

    from avenirpro.context_processors import oublier_config
    from avenirpro.donnees_reference import creer_config_site

    # The cache table is not a model's: a transactional test's truncation leaves its rows (screens kept by
    # avenirpro/cache_ecrans.py, rate limits) to the next test.
    cache.clear()
    oublier_config()
    # Screens kept in the cache are invalidated after commit: only where tests really commit (transactional tests,
    # browser tests) is the cache on; elsewhere the screens are computed on every request (tests/avenirpro/
    # test_cache_ecrans.py checks the cache itself).
    request.getfixturevalue("settings").CACHE_ECRANS = transactionnel
    if not DsfrConfig.objects.filter(language="fr").exists():
        creer_config_site(DsfrConfig)


@pytest.fixture
def donnees_reference(transactional_db):
    """Transactional tests truncate every table: put back the rows the data migrations created."""
    from dsfr.models import DsfrConfig

    from avenirpro.donnees_reference import creer_config_site

    creer_config_site(DsfrConfig)


@pytest.fixture
def connexion(live_server, donnees_reference):
    """`connexion(page, user)` logs `user` in through the real login form (and the TOTP step if enabled)."""

    def _connexion(page, user, mot_de_passe=MOT_DE_PASSE):
        page.goto(f"{live_server.url}/comptes/login/")
        page.get_by_label("Courriel").fill(user.email)
        page.get_by_label("Mot de passe").fill(mot_de_passe)
        page.get_by_role("button", name="Connexion").click()
        if "/2fa/authenticate/" in page.url:  # not the (forced) activation page of a first enrolment
            page.get_by_label("Code").fill(code_totp(user))
            page.get_by_role("button", name="Connexion").click()
        page.wait_for_url(f"{live_server.url}/**")
        return page

    return _connexion


def code_totp(user) -> str:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(auth.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def taches_sur_place(monkeypatch):
    """For tests whose transactions really commit (live server, threads): the tasks queued through
    `avenirpro.taches.envoyer` run at commit in the committing thread (`Task.apply`: the task's own code, as a worker
    runs it) instead of going to the broker, which no worker reads in these tests."""
    from avenirpro import taches
    from avenirpro.celery import app

    def _sur_place(nom, args, kwargs):
        app.tasks[nom].apply(args=args, kwargs=kwargs, throw=True)
        return True

    monkeypatch.setattr(taches, "_publier", _sur_place)


@pytest.fixture
def taches_apres_commit(django_capture_on_commit_callbacks):
    """`with taches_apres_commit(): …`: the block's after-commit callbacks run at its end, and the tasks it queued
    through `avenirpro.taches.envoyer` run in this process (`Task.apply`: the task's own code, as a worker runs it)
    instead of going to the broker, which no worker reads in these tests. For tests in a rolled-back transaction."""
    from contextlib import contextmanager
    from functools import partial

    from avenirpro.celery import app
    from avenirpro.taches import _publier

    @contextmanager
    def _bloc():
        with django_capture_on_commit_callbacks(execute=False) as rappels:
            yield rappels
        while rappels:
            rappel = rappels.pop(0)
            if isinstance(rappel, partial) and rappel.func is _publier:
                nom, args, kwargs = rappel.args
                with django_capture_on_commit_callbacks(execute=False) as suivants:
                    app.tasks[nom].apply(args=args, kwargs=kwargs, throw=True)
                rappels += suivants
            else:
                rappel()

    return _bloc
