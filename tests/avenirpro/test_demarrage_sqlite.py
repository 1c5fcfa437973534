"""The `make run` path on the embedded default: SQLite and a file broker, no server at all."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
from django.test import Client
c = Client()
assert c.get("/comptes/login/").status_code == 200
r = c.post("/comptes/login/", {"login": "chef@demo.avenirpro.fr", "password": "Demo-AvenirPro+2026"})
assert r.status_code == 302, r.status_code
page = c.get("/")
assert page.status_code == 200 and "Claire" in page.content.decode()
# The search box's plain fallback on SQLite: lower case, no accents, the chef's own young people only.
from avenirpro.models import Utilisateur
from eleves.models import Jeune, normaliser_recherche
chef = Utilisateur.objects.get(email="chef@demo.avenirpro.fr")
jeune = Jeune.objects.visibles_par(chef).first()
r = c.get("/recherche/", {"q": normaliser_recherche(jeune.prenoms, jeune.nom)})
assert r.status_code == 200 and jeune.ine in r.content.decode(), r.status_code
autre = Jeune.objects.exclude(pk__in=Jeune.objects.visibles_par(chef)).first()
if autre is not None:
    assert str(autre.uuid) not in c.get("/recherche/", {"q": autre.ine}).content.decode()
# The personal screens read their rows through the ORM on SQLite (hand-written SQL on PostgreSQL: tableaux/lignes.py).
for compte, chemin in (("referent", "/tableaux/referent/"), ("conseiller", "/tableaux/conseiller/")):
    c.logout()
    connexion = {"login": f"{compte}@demo.avenirpro.fr", "password": "Demo-AvenirPro+2026"}
    assert c.post("/comptes/login/", connexion).status_code == 302
    r = c.get(chemin)
    assert r.status_code == 200 and "Voir le parcours" in r.content.decode(), (chemin, r.status_code)
print("OK")
"""


def test_migrate_seed_demo_et_page_sur_sqlite(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "CELERY_", "PYTEST", "DJANGO_"))
    }
    env.update({"DEBUG": "true", "TESTING": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    manage = [sys.executable, "manage.py"]
    for cmd in (["migrate", "--noinput"], ["createcachetable"], ["seed_demo", "--jeunes", "5"], ["seed_demo"]):
        r = subprocess.run(manage + cmd, env=env, capture_output=True, text=True, cwd=settings.BASE_DIR)
        assert r.returncode == 0, r.stdout + r.stderr
    assert "chef@demo.avenirpro.fr" in r.stdout
    r = subprocess.run(
        manage + ["shell", "-c", SCRIPT], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert r.returncode == 0 and "OK" in r.stdout, r.stdout + r.stderr
