"""Resources page: links and short descriptions kept by the administrator, national or per académie."""

from __future__ import annotations

from django.db.models import Q

from avenirpro.acces import perimetre
from avenirpro.models import Etablissement, Ressource

# What the memento (2025) and the 2023 sheet point to. Addresses only where the texts give them; the others stay
# empty until the administrator fills them in (never a guessed address).
RESSOURCES_DE_REFERENCE = [
    (
        "textes",
        1,
        "Arrêté du 28 novembre 2025 relatif au dispositif AvenirPro",
        "",
        "Le texte de référence du dispositif.",
    ),
    (
        "documents",
        1,
        "Page éduscol dédiée à AvenirPro+",
        "",
        "Avec notamment un support pour conduire le premier entretien d'information et suivre le parcours du jeune.",
    ),
    (
        "formation",
        1,
        "Parcours d'autoformation sur M@gistère",
        "",
        "Pour former et soutenir les équipes pédagogiques et éducatives du second degré qui construisent des parcours "
        "personnalisés pour les élèves les plus fragiles.",
    ),
    (
        "annuaires",
        1,
        "Coordonnées des missions locales (site de l'UNML)",
        "",
        "L'annuaire des missions locales tenu par l'Union nationale des missions locales.",
    ),
    (
        "sites",
        1,
        "Cartographie des solutions (agence régionale Oriane)",
        "",
        "En cours d'élaboration par l'agence régionale Oriane, avec la région académique et l'association régionale "
        "des missions locales.",
    ),
    (
        "sites",
        2,
        "Les ressources du site nouvelles chances",
        "https://www.nouvelles-chances.gouv.fr/",
        "Les dispositifs de retour en formation et d'accompagnement des jeunes sortis sans solution.",
    ),
    (
        "sites",
        3,
        "Les ressources du Plan régional insertion jeunesse (PRIJ)",
        "https://prij.fr/dispositifs",
        "Les dispositifs du plan régional d'insertion de la jeunesse.",
    ),
]


def creer_ressources_de_reference() -> int:
    """Idempotent (by title): the demo and a new installation start with the texts' resources."""
    n = 0
    for categorie, ordre, titre, url, description in RESSOURCES_DE_REFERENCE:
        _, cree = Ressource.objects.get_or_create(
            titre=titre,
            academie="",
            defaults={"categorie": categorie, "ordre": ordre, "url": url, "description": description},
        )
        n += cree
    return n


def ressources_pour(user) -> list[Ressource]:
    """National resources and those of the académies of the user's lycées (an administrator sees them all)."""
    p = perimetre(user)
    qs = Ressource.objects.all()
    if not p.admin:
        lycees = set(p.chef) | set(p.referent) | set(p.psy_mlds) | set(p.couverts)
        academies = Etablissement.objects.filter(pk__in=lycees).values("academie")
        qs = qs.filter(Q(academie="") | Q(academie__in=academies))
    return list(qs.order_by("categorie", "ordre", "titre"))
