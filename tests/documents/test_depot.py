"""Signed copies are checked by CONTENT: a renamed executable, an oversized file, a PDF with JavaScript or automatic
actions are refused with a French message and NOTHING is written (no row, no file); a good PDF, JPEG or PNG is
stored through the «documents» storage."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents import services
from documents.models import PieceSignee
from tests.documents.conftest import (
    ELF,
    PE,
    fichiers_stockes,
    image,
    pdf_avec_javascript,
    pdf_valide,
    televerse,
)

pytestmark = pytest.mark.django_db


def _deposer(inscription, pfmp, fichier, cast):
    return services.deposer_piece(
        inscription=inscription, type="convention", pfmp=pfmp, fichier=fichier, user=cast.referent_a
    )


@pytest.mark.parametrize(
    ("contenu", "nom", "attendu"),
    [
        (ELF, "convention.pdf", "programme exécutable (ELF)"),
        (PE, "convention-signee.pdf", "programme exécutable Windows"),
        (PE, "scan.png", "programme exécutable Windows"),
        (b"%PDF-1.7 mais pas vraiment" + b"\x00" * 50, "convention.pdf", "illisible ou endommagé"),
        (b"Bonjour, ceci est un texte", "convention.jpg", "type non reconnu"),
    ],
    ids=["elf-renomme-pdf", "pe-renomme-pdf", "pe-renomme-png", "pdf-casse", "texte-renomme-jpg"],
)
def test_contenu_refuse_rien_n_est_ecrit(cast, inscription, pfmp, stockage_documents, contenu, nom, attendu):
    with pytest.raises(ValidationError) as exc:
        _deposer(inscription, pfmp, televerse(contenu, nom), cast)
    assert attendu in " ".join(exc.value.messages)
    assert PieceSignee.objects.count() == 0
    assert fichiers_stockes(stockage_documents) == []


@pytest.mark.parametrize("cle", ["js", "openaction", "aa"])
def test_pdf_avec_javascript_ou_action_automatique_refuse(cast, inscription, pfmp, stockage_documents, cle):
    with pytest.raises(ValidationError) as exc:
        _deposer(inscription, pfmp, televerse(pdf_avec_javascript(cle), "convention.pdf"), cast)
    assert "JavaScript ou des actions automatiques" in exc.value.messages[0]
    assert PieceSignee.objects.count() == 0
    assert fichiers_stockes(stockage_documents) == []


def test_javascript_cache_dans_un_flux_compresse_est_vu(cast, inscription, pfmp, stockage_documents):
    """The raw-bytes scan is blind to compressed object streams: the walk of the objects still finds the action."""
    import io

    from pypdf import PdfReader, PdfWriter

    ecrivain = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_avec_javascript("openaction"))))
    ecrivain.compress_identical_objects()
    tampon = io.BytesIO()
    ecrivain.write(tampon)
    from documents.verification import _contient_du_code

    assert _contient_du_code(PdfReader(io.BytesIO(tampon.getvalue())))


def test_fichier_trop_lourd_refuse(cast, inscription, pfmp, stockage_documents, settings):
    settings.DOCUMENTS_TAILLE_MAX = 50_000
    contenu = pdf_valide() + b"%" + b"0" * 60_000
    with pytest.raises(ValidationError) as exc:
        _deposer(inscription, pfmp, televerse(contenu, "convention.pdf"), cast)
    assert "la taille maximale est de" in exc.value.messages[0]
    assert PieceSignee.objects.count() == 0
    assert fichiers_stockes(stockage_documents) == []


@pytest.mark.parametrize(
    ("contenu", "nom", "mime"),
    [
        (pdf_valide(), "scan.pdf", "application/pdf"),
        (image("JPEG"), "photo.jpeg", "image/jpeg"),
        (image("PNG"), "photo.png", "image/png"),
        (image("PNG"), "photo-sans-extension", "image/png"),
    ],
    ids=["pdf", "jpeg", "png", "png-sans-extension"],
)
def test_bons_fichiers_acceptes(cast, inscription, pfmp, stockage_documents, contenu, nom, mime):
    piece = _deposer(inscription, pfmp, televerse(contenu, nom, "application/octet-stream"), cast)
    assert piece.type_contenu == mime
    assert piece.taille == len(contenu)
    stockes = fichiers_stockes(stockage_documents)
    assert len(stockes) == 1 and stockes[0].read_bytes() == contenu
    # The path names neither the young person nor the uploaded file.
    assert "DURAND" not in piece.chemin and nom not in piece.chemin
    assert piece.chemin.startswith(str(inscription.uuid))


def test_depot_par_l_ecran_message_francais_et_rien_d_ecrit(cast, client_de, inscription, pfmp, stockage_documents):
    client = client_de(cast.referent_a)
    url = reverse("documents:parcours", kwargs={"uuid": inscription.uuid})
    reponse = client.post(url, {"type": "convention", "pfmp": str(pfmp.uuid), "fichier": televerse(ELF, "a.pdf")})
    assert reponse.status_code == 400
    assert "programme exécutable (ELF)" in reponse.content.decode()
    assert PieceSignee.objects.count() == 0 and fichiers_stockes(stockage_documents) == []

    reponse = client.post(url, {"type": "convention", "fichier": televerse(pdf_valide(), "a.pdf")})
    assert "Choisissez la période en entreprise de ce document." in reponse.content.decode()
    assert PieceSignee.objects.count() == 0

    reponse = client.post(
        url, {"type": "convention", "pfmp": str(pfmp.uuid), "fichier": televerse(pdf_valide(), "a.pdf")}
    )
    assert reponse.status_code == 302
    piece = PieceSignee.objects.get()
    assert (piece.pfmp, piece.jeune, piece.depose_par) == (pfmp, inscription.jeune, cast.referent_a)
    assert len(fichiers_stockes(stockage_documents)) == 1


def test_echec_d_ecriture_de_la_ligne_le_fichier_ne_reste_pas(
    cast, inscription, pfmp, stockage_documents, monkeypatch
):
    """If the row cannot be written after the file was stored, the file is removed: nothing half-written."""

    def echoue(self, *a, **k):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(PieceSignee, "save", echoue)
    with pytest.raises(RuntimeError):
        _deposer(inscription, pfmp, televerse(pdf_valide(), "scan.pdf"), cast)
    assert fichiers_stockes(stockage_documents) == []
