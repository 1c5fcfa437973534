"""Changes of a record, read from django-simple-history, in words people understand (who, when, what changed).

`changements(objet)` works for any model instance with `history = HistoricalRecords()`; the template
`components/_historique.html` shows them (`{% load historique %}{% historique objet %}`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone

TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
MASQUES = {"password", "last_login", "jeton_hash"}


@dataclass
class Difference:
    champ: str
    avant: str
    apres: str


@dataclass
class Changement:
    date: object
    auteur: str
    type: str
    differences: list[Difference] = field(default_factory=list)


def _valeur(modele, nom: str, valeur) -> str:
    if valeur is None or valeur == "":
        return "—"
    try:
        f = modele._meta.get_field(nom)
    except FieldDoesNotExist:
        return str(valeur)
    if f.choices:
        return str(dict(f.flatchoices).get(valeur, valeur))
    if isinstance(f, models.BooleanField):
        return "oui" if valeur else "non"
    if isinstance(f, models.ForeignKey):
        cible = f.related_model._default_manager.filter(pk=valeur).first()
        return str(cible) if cible is not None else f"(supprimé n°{valeur})"
    if isinstance(f, models.DateTimeField):
        return formats.date_format(timezone.localtime(valeur), "d/m/Y H:i")
    if isinstance(f, models.DateField):
        return formats.date_format(valeur, "d/m/Y")
    return str(valeur)


def _automatique(modele, nom: str) -> bool:
    try:
        f = modele._meta.get_field(nom)
    except FieldDoesNotExist:
        return False
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def _libelle(modele, nom: str) -> str:
    try:
        return str(modele._meta.get_field(nom).verbose_name)
    except FieldDoesNotExist:
        return nom


def changements(objet, limite: int = 50) -> list[Changement]:
    """Newest first. Each change lists the fields that moved, with French labels and displayed values."""
    historique = getattr(objet, "history", None)
    if historique is None:
        return []
    modele = type(objet)
    versions = list(historique.select_related("history_user").order_by("-history_date", "-history_id")[: limite + 1])
    sortie = []
    for i, version in enumerate(versions[:limite]):
        precedente = versions[i + 1] if i + 1 < len(versions) else None
        c = Changement(
            date=version.history_date,
            auteur=str(version.history_user) if version.history_user else "Système",
            type=TYPES.get(version.history_type, version.history_type),
        )
        if precedente is not None and version.history_type == "~":
            delta = version.diff_against(precedente)
            for ch in delta.changes:
                if ch.field in MASQUES or _automatique(modele, ch.field):
                    continue
                c.differences.append(
                    Difference(
                        champ=_libelle(modele, ch.field),
                        avant=_valeur(modele, ch.field, ch.old),
                        apres=_valeur(modele, ch.field, ch.new),
                    )
                )
            if not c.differences:
                continue
        sortie.append(c)
    return sortie
