"""Jobs against real services: a private redis-server, a real Celery worker subprocess, the test database.

docs/scorecard.md: a worker killed, a duplicate delivery, Redis down.
"""

import datetime
import os
import signal
import time

import pytest
from django.utils import timezone

from avenirpro.models import Notification, Role, TacheEnAttente
from avenirpro.notifications import notifier
from avenirpro.taches import envoyer, renvoyer_taches_en_attente
from avenirpro.tasks import envoyer_courriels
from parcours.balayage import balayer
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory, avec_role
from tests.parcours.factories import InscriptionFactory
from tests.taches.courriel import lire_courriels
from tests.taches.services import RedisPrive, Worker, attendre, pointer_celery_vers

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_prive(tmp_path):
    r = RedisPrive(tmp_path).demarrer()
    restaurer = pointer_celery_vers(r.url)
    yield r
    restaurer()
    r.arreter()


@pytest.fixture
def courriels(tmp_path):
    d = tmp_path / "courriels"
    d.mkdir()
    return d


@pytest.fixture
def worker(redis_prive, courriels):
    w = Worker(redis_prive, courriels)
    yield w
    w.arreter()


def _parcours_a(jours: int):
    lycee = EtablissementFactory()
    chef = avec_role(Role.CHEF, etablissement=lycee, email="chef.services@test.fr")
    referent = avec_role(Role.REFERENT, etablissement=lycee, email="referent.services@test.fr")
    aujourdhui = timezone.localdate()
    fin = aujourdhui + datetime.timedelta(days=jours)
    inscription = InscriptionFactory(
        jeune__etablissement=lycee,
        campagne=CampagneFactory(),
        referent=referent,
        statut="en_cours",
        date_entree=fin - datetime.timedelta(days=100),
        date_fin_prevue=fin,
    )
    return inscription, chef, referent


def test_j15_un_seul_courriel_et_une_seule_notification_apres_deux_balayages(worker, courriels):
    worker.demarrer()
    inscription, chef, referent = _parcours_a(15)

    premier = balayer(rappels=False)
    second = balayer(rappels=False)

    assert premier["limite_J15"] == 1 and second["limite_J15"] == 1
    assert second["notifications"] == 0
    for user in (referent, chef):
        attendre(
            lambda u=user: [
                c for c in lire_courriels(courriels) if u.email in c["a"] and "Fin de parcours" in c["sujet"]
            ],
            message=f"courriel de fin de parcours pour {user.email}",
        )
    # Replaying the e-mail task (duplicate delivery, CE-02) sends nothing more.
    ids = list(Notification.objects.values_list("pk", flat=True))
    envoyer(envoyer_courriels, ids)
    envoyer(envoyer_courriels, ids)
    time.sleep(3)

    for user in (referent, chef):
        notifs = Notification.objects.filter(destinataire=user, cle=f"parcours-limite-J15:{inscription.uuid}")
        assert notifs.count() == 1
        assert notifs.get().courriel_envoye_le is not None
        recus = [c for c in lire_courriels(courriels) if user.email in c["a"] and "Fin de parcours" in c["sujet"]]
        assert len(recus) == 1
        assert recus[0]["sujet"].startswith("AvenirPro+ – Fin de parcours dans 15 jour(s)")
        assert "se termine au plus tard le" in recus[0]["corps"]


def test_worker_tue_en_pleine_tache_ne_perd_ni_ne_double_rien(worker, courriels):
    worker.demarrer()
    referent = avec_role(Role.REFERENT, etablissement=EtablissementFactory(), email="tue@test.fr")
    (courriels / "ralentir").write_text("")

    notifier(destinataires=[referent], cle="test-sigkill", sujet="Tâche interrompue", message="Une seule fois.")

    # The child process is inside the e-mail send (row locked, transaction open): kill it.
    marqueur = attendre(lambda: list(courriels.glob("debut-*")), message="début de l'envoi")[0]
    pid = int(marqueur.name.split("-")[1])
    os.kill(pid, signal.SIGKILL)

    # acks_late + reject_on_worker_lost: the message goes back to the queue and a new child sends it, once.
    attendre(lambda: lire_courriels(courriels), timeout=60, message="courriel renvoyé après la perte du worker")
    time.sleep(3)
    recus = lire_courriels(courriels)
    assert len(recus) == 1
    assert recus[0]["a"] == ["tue@test.fr"]
    assert Notification.objects.get(cle="test-sigkill").courriel_envoye_le is not None
    assert "WorkerLostError" in worker.journal.read_text() or "signal 9" in worker.journal.read_text()


