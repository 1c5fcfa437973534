"""Demo data of the documents: a signed copy of a PFMP convention (a blank one-page PDF stands for the scan)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_vierge() -> bytes:
    """A valid one-page PDF without JavaScript (pypdf), the stand-in for a scan in the demo and the tests."""
    from pypdf import PdfWriter

    ecrivain = PdfWriter()
    ecrivain.add_blank_page(width=595, height=842)
    tampon = io.BytesIO()
    ecrivain.write(tampon)
    return tampon.getvalue()


def deposer_copie_de_demonstration(pfmp, *, user=None, type="convention"):
    from documents.models import PieceSignee
    from documents.services import deposer_piece

    existante = PieceSignee.objects.filter(pfmp=pfmp, type=type).first()
    if existante:
        return existante
    fichier = SimpleUploadedFile("convention-signee.pdf", pdf_vierge(), content_type="application/pdf")
    return deposer_piece(inscription=pfmp.inscription, type=type, pfmp=pfmp, fichier=fichier, user=user)
