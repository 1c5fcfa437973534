"""Checks of an uploaded signed copy, by CONTENT (never by its name or the browser's content type): PDF, JPEG or
PNG only, under `DOCUMENTS_TAILLE_MAX`, readable, and for a PDF no JavaScript nor automatic action. Every refusal is
a `ValidationError` in French, raised before anything is written."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

FORMATS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
# What `filetype` says of the usual impostors, in words a user understands.
NATURES = {
    "application/x-executable": "un programme exécutable (ELF)",
    "application/x-msdownload": "un programme exécutable Windows",
    "application/x-mach-binary": "un programme exécutable macOS",
    "application/zip": "une archive ZIP",
    "application/x-rar-compressed": "une archive RAR",
    "application/x-7z-compressed": "une archive 7-Zip",
    "application/x-sh": "un script",
}
# Names of PDF objects that run code or act on their own when the file is opened (ISO 32000: JavaScript actions,
# additional actions on pages, fields and the document).
CLES_INTERDITES = {"/JS", "/JavaScript", "/AA"}
MOTIF_BRUT = re.compile(rb"/(?:JS|JavaScript|AA)(?![A-Za-z0-9])")
TETE = 8192


@dataclass(frozen=True)
class FichierVerifie:
    contenu: bytes
    type_contenu: str
    empreinte: str

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[self.type_contenu]


def _mo(octets: int) -> str:
    return f"{octets / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "") + " Mo"


def verifier_fichier(fichier) -> FichierVerifie:
    """Read and check an uploaded file; returns its bytes and recognised format, or raises ValidationError."""
    limite = settings.DOCUMENTS_TAILLE_MAX
    taille = getattr(fichier, "size", None)
    if taille is not None and taille > limite:
        raise ValidationError(
            f"Le fichier pèse {_mo(taille)} : la taille maximale est de {_mo(limite)}. Numérisez le document en "
            "résolution plus faible (200 ppp suffisent) ou en noir et blanc.",
            code="trop_lourd",
        )
    fichier.seek(0)
    contenu = fichier.read(limite + 1)
    if len(contenu) > limite:
        raise ValidationError(f"Le fichier dépasse la taille maximale de {_mo(limite)}.", code="trop_lourd")
    if not contenu:
        raise ValidationError("Le fichier est vide.", code="vide")
    genre = filetype.guess(contenu[:TETE])
    mime = genre.mime if genre else ""
    if mime not in FORMATS:
        nature = NATURES.get(mime) or (f"un fichier {genre.extension.upper()}" if genre else "d'un type non reconnu")
        raise ValidationError(
            f"Ce fichier n'est ni un PDF, ni une image JPEG ou PNG : son contenu est {nature}, quel que soit son "
            "nom. Déposez la numérisation du document signé (PDF, JPEG ou PNG).",
            code="format",
        )
    if mime == "application/pdf":
        _verifier_pdf(contenu)
    else:
        _verifier_image(contenu, FORMATS[mime])
    return FichierVerifie(contenu=contenu, type_contenu=mime, empreinte=hashlib.sha256(contenu).hexdigest())


def _verifier_image(contenu: bytes, nom: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(contenu)) as image:
            image.verify()
    except Exception as exc:
        raise ValidationError(f"L'image {nom} est illisible ou endommagée.", code="illisible") from exc


def _verifier_pdf(contenu: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    refus = ValidationError(
        "Ce PDF contient du JavaScript ou des actions automatiques : il est refusé par sécurité. Numérisez le "
        "document papier signé, ou imprimez-le en PDF depuis votre visionneuse.",
        code="javascript",
    )
    # Plain (uncompressed) objects first: cheap, and it also sees objects that no page references.
    if MOTIF_BRUT.search(contenu):
        raise refus
    try:
        lecteur = PdfReader(io.BytesIO(contenu), strict=False)
        if lecteur.is_encrypted:
            raise ValidationError(
                "Ce PDF est protégé par un mot de passe : déposez une version sans protection.", code="chiffre"
            )
        if len(lecteur.pages) == 0:
            raise ValidationError("Ce PDF ne contient aucune page.", code="illisible")
        if _contient_du_code(lecteur):
            raise refus
    except ValidationError:
        raise
    except (PdfReadError, Exception) as exc:
        raise ValidationError("Ce PDF est illisible ou endommagé.", code="illisible") from exc


def _contient_du_code(lecteur) -> bool:
    """Walk every object reachable from the trailer (compressed object streams included): a JavaScript action
    (/JS, /JavaScript, an /OpenAction or any action whose /S is /JavaScript) or additional actions (/AA)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    vus: set[tuple[int, int]] = set()
    pile = [lecteur.trailer]
    while pile:
        objet = pile.pop()
        if isinstance(objet, IndirectObject):
            cle = (objet.idnum, objet.generation)
            if cle in vus:
                continue
            vus.add(cle)
            objet = objet.get_object()
        if isinstance(objet, DictionaryObject):
            for nom, valeur in dict.items(objet):
                if nom in CLES_INTERDITES:
                    return True
                if nom == "/S" and isinstance(valeur, NameObject) and valeur == "/JavaScript":
                    return True
                pile.append(valeur)
        elif isinstance(objet, ArrayObject):
            pile.extend(list.__iter__(objet))
    return False