def test_redis_arrete_la_demande_reussit_et_la_tache_part_au_retour(redis_prive, courriels):
    referent = avec_role(Role.REFERENT, etablissement=EtablissementFactory(), email="panne@test.fr")
    redis_prive.arreter()

    debut = time.monotonic()
    nouvelles = notifier(destinataires=[referent], cle="test-panne", sujet="Pendant la panne")
    assert time.monotonic() - debut < 5
    assert nouvelles == 1
    assert TacheEnAttente.objects.filter(nom="avenirpro.tasks.envoyer_courriels").count() == 1
    # Still down: the relay keeps the job.
    assert renvoyer_taches_en_attente() == 0
    assert TacheEnAttente.objects.count() == 1

    redis_prive.demarrer()
    worker = Worker(redis_prive, courriels).demarrer()
    try:
        assert renvoyer_taches_en_attente() == 1
        assert TacheEnAttente.objects.count() == 0
        attendre(lambda: lire_courriels(courriels), message="courriel envoyé après le retour de Redis")
        time.sleep(2)
        recus = lire_courriels(courriels)
        assert [c["sujet"] for c in recus] == ["AvenirPro+ – Pendant la panne"]
        assert Notification.objects.get(cle="test-panne").courriel_envoye_le is not None
    finally:
        worker.arreter()


def test_redis_arrete_la_page_repond_et_envoyer_ne_bloque_pas(redis_prive, client):
    from avenirpro.tasks import ping

    user = avec_role(Role.CHEF, etablissement=EtablissementFactory(), email="page@test.fr")
    redis_prive.arreter()
    client.force_login(user)

    debut = time.monotonic()
    assert client.get("/notifications/").status_code == 200
    envoyer(ping, 41)  # outside a transaction: published (or kept) at once
    assert time.monotonic() - debut < 5
    assert TacheEnAttente.objects.filter(nom="avenirpro.tasks.ping", args=[41]).exists()


def test_worker_entier_tue_le_message_non_acquitte_revient(redis_prive, courriels):
    """The whole worker (main process and child) SIGKILLed: nothing acknowledged, the message stays in Redis's
    unacked set and comes back after the visibility timeout (shortened to 6 s here) to the next worker."""
    referent = avec_role(Role.REFERENT, etablissement=EtablissementFactory(), email="tout@test.fr")
    premier = Worker(redis_prive, courriels, VISIBILITE_SECONDES="6").demarrer()
    second = Worker(redis_prive, courriels, VISIBILITE_SECONDES="6")
    try:
        (courriels / "ralentir").write_text("")
        notifier(destinataires=[referent], cle="test-sigkill-tout", sujet="Worker tué")
        attendre(lambda: list(courriels.glob("debut-*")), message="début de l'envoi")
        premier.tuer()
        assert lire_courriels(courriels) == []
        assert Notification.objects.get(cle="test-sigkill-tout").courriel_envoye_le is None

        second.demarrer()
        attendre(
            lambda: lire_courriels(courriels), timeout=60, message="message restauré après le délai de visibilité"
        )
        time.sleep(8)  # one more visibility period: no second delivery
        recus = lire_courriels(courriels)
        assert [c["a"] for c in recus] == [["tout@test.fr"]]
        assert Notification.objects.get(cle="test-sigkill-tout").courriel_envoye_le is not None
    finally:
        second.arreter()
        if premier.proc:
            premier.arreter()
