"""Two application nodes (issue 20): two gunicorn instances, each in its own working directory with its own var/,
and two Celery workers, on the test database and one (private) Redis, behind haproxy round-robin on loopback
(tests/noeuds/grappe.py). Every request below goes through the proxy; `X-Noeud` says which node answered.

One user's working session moves from node to node: the login made on one node holds on the other (sessions in
PostgreSQL); an import posted to one node has its progress read on the other; an export prepared by a worker is
downloaded through the node that did not ask for it (file content in PostgreSQL, ExportFichier.contenu); a write on
one node makes the other serve a fresh dashboard (cache versions in the database cache); a signed copy uploaded
through one node is served by the other (the «documents» storage shared by every node: here a directory outside
both nodes, as the shared volume of docs/deploiement.md); a worker killed outright in the middle of a task leaves it
to the other worker (acks_late, Redis visibility timeout). No node writes a file in its own var/.
"""

import concurrent.futures
import re
import time

import pytest
import requests
from django.utils import timezone

from avenirpro.models import ExportFichier, Notification, Role
from avenirpro.notifications import notifier
from documents.demo import pdf_vierge
from documents.models import PieceSignee
from eleves.models import ImportEleves, Jeune, Reperage
from eleves.views import SEUIL_INLINE
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory, avec_role
from tests.eleves.fichiers import csv_octets, ligne
from tests.noeuds.grappe import Mandataire, Noeud
from tests.parcours.factories import InscriptionFactory
from tests.taches.courriel import lire_courriels
from tests.taches.services import RedisPrive, Worker, attendre, pointer_celery_vers

