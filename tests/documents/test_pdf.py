"""Generated documents: the convention (refused while an item is missing, with the list), the attendance
attestation (days done from attendance × the campaign's rate), the fiche d'engagement; read back with pypdf."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from avenirpro.models import JournalAcces
from documents import services
from parcours import services as services_parcours

pytestmark = pytest.mark.django_db
D = datetime.date


def _texte(reponse) -> str:
    assert reponse["Content-Type"] == "application/pdf" and reponse["Cache-Control"] == "no-store"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(reponse.content)).pages)


def test_convention_refusee_tant_qu_il_manque_un_element(cast, client_de, inscription, pfmp):
    pfmp.tuteur_nom = ""
    pfmp.activites = ""
    pfmp.save()
    jeune = pfmp.inscription.jeune
    jeune.date_naissance = D(2010, 1, 1)  # minor
    jeune.responsable_nom = ""
    jeune.save()
    assert services.elements_manquants_convention(pfmp) == [
        "le nom du tuteur ou de la tutrice",
        "les activités confiées",
        "le nom du responsable légal (le jeune est mineur)",
    ]
    reponse = client_de(cast.referent_a).get(reverse("documents:convention", kwargs={"pfmp_uuid": pfmp.uuid}))
    assert reponse.status_code == 409
    html = reponse.content.decode()
    assert "ne peut pas être produite" in html and "les activités confiées" in html
    assert "application/pdf" not in reponse["Content-Type"]


def test_convention_produite_depuis_les_donnees_de_la_pfmp(cast, client_de, inscription, pfmp):
    jeune = inscription.jeune
    jeune.date_naissance = D(2010, 1, 1)  # minor: the legal guardian is a party
    jeune.save()
    reponse = client_de(cast.referent_a).get(reverse("documents:convention", kwargs={"pfmp_uuid": pfmp.uuid}))
    assert reponse.status_code == 200
    texte = _texte(reponse)
    for attendu in (
        "Boulangerie Martin",
        "73282932000074",
        "Paul Martin",
        "Fabrication du pain",
        "23/11/2026",
        "04/12/2026",
        "35",
        "Mme Durand",
        "responsable légal",
        "DURAND",
        str(cast.referent_a),
    ):
        assert attendu in texte, attendu
    # The gratification: the campaign's rate for the MEF (CAP → APRO PLUS 3), never a constant.
    assert f"{cast.campagne.taux_gratification_niveau3:.2f}".replace(".", ",") in texte
    assert JournalAcces.objects.filter(action="pdf", objet_uuid=jeune.uuid).count() == 1


def test_attestation_jours_effectues_et_montant_du(cast, client_de, inscription, pfmp):
    lignes = [
        {"date": D(2026, 11, 23), "periode": "matin", "statut": "present", "motif": ""},
        {"date": D(2026, 11, 23), "periode": "apres_midi", "statut": "present", "motif": ""},
        {"date": D(2026, 11, 24), "periode": "matin", "statut": "retard", "motif": ""},
        {"date": D(2026, 11, 24), "periode": "apres_midi", "statut": "absent_non_justifie", "motif": ""},
    ]
    services_parcours.enregistrer_presences(inscription=inscription, lignes=lignes, user=cast.referent_a)
    contexte = services.contexte_attestation(pfmp)
    taux = cast.campagne.taux_gratification_niveau3
    assert contexte["jours"] == Decimal("1.5")
    assert contexte["montant"] == (Decimal("1.5") * taux).quantize(Decimal("0.01"))
    reponse = client_de(cast.conseiller_a).get(reverse("documents:attestation", kwargs={"pfmp_uuid": pfmp.uuid}))
    texte = _texte(reponse)
    assert "1,5" in texte and f"{contexte['montant']:.2f}".replace(".", ",") in texte


def test_fiche_d_engagement(cast, client_de, inscription):
    reponse = client_de(cast.chef_a).get(reverse("documents:engagement", kwargs={"uuid": inscription.uuid}))
    texte = _texte(reponse)
    assert "Fiche d'engagement" in texte and "DURAND" in texte and "plein gré" in texte
