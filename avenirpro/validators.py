"""Identifiers the product validates (docs/regles.md)."""

import re

from django.core.exceptions import ValidationError

UAI_LETTRES = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI_RE = re.compile(r"^\d{7}[A-Z]$")
_INE_RE = re.compile(r"^[0-9A-Z]{11}$")


def lettre_cle_uai(chiffres: str) -> str:
    return UAI_LETTRES[int(chiffres) % 23]


def uai_valide(valeur: str) -> bool:
    valeur = (valeur or "").strip().upper()
    return bool(_UAI_RE.match(valeur)) and lettre_cle_uai(valeur[:7]) == valeur[7]


def valider_uai(valeur: str) -> None:
    if not uai_valide(valeur):
        raise ValidationError("UAI invalide : 7 chiffres suivis de la lettre clé (ex. 0750654D).", code="uai_invalide")


def ine_valide(valeur: str) -> bool:
    return bool(_INE_RE.match(valeur or ""))


def valider_ine(valeur: str) -> None:
    if not ine_valide(valeur):
        raise ValidationError("INE invalide : 11 caractères, chiffres et lettres majuscules.", code="ine_invalide")


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(chiffres)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


SIREN_LA_POSTE = "356000000"


def siret_valide(valeur: str) -> bool:
    """14 digits with the Luhn key. The establishments of La Poste (SIREN 356000000) have their own rule: the sum of
    the 14 digits is a multiple of 5 (their head office, 356 000 000 00048, keeps the Luhn key: both are accepted)."""
    valeur = (valeur or "").replace(" ", "")
    if len(valeur) != 14 or not valeur.isdigit():
        return False
    if luhn_valide(valeur):
        return True
    return valeur.startswith(SIREN_LA_POSTE) and sum(int(c) for c in valeur) % 5 == 0


def valider_siret(valeur: str) -> None:
    if not siret_valide(valeur):
        raise ValidationError("SIRET invalide : 14 chiffres avec une clé de contrôle correcte.", code="siret_invalide")


# I-Milo: the mission locale's file number. The texts give no format: digits only, separators typed by people
# (spaces, dots, dashes, slashes) removed, no length invented.
_SEPARATEURS_IMILO = " \t.-/"


def normaliser_numero_imilo(valeur: str) -> str:
    """The I-Milo file number as digits only; refuses anything but digits and separators."""
    brut = (valeur or "").strip()
    chiffres = "".join(c for c in brut if c not in _SEPARATEURS_IMILO)
    if chiffres and not chiffres.isdigit():
        raise ValidationError(
            "Numéro de dossier I-Milo invalide : il ne contient que des chiffres (espaces et tirets ignorés).",
            code="imilo_invalide",
        )
    return chiffres
