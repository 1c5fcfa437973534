"""Downloads only through the access-checked view (404 out of scope, journaled, no-store); the page of the documents
in a fixed number of queries; the signed copies in the RGPD export, removed by erasure and retention."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from avenirpro.models import JournalAcces
from documents.demo import deposer_copie_de_demonstration
from documents.models import PieceSignee
from parcours import services as services_parcours
from parcours.models import PFMP
from rgpd.retention import anonymiser_jeune, appliquer_retention, archive_du_jeune
from tests.documents.conftest import fichiers_stockes, image, televerse

pytestmark = pytest.mark.django_db
D = datetime.date


def test_telechargement_controle_journalise_no_store(cast, client_de, inscription, pfmp):
    piece = deposer_copie_de_demonstration(pfmp, user=cast.referent_a)
    url = reverse("documents:telecharger", kwargs={"uuid": piece.uuid})
    for dehors in (cast.chef_b, cast.conseiller_b, cast.referent_a2, cast.pilotage, cast.sans_role):
        assert client_de(dehors).get(url).status_code == 404
    assert not JournalAcces.objects.filter(objet_uuid=inscription.jeune.uuid, action="export").exists()
    reponse = client_de(cast.conseiller_a).get(url)
    assert reponse.status_code == 200
    assert reponse["Cache-Control"] == "no-store"
    assert reponse["Content-Type"] == "application/pdf"
    assert "attachment" in reponse["Content-Disposition"] and "DURAND" not in reponse["Content-Disposition"]
    assert b"".join(reponse.streaming_content).startswith(b"%PDF")
    entree = JournalAcces.objects.get(objet_uuid=inscription.jeune.uuid, action="export")
    assert entree.utilisateur == cast.conseiller_a and "Convention" in entree.objet


def test_page_des_documents_nombre_de_requetes_fixe(cast, client_de, inscription, pfmp, django_assert_max_num_queries):
    client = client_de(cast.referent_a)
    url = reverse("documents:parcours", kwargs={"uuid": inscription.uuid})
    deposer_copie_de_demonstration(pfmp)
    client.get(url)  # warm the session and the caches
    with django_assert_max_num_queries(14) as une:
        assert client.get(url).status_code == 200
    for n in range(3):
        autre = services_parcours.enregistrer_pfmp(
            inscription=inscription,
            pfmp=PFMP(entreprise=f"E{n}", date_debut=D(2026, 10, 5 + n), date_fin=D(2026, 10, 5 + n)),
        )
        deposer_copie_de_demonstration(autre)
        deposer_copie_de_demonstration(autre, type="attestation")
    with django_assert_max_num_queries(len(une.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Télécharger<span") == 7


def test_export_rgpd_contient_les_copies_signees(cast, inscription, pfmp):
    piece = deposer_copie_de_demonstration(pfmp)
    from documents.services import deposer_piece

    deposer_piece(
        inscription=inscription, type="engagement", fichier=televerse(image("PNG"), "e.png"), user=cast.chef_a
    )
    with zipfile.ZipFile(io.BytesIO(archive_du_jeune(inscription.jeune, cast.chef_a))) as z:
        noms = z.namelist()
        assert f"pieces-signees/{piece.nom_telechargement}" in noms
        assert z.read(f"pieces-signees/{piece.nom_telechargement}").startswith(b"%PDF")
        assert sum(n.startswith("pieces-signees/") for n in noms) == 2
        import json

        donnees = json.loads(z.read("donnees.json"))
        assert len(donnees["donnees"]["pièces signées"]) == 2


def test_effacement_supprime_lignes_et_fichiers_apres_commit(
    cast, inscription, pfmp, stockage_documents, django_capture_on_commit_callbacks
):
    deposer_copie_de_demonstration(pfmp)
    assert len(fichiers_stockes(stockage_documents)) == 1
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        comptes = anonymiser_jeune(inscription.jeune)
    assert comptes["pieces_supprimees"] == 1
    assert PieceSignee.objects.count() == 0
    assert len(fichiers_stockes(stockage_documents)) == 1  # not before the commit
    for rappel in rappels:
        rappel()
    assert fichiers_stockes(stockage_documents) == []


def test_retention_supprime_les_copies(
    cast, inscription, pfmp, stockage_documents, django_capture_on_commit_callbacks
):
    import time_machine
    from django.conf import settings
    from django.utils import timezone

    deposer_copie_de_demonstration(pfmp)
    inscription.refresh_from_db()
    services_parcours.cloturer(
        inscription=inscription,
        version=inscription.version,
        date_sortie=D(2026, 11, 24),
        motif_sortie="abandon",
        situation_sortie="inconnue",
    )
    echeance = timezone.now() + datetime.timedelta(days=settings.RETENTION_INACTIVITE_APRES_SORTIE_JOURS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(echeance, tick=False):
            assert appliquer_retention()["preavis"] == 1  # the notice to the direction first
        assert PieceSignee.objects.count() == 1
        with time_machine.travel(echeance + datetime.timedelta(days=settings.RETENTION_PREAVIS_JOURS + 1), tick=False):
            assert appliquer_retention()["anonymises"] == 1
    assert PieceSignee.objects.count() == 0
    assert fichiers_stockes(stockage_documents) == []