pytestmark = [pytest.mark.deux_noeuds, pytest.mark.services, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE = "Noeuds-AvenirPro+2026"
VISIBILITE = "12"  # seconds before an unacknowledged message goes back to the queue (production: 3600)


@pytest.fixture
def grappe(tmp_path):
    redis = RedisPrive(tmp_path).demarrer()
    restaurer = pointer_celery_vers(redis.url)
    courriels = tmp_path / "courriels"
    courriels.mkdir()
    documents = tmp_path / "documents-partages"  # the volume every node and worker mounts (docs/deploiement.md)
    env = Worker(redis, courriels).env()
    env.update(EXPORT_SEUIL_ARRIERE_PLAN="10", EXPORT_PAS_PROGRESSION="100", DOCUMENTS_ROOT=str(documents))
    noeuds = [Noeud(nom, tmp_path, env).demarrer() for nom in ("a", "b")]
    workers = []
    for nom in ("w1", "w2"):
        w = Worker(
            redis,
            courriels,
            VISIBILITE_SECONDES=VISIBILITE,
            VAR_DIR=str(tmp_path / f"worker-{nom}" / "var"),
            DOCUMENTS_ROOT=str(documents),
        )
        w.nom, w.journal = f"{nom}-{redis.port}", tmp_path / f"worker-{nom}.log"
        workers.append(w)
    mandataire = None
    try:
        # The four processes start together (each takes seconds to import Django).
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            for fait in [pool.submit(w.demarrer) for w in workers] + [pool.submit(n.attendre) for n in noeuds]:
                fait.result()
        mandataire = Mandataire(tmp_path, noeuds).demarrer()
        yield {
            "url": mandataire.url,
            "noeuds": noeuds,
            "workers": workers,
            "courriels": courriels,
            "documents": documents,
        }
    finally:
        if mandataire:
            mandataire.arreter()
        for n in noeuds:
            n.arreter()
        for w in workers:
            if w.proc:
                w.arreter()
        restaurer()
        redis.arreter()


class Navigateur:
    """One user's browser, through the proxy; `dernier` is the node that answered the last request."""

    def __init__(self, url):
        self.url, self.session, self.dernier, self.noeuds = url, requests.Session(), None, []

    def envoyer(self, methode, chemin, noeud=None, **kwargs):
        """The request, answered by `noeud` when given: round-robin over two nodes alternates, so when the last
        answer came from `noeud` a light /healthz takes the other's turn first."""
        if noeud and self.dernier == noeud:
            self.envoyer("GET", "/healthz")
        r = self.session.request(methode, self.url + chemin, allow_redirects=False, timeout=30, **kwargs)
        self.dernier = r.headers["X-Noeud"]
        self.noeuds.append(self.dernier)
        assert noeud is None or self.dernier == noeud, (noeud, self.dernier)
        return r

    def jeton(self, chemin, noeud=None):
        html = self.envoyer("GET", chemin, noeud).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _non_contactes(html: str) -> int:
    return int(
        re.search(r'ap-nombre">\s*(\d+)\s*</p>\s*<p class="fr-callout__text"><a [^>]*>Jeunes pas encore', html)[1]
    )


def test_deux_noeuds_un_proxy_une_base(grappe):
    lycee = EtablissementFactory()
    campagne = CampagneFactory()
    chef = avec_role(Role.CHEF, etablissement=lycee, email="chef.noeuds@test.fr")
    chef.set_password(MOT_DE_PASSE)
    chef.save()
    referent = avec_role(Role.REFERENT, etablissement=lycee, email="referent.noeuds@test.fr")
    nav = Navigateur(grappe["url"])

    # 1. Logged in on node a, the user carries on on node b: the session is in PostgreSQL, not in a node's files.
    jeton = nav.jeton("/comptes/login/", "b")
    r = nav.envoyer(
        "POST",
        "/comptes/login/",
        "a",
        data={"login": chef.email, "password": MOT_DE_PASSE, "csrfmiddlewaretoken": jeton},
    )
    assert r.status_code == 302, r.text[:500]
    r = nav.envoyer("GET", "/tableaux/chef/", "b")
    assert r.status_code == 200 and "Tableau de bord" in r.text
    assert nav.envoyer("GET", "/tableaux/chef/", "a").status_code == 200

    # 2. An import posted to node a (big enough for the worker), its progress read on node b.
    lignes = [ligne(n) for n in range(1, 1400)]
    fichier = csv_octets(lignes)
    assert len(fichier) > SEUIL_INLINE
    jeton = nav.jeton("/jeunes/import/", "b")
    r = nav.envoyer(
        "POST",
        "/jeunes/import/",
        "a",
        data={"etablissement": lycee.pk, "campagne": campagne.pk, "csrfmiddlewaretoken": jeton},
        files={"fichier": ("cohorte.csv", fichier, "text/csv")},
    )
    assert r.status_code == 302, r.text[:1000]
    detail = r.headers["Location"]
    imp = ImportEleves.objects.get()
    etats = []

    def etat_sur_b(attendu):
        e = nav.envoyer("GET", f"{detail}etat", "b").json()
        etats.append(e)
        return e["statut"] == attendu

    attendre(lambda: etat_sur_b("pret"), timeout=60, pas=0.3, message="analyse de l'import lue sur le nœud b")
    jeton = nav.jeton(detail, "b")
    r = nav.envoyer("POST", f"{detail}confirmer", "a", data={"valides_seulement": "on", "csrfmiddlewaretoken": jeton})
    assert r.status_code == 302
    attendre(lambda: etat_sur_b("termine"), timeout=60, pas=0.3, message="écriture de l'import lue sur le nœud b")
    assert etats[-1]["progression"] == 100
    imp.refresh_from_db()
    assert imp.statut == "termine"
    assert Jeune.objects.filter(etablissement=lycee).count() == len(lignes)

    # 3. A write on node a: node b's cached dashboard is recomputed (the cache and its versions are in the database).
    avant = _non_contactes(nav.envoyer("GET", "/tableaux/chef/", "b").text)
    assert _non_contactes(nav.envoyer("GET", "/tableaux/chef/", "b").text) == avant > 0  # served from the cache
    a_contacter = Reperage.objects.filter(
        jeune__etablissement=lycee, statut_contact=Reperage.StatutContact.A_CONTACTER
    )
    a_contacter = a_contacter.exclude(typologie=Reperage.Typologie.AVEC_SOLUTION)
    assert a_contacter.count() == avant
    jeune = a_contacter.select_related("jeune").order_by("jeune__ine").first().jeune
    jeton = nav.jeton(f"/jeunes/{jeune.uuid}/contact", "b")
    r = nav.envoyer(
        "POST",
        f"/jeunes/{jeune.uuid}/contact",
        "a",
        data={
            "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "canal": "telephone",
            "issue": "joint",
            "csrfmiddlewaretoken": jeton,
        },
    )
    assert r.status_code == 302, r.text[:1000]
    assert a_contacter.count() == avant - 1
    assert _non_contactes(nav.envoyer("GET", "/tableaux/chef/", "b").text) == avant - 1

    # 4. An export asked on node a, prepared by a worker, downloaded through node b (its content is in PostgreSQL).
    jeton = nav.jeton("/jeunes/export.csv", "b")  # beyond the threshold: a page whose button asks the worker
    r = nav.envoyer("POST", "/jeunes/export.csv", "a", data={"csrfmiddlewaretoken": jeton})
    assert r.status_code == 302 and r.headers["Location"].startswith("/exports/"), r.status_code
    page = r.headers["Location"]
    attendre(
        lambda: ExportFichier.objects.filter(statut=ExportFichier.Statut.TERMINE).exists(),
        timeout=60,
        message="export préparé par un worker",
    )
    r = nav.envoyer("GET", f"{page}fichier", "b")
    assert r.status_code == 200, r.status_code
    contenu = r.content.decode("utf-8-sig")
    assert len(contenu.strip().splitlines()) == len(lignes) + 1
    assert jeune.ine in contenu

    # 5. A signed copy uploaded through node a is served by node b, and by node a: the «documents» storage is the
    # volume both nodes mount, not a node's own var/.
    inscription = InscriptionFactory(jeune=jeune, campagne=campagne, statut="en_cours")
    page_documents = f"/documents/parcours/{inscription.uuid}/"
    jeton = nav.jeton(page_documents, "b")
    copie = pdf_vierge()
    r = nav.envoyer(
        "POST",
        page_documents,
        "a",
        data={"type": "engagement", "csrfmiddlewaretoken": jeton},
        files={"fichier": ("engagement-signe.pdf", copie, "application/pdf")},
    )
    assert r.status_code == 302, r.text[:1000]
    piece = PieceSignee.objects.get(inscription=inscription)
    assert [p.read_bytes() for p in grappe["documents"].rglob("*") if p.is_file()] == [copie]
    assert f"/documents/pieces/{piece.uuid}/" in nav.envoyer("GET", page_documents, "b").text
    for noeud in ("b", "a"):
        r = nav.envoyer("GET", f"/documents/pieces/{piece.uuid}/", noeud)
        assert r.status_code == 200, (noeud, r.status_code)
        assert r.content == copie and r.headers["Cache-Control"] == "no-store", noeud

    # Round-robin for real: both nodes answered, and the steps above crossed nodes.
    assert set(nav.noeuds) == {"a", "b"}
    # No node keeps anything of this session in its own var/: nothing written there at all.
    for noeud in grappe["noeuds"]:
        assert [p for p in noeud.var.rglob("*") if p.is_file()] == [], noeud.nom

    # 6. A worker killed outright in the middle of a task: the other one finishes it.
    courriels = grappe["courriels"]
    (courriels / "ralentir").write_text("")
    notifier(destinataires=[referent], cle="noeuds-worker-tue", sujet="Deux nœuds")
    debut = attendre(lambda: list(courriels.glob("debut-*")), timeout=30, message="début de l'envoi")[0]
    enfant = int(debut.name.split("-")[1])
    parent = int(open(f"/proc/{enfant}/stat").read().rsplit(")", 1)[1].split()[1])
    tue = next(w for w in grappe["workers"] if w.proc and w.proc.pid == parent)
    survivant = next(w for w in grappe["workers"] if w is not tue)
    tue.tuer()
    t0 = time.monotonic()
    assert lire_courriels(courriels) == []
    recus = attendre(lambda: lire_courriels(courriels), timeout=60, message="tâche reprise par l'autre worker")
    assert [c["a"] for c in recus] == [["referent.noeuds@test.fr"]]
    assert Notification.objects.get(cle="noeuds-worker-tue").courriel_envoye_le is not None
    assert survivant.proc.poll() is None
    assert time.monotonic() - t0 < 60
