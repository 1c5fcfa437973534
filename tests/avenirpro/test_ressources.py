"""Resources page: the texts' resources (addresses only where the texts give them), national or per académie,
kept by the administrator."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avenirpro.models import Etablissement, Ressource
from avenirpro.ressources import creer_ressources_de_reference

pytestmark = pytest.mark.django_db


def test_ressources_des_textes_idempotentes_sans_adresse_inventee(cast):
    assert creer_ressources_de_reference() == 7
    assert creer_ressources_de_reference() == 0
    adresses = dict(Ressource.objects.values_list("titre", "url"))
    assert adresses["Les ressources du site nouvelles chances"] == "https://www.nouvelles-chances.gouv.fr/"
    assert adresses["Les ressources du Plan régional insertion jeunesse (PRIJ)"] == "https://prij.fr/dispositifs"
    # Not given by the texts: left for the administrator to fill in.
    assert adresses["Page éduscol dédiée à AvenirPro+"] == ""
    assert adresses["Parcours d'autoformation sur M@gistère"] == ""


def test_par_academie(client_de, cast):
    Etablissement.objects.filter(pk=cast.lycee_a.pk).update(academie="Lyon")
    Etablissement.objects.filter(pk=cast.lycee_b.pk).update(academie="Grenoble")
    Ressource.objects.create(titre="Guide national", categorie="documents")
    Ressource.objects.create(titre="Salon lyonnais", categorie="sites", academie="Lyon")
    Ressource.objects.create(titre="Forum grenoblois", categorie="sites", academie="Grenoble")
    contenu = client_de(cast.referent_a).get(reverse("ressources")).content.decode()
    assert "Guide national" in contenu and "Salon lyonnais" in contenu and "Forum grenoblois" not in contenu
    contenu = client_de(cast.conseiller_b).get(reverse("ressources")).content.decode()
    assert "Forum grenoblois" in contenu and "Salon lyonnais" not in contenu
    contenu = client_de(cast.admin).get(reverse("ressources")).content.decode()
    assert "Forum grenoblois" in contenu and "Salon lyonnais" in contenu and "Ajouter une ressource" in contenu


def test_tenue_par_l_administrateur(client_de, cast):
    creer_ressources_de_reference()
    eduscol = Ressource.objects.get(titre="Page éduscol dédiée à AvenirPro+")
    url = reverse("administration:ressource_modifier", args=[eduscol.uuid])
    donnees = {"titre": eduscol.titre, "categorie": "documents", "url": "https://exemple.test/", "ordre": 1}
    assert client_de(cast.chef_a).post(url, donnees).status_code == 404
    assert "Modifier" not in client_de(cast.chef_a).get(reverse("ressources")).content.decode()
    assert client_de(cast.admin).post(url, donnees).status_code == 302
    eduscol.refresh_from_db()
    assert eduscol.url == "https://exemple.test/"


def test_nombre_de_requetes_constant(client_de, cast):
    client = client_de(cast.chef_a)
    Ressource.objects.create(titre="Une", categorie="sites")
    client.get(reverse("ressources"))
    with CaptureQueriesContext(connection) as une:
        client.get(reverse("ressources"))
    for i in range(30):
        Ressource.objects.create(titre=f"R{i}", categorie=["sites", "textes", "formation"][i % 3])
    with CaptureQueriesContext(connection) as trente:
        client.get(reverse("ressources"))
    assert len(trente) == len(une)
