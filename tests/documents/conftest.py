"""Fixtures of the documents tests: a private «documents» storage per test, a parcours with a complete PFMP, and
the files of the upload tests (made here, not downloaded: a valid PDF, JPEG and PNG, ELF and PE executables named
.pdf, PDF with JavaScript)."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parcours import services as services_parcours
from parcours.models import PFMP
from tests.eleves.factories import JeuneFactory, ReperageFactory

D = datetime.date


@pytest.fixture(autouse=True)
def stockage_documents(settings, tmp_path) -> Path:
    """The «documents» storage in a directory of the test: what it holds is what the test wrote."""
    dossier = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": dossier}},
    }
    return dossier


def fichiers_stockes(dossier: Path) -> list[Path]:
    return sorted(p for p in dossier.rglob("*") if p.is_file()) if dossier.exists() else []


@pytest.fixture
def inscription(cast):
    jeune = JeuneFactory(
        etablissement=cast.lycee_a,
        nom="DURAND",
        prenoms="Inès",
        adresse="3 rue des Lilas, 69100 Villeurbanne",
        responsable_nom="Mme Durand",
        responsable_telephone="0600000000",
    )
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    return services_parcours.inscrire(
        jeune=jeune,
        campagne=cast.campagne,
        date_entree=D(2026, 9, 14),
        referent=cast.referent_a,
        conseiller=cast.conseiller_a,
        statut="en_cours",
    )


@pytest.fixture
def pfmp(inscription):
    """A complete PFMP under way on the tests' day (24/11/2026), convention not yet signed."""
    return services_parcours.enregistrer_pfmp(
        inscription=inscription,
        pfmp=PFMP(
            entreprise="Boulangerie Martin",
            siret="73282932000074",
            adresse="5 place Lazare Goujon, 69100 Villeurbanne",
            tuteur_nom="Paul Martin",
            tuteur_telephone="0478000000",
            date_debut=D(2026, 11, 23),
            date_fin=D(2026, 12, 4),
            heures_hebdo=35,
            activites="Fabrication du pain, vente au comptoir",
        ),
    )


def pdf_valide() -> bytes:
    from documents.demo import pdf_vierge

    return pdf_vierge()


def pdf_avec_javascript(cle: str = "js") -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    ecrivain = PdfWriter()
    ecrivain.add_blank_page(width=595, height=842)
    if cle == "js":
        # Document-level JavaScript: the /Names /JavaScript name tree, run when the file opens.
        action = ecrivain._add_object(
            DictionaryObject(
                {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
            )
        )
        arbre = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"), action])})
        ecrivain._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): arbre})
    elif cle == "openaction":
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
        ecrivain._root_object[NameObject("/OpenAction")] = ecrivain._add_object(action)
    elif cle == "aa":
        page = ecrivain.pages[0]
        page[NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/Launch")})}
        )
    tampon = io.BytesIO()
    ecrivain.write(tampon)
    return tampon.getvalue()


def image(format_: str) -> bytes:
    from PIL import Image

    tampon = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 200)).save(tampon, format=format_)
    return tampon.getvalue()


# An ELF header (Linux executable) and a PE header (Windows «MZ… PE\0\0»), each followed by padding.
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ" + b"\x90\x00" * 29 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00\x4c\x01" + b"\x00" * 200


def televerse(contenu: bytes, nom: str, type_annonce: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type=type_annonce)
