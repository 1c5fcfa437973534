"""Collective information meeting and individual interviews (steps 3 and 4)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avenirpro.models import Campagne, Etablissement, MissionLocale
from eleves.models import Jeune


class ReunionQuerySet(models.QuerySet):
    def visibles_par(self, user):
        from avenirpro.acces import q_reunions_visibles

        return self.filter(q_reunions_visibles(user))


class Reunion(models.Model):
    """«Réunion d'information collective» at the rentrée, organised by the lycée with the mission locale."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="reunions")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="reunions")
    mission_locale = models.ForeignKey(
        MissionLocale, on_delete=models.PROTECT, related_name="reunions", null=True, blank=True
    )
    debut = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200)
    capacite = models.PositiveIntegerField("capacité", null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = ReunionQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion d'information collective"
        verbose_name_plural = "réunions d'information collective"
        ordering = ["-debut"]

    def __str__(self):
        return f"Réunion du {timezone.localtime(self.debut):%d/%m/%Y à %H:%M} – {self.lieu}"


class Invitation(models.Model):
    class Presence(models.TextChoices):
        A_RENSEIGNER = "a_renseigner", "À renseigner"
        PRESENT = "present", "Présent"
        EXCUSE = "excuse", "Absent excusé"
        ABSENT = "absent", "Absent non excusé"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="invitations")
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="invitations")
    invite_le = models.DateTimeField(default=timezone.now)
    presence = models.CharField("présence", max_length=15, choices=Presence.choices, default=Presence.A_RENSEIGNER)

    class Meta:
        verbose_name = "invitation"
        constraints = [models.UniqueConstraint(fields=["reunion", "jeune"], name="invitation_unique")]

    def __str__(self):
        return f"{self.jeune} – {self.reunion}"


class EntretienQuerySet(models.QuerySet):
    def visibles_par(self, user):
        from avenirpro.acces import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))


class Entretien(models.Model):
    class Type(models.TextChoices):
        SITUATION = "situation", "Entretien de situation"
        ENTREE = "entree", "Entretien individuel d'entrée"
        APPROFONDI = "approfondi", "Entretien approfondi"
        SUIVI = "suivi", "Point de suivi"
        BILAN = "bilan", "Entretien de bilan"

    class Decision(models.TextChoices):
        ENTREE_CONFIRMEE = "entree_confirmee", "Entrée confirmée"
        AUTRE_SOLUTION = "autre_solution", "Autre solution"
        REINSCRIPTION = "reinscription", "Réinscription pour repréparer l'examen"
        REFUS = "refus", "Refus"
        SANS_SUITE = "sans_suite", "Sans suite"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="entretiens")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="entretiens")
    type = models.CharField("type d'entretien", max_length=15, choices=Type.choices)
    date = models.DateTimeField("date")
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="entretiens", blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, blank=True)
    # Sensitive sections: readable only where avenirpro.acces.peut_voir_sections_sensibles allows (ADR 0003).
    sante = models.TextField("santé", blank=True)
    famille = models.TextField("situation familiale", blank=True)
    justice = models.TextField("justice", blank=True)
    finances = models.TextField("ressources et finances", blank=True)

    history = HistoricalRecords(m2m_fields=[participants])
    objects = EntretienQuerySet.as_manager()

    class Meta:
        verbose_name = "entretien"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.get_type_display()} – {self.jeune}"
