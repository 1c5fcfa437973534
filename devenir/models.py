"""What becomes of the young people after the exit (issue 19), and their own links.

- `Consentement`: what the young person agreed to at the exit (a contact at 3 and 6 months on their e-mail, the
  hand-over sheet to the public employment service). Recorded by the exit form, changeable later by the team.
- `PointDevenir`: one per parcours and milestone (3 and 6 months after the exit, campaign settings), created by the
  daily sweep; the young person's answer (or the team's entry) fills it.
- `LienJeune`: a personal link without an account. Only the SHA-256 of a random token is stored; the link is
  revocable, it expires, and the one sent for a milestone is used once (ADR 0024).
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.models import Inscription


class Situation(models.TextChoices):
    FORMATION = "formation", "En formation"
    APPRENTISSAGE = "apprentissage", "En apprentissage"
    EMPLOI = "emploi", "En emploi"
    INSERTION = "insertion", "En parcours d'insertion (CEJ, France Travail…)"
    SANS_SOLUTION = "sans_solution", "Sans solution"
    AUTRE = "autre", "Autre situation"


class Consentement(models.Model):
    inscription = models.OneToOneField(Inscription, on_delete=models.CASCADE, related_name="consentement_devenir")
    courriel = models.EmailField("adresse électronique donnée par le jeune à la sortie", blank=True)
    accord_devenir = models.BooleanField(
        "le jeune accepte d'être recontacté à 3 et 6 mois (lien de réponse par courriel)", default=False
    )
    accord_liaison = models.BooleanField(
        "le jeune accepte la transmission de la fiche de liaison au service public de l'emploi", default=False
    )
    recueilli_le = models.DateTimeField(default=timezone.now)
    recueilli_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = "consentement à la sortie"

    def __str__(self):
        return f"Accord de sortie – {self.inscription.jeune}"


class PointDevenir(models.Model):
    class Source(models.TextChoices):
        JEUNE = "jeune", "Réponse du jeune (lien personnel)"
        EQUIPE = "equipe", "Saisie par l'équipe"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="points_devenir")
    jalon_mois = models.PositiveSmallIntegerField("mois après la sortie")
    date_prevue = models.DateField("date du point")
    cree_le = models.DateTimeField(default=timezone.now)
    courriel_envoye_le = models.DateTimeField("lien envoyé au jeune le", null=True, blank=True)
    situation = models.CharField("situation actuelle", max_length=15, choices=Situation.choices, blank=True)
    situation_depuis = models.DateField("depuis le", null=True, blank=True)
    recontact = models.BooleanField("accepte d'être recontacté", null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, blank=True)
    repondu_le = models.DateTimeField(null=True, blank=True)
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = "point de devenir"
        verbose_name_plural = "points de devenir"
        ordering = ["jalon_mois"]
        constraints = [
            # Idempotent sweep: one point per parcours and milestone.
            models.UniqueConstraint(fields=["inscription", "jalon_mois"], name="devenir_un_point_par_jalon"),
            models.CheckConstraint(
                name="devenir_reponse_complete_ou_absente",
                condition=Q(repondu_le__isnull=True, situation="") | (Q(repondu_le__isnull=False) & ~Q(situation="")),
            ),
        ]

    def __str__(self):
        return f"Point de devenir à {self.jalon_mois} mois – {self.inscription.jeune}"


def empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


class LienJeune(models.Model):
    class Usage(models.TextChoices):
        DEVENIR = "devenir", "Réponse au point de devenir (usage unique)"
        ESPACE = "espace", "Espace personnel du jeune"

    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="liens_jeune")
    usage = models.CharField(max_length=10, choices=Usage.choices)
    point = models.OneToOneField(PointDevenir, on_delete=models.CASCADE, null=True, blank=True, related_name="lien")
    empreinte = models.CharField(max_length=64, unique=True, editable=False)
    cree_le = models.DateTimeField(default=timezone.now)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    expire_le = models.DateTimeField(null=True, blank=True)  # a milestone link; the personal page is computed
    utilise_le = models.DateTimeField(null=True, blank=True)
    revoque_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lien personnel du jeune"
        constraints = [
            models.CheckConstraint(
                name="devenir_lien_point_si_devenir",
                condition=Q(usage="devenir", point__isnull=False) | Q(usage="espace", point__isnull=True),
            ),
            # One live personal page per parcours: a new one revokes the old one.
            models.UniqueConstraint(
                fields=["inscription"],
                condition=Q(usage="espace", revoque_le__isnull=True),
                name="devenir_un_espace_actif_par_parcours",
            ),
        ]

    def __str__(self):
        return f"{self.get_usage_display()} – {self.inscription.jeune}"

    @classmethod
    def nouveau_jeton(cls) -> tuple[str, str]:
        """(token given to the young person, its fingerprint stored)."""
        jeton = secrets.token_urlsafe(32)
        return jeton, empreinte(jeton)
