"""Calendar of local events: shared like the local offer (network, bassin), each team registers the young people it
follows; young people of another lycée registered to the same event are counted, never named."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from avenirpro.models import Etablissement
from parcours.models import Evenement, ParticipationEvenement
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    return Evenement.objects.create(
        type="forum",
        intitule="Forum de l'alternance",
        lieu="Gymnase",
        etablissement=cast.lycee_a,
        debut=timezone.now() + datetime.timedelta(days=10),
    )


def test_publier_un_evenement(client_de, cast):
    r = client_de(cast.referent_a).post(
        reverse("parcours:evenements"),
        {
            "type": "job_dating",
            "intitule": "Job dating BTP",
            "lieu": "Mairie",
            "debut": "2026-12-01T09:00",
            "etablissement": cast.lycee_a.pk,
        },
    )
    assert r.status_code == 302
    assert Evenement.objects.get().intitule == "Job dating BTP"


def test_partage_au_bassin_pas_au_dela(client_de, cast, forum):
    assert "Forum de l&#x27;alternance" in client_de(cast.chef_b).get(reverse("parcours:evenements")).content.decode()
    Etablissement.objects.filter(pk=cast.lycee_b.pk).update(bassin="Autre bassin")
    assert "Forum de l" not in client_de(cast.chef_b).get(reverse("parcours:evenements")).content.decode()
    assert client_de(cast.chef_b).get(reverse("parcours:evenement", args=[forum.uuid])).status_code == 404


def test_inscrire_ses_jeunes_et_jamais_ceux_des_autres(client_de, cast, forum):
    mien = InscriptionFactory(
        campagne=cast.campagne,
        jeune__etablissement=cast.lycee_a,
        jeune__nom="SUIVIA",
        referent=cast.referent_a,
        statut="en_cours",
    )
    autre = InscriptionFactory(
        campagne=cast.campagne, jeune__etablissement=cast.lycee_b, jeune__nom="SUIVIB", statut="en_cours"
    )
    url = reverse("parcours:evenement", args=[forum.uuid])
    client_a = client_de(cast.referent_a)
    assert "SUIVIA" in client_a.get(url).content.decode()
    # A young person of lycée B: 404 and nothing registered.
    assert client_a.post(url, {"jeunes": [str(autre.jeune.uuid)]}).status_code == 404
    assert client_a.post(url, {"jeunes": [str(mien.jeune.uuid), str(autre.jeune.uuid)]}).status_code == 404
    assert not ParticipationEvenement.objects.exists()
    assert client_a.post(url, {"jeunes": [str(mien.jeune.uuid)]}).status_code == 302
    assert ParticipationEvenement.objects.get().jeune == mien.jeune
    # Lycée B's chef sees the event and a count, never the name of lycée A's young person.
    contenu = client_de(cast.chef_b).get(url).content.decode()
    assert "SUIVIA" not in contenu
    assert "Et 1 jeune suivi par d'autres équipes" in contenu
    assert "SUIVIB" in contenu  # theirs, offered for registration
    assert client_de(cast.chef_b).post(url, {"jeunes": [str(autre.jeune.uuid)]}).status_code == 302
    assert ParticipationEvenement.objects.count() == 2


def test_nombre_de_requetes_constant(client_de, cast, forum):
    client = client_de(cast.chef_a)
    client.get(reverse("parcours:evenements"))
    with CaptureQueriesContext(connection) as un:
        client.get(reverse("parcours:evenements"))
    for i in range(20):
        Evenement.objects.create(
            type="salon",
            intitule=f"Salon {i}",
            lieu="Parc",
            etablissement=cast.lycee_a,
            debut=timezone.now() + datetime.timedelta(days=i + 1),
        )
    with CaptureQueriesContext(connection) as vingt:
        client.get(reverse("parcours:evenements"))
    assert len(vingt) == len(un)
