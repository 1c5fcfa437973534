"""Administration pages: the same number of queries with 1 and with 50 rows (no N+1)."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from avenirpro.models import Affectation, Couverture, InvitationCompte, JournalAcces, Role, Structure
from tests.avenirpro.factories import AffectationFactory, EtablissementFactory, MissionLocaleFactory, avec_role
from tests.parcours.factories import InscriptionFactory


def _lycees(cast, n):
    for _ in range(n):
        EtablissementFactory()


def _ml(cast, n):
    for _ in range(n):
        ml = MissionLocaleFactory()
        Couverture.objects.create(mission_locale=ml, etablissement=cast.lycee_a)


def _structures(cast, n):
    Structure.objects.bulk_create(Structure(nom=f"Structure {i}", type="cio") for i in range(n))


def _comptes(cast, n):
    for i in range(n):
        u = avec_role(Role.REFERENT, etablissement=cast.lycee_a, email=f"r{i}-{n}@test.fr")
        AffectationFactory(utilisateur=u, role=Role.PSY_EN, etablissement=cast.lycee_b)


def _invitations(cast, n):
    for i in range(n):
        InvitationCompte.objects.create(
            email=f"i{i}-{n}@test.fr",
            role="referent",
            etablissement=cast.lycee_a,
            date_volontariat=datetime.date(2026, 6, 1),
            cree_par=cast.chef_a,
            jeton_hash=uuid.uuid4().hex * 2,
            expire_le=timezone.now() + datetime.timedelta(days=1),
        )


def _journal(cast, n):
    for i in range(n):
        JournalAcces.objects.create(utilisateur=cast.chef_a, action="lecture", objet=f"Dossier {i}")


def _couvertures_de_ml_a(cast, n):
    for _ in range(n):
        Couverture.objects.create(mission_locale=cast.ml_a, etablissement=EtablissementFactory())


def _roles_du_referent(cast, n):
    for _ in range(n):
        AffectationFactory(utilisateur=cast.referent_a, role=Role.PSY_EN, etablissement=EtablissementFactory())


def _jeunes_du_referent(cast, n):
    for _ in range(n):
        InscriptionFactory(jeune__etablissement=cast.lycee_a, referent=cast.referent_a, campagne=cast.campagne)


PAGES = [
    ("administration:etablissements", {}, "admin", _lycees),
    ("administration:missions_locales", {}, "admin", _ml),
    ("administration:structures", {}, "admin", _structures),
    ("administration:comptes", {}, "admin", _comptes),
    ("administration:equipe", {}, "chef_a", _comptes),
    ("administration:invitations", {}, "chef_a", _invitations),
    ("administration:journal", {}, "admin", _journal),
    ("administration:mission_locale", {"uuid": "ml_a"}, "admin", _couvertures_de_ml_a),
    ("administration:compte", {"uuid": "referent_a"}, "admin", _roles_du_referent),
    ("administration:mon_compte", {}, "referent_a", _jeunes_du_referent),
]


def _compter(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("nom,kwargs,membre,remplir", PAGES, ids=[p[0] for p in PAGES])
def test_meme_nombre_de_requetes_avec_1_et_50_lignes(cast, client, nom, kwargs, membre, remplir):
    url = reverse(nom, kwargs={k: getattr(cast, v).uuid for k, v in kwargs.items()})
    client.force_login(getattr(cast, membre))
    remplir(cast, 1)
    client.get(url)  # warm-up (session, site configuration)
    une = _compter(client, url)
    remplir(cast, 49)
    cinquante = _compter(client, url)
    assert une == cinquante, f"{nom} : {une} requêtes avec 1 ligne, {cinquante} avec 50"


def test_les_listes_sont_paginees(cast, client):
    _lycees(cast, 60)
    client.force_login(cast.admin)
    r = client.get(reverse("administration:etablissements"))
    assert len(r.context["page"].object_list) == 50
    assert "page=2" in r.content.decode()
    r = client.get(reverse("administration:etablissements") + "?page=2")
    assert len(r.context["page"].object_list) == 12  # 60 + lycées A and B


def test_filtres_du_journal(cast, client):
    JournalAcces.objects.create(utilisateur=cast.chef_a, action="export", objet="Export du repérage")
    JournalAcces.objects.create(utilisateur=cast.chef_b, action="lecture", objet="DUPONT Zoé")
    client.force_login(cast.admin)
    url = reverse("administration:journal")
    assert client.get(url, {"action": "export"}).context["page"].paginator.count == 1
    assert client.get(url, {"utilisateur": "chef.b"}).context["page"].paginator.count == 1
    assert client.get(url, {"du": "01/01/2000", "au": "01/01/2001"}).context["page"].paginator.count == 0
    # A young person's name is no search key for the log.
    assert client.get(url, {"objet": "DUPONT"}).context["page"].paginator.count == 1  # objet without a record uuid

    u = uuid.uuid4()
    JournalAcces.objects.create(utilisateur=cast.chef_a, action="lecture", objet="MARTIN Léa", objet_uuid=u)
    assert client.get(url, {"objet": "MARTIN"}).context["page"].paginator.count == 0
    r = client.get(url, {"objet": str(u)})
    assert r.context["page"].paginator.count == 1 and "MARTIN" not in r.content.decode()


def test_filtres_des_comptes(cast, client):
    client.force_login(cast.admin)
    url = reverse("administration:comptes")
    assert client.get(url, {"role": "psy_en"}).context["page"].paginator.count == 1
    cast.sans_role.is_active = False
    cast.sans_role.save()
    assert client.get(url, {"actif": "0"}).context["page"].paginator.count == 1
    assert client.get(url, {"q": "referent.a2"}).context["page"].paginator.count == 1
    assert Affectation.objects.count() >= 10
