"""Collective information meeting and individual interviews (steps 3 and 4)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avenirpro.models import Campagne, Etablissement, MissionLocale
from eleves.models import TOLERANCE_HORLOGE, Jeune


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
    duree_minutes = models.PositiveIntegerField("durée (minutes)", default=120)
    intervenants = models.CharField("intervenant(e)s de la mission locale", max_length=300, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    mission_locale_invitee_le = models.DateTimeField(
        "invitation envoyée à la mission locale le", null=True, blank=True
    )
    rappel_envoye_le = models.DateTimeField("rappel envoyé à la mission locale le", null=True, blank=True)

    objects = ReunionQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion d'information collective"
        verbose_name_plural = "réunions d'information collective"
        ordering = ["-debut"]

    def __str__(self):
        return f"Réunion du {timezone.localtime(self.debut):%d/%m/%Y à %H:%M} – {self.lieu}"

    @property
    def fin(self):
        return self.debut + datetime.timedelta(minutes=self.duree_minutes)

    def clean(self):
        from django.core.exceptions import ValidationError

        # A meeting is created to be held: not in the past (an existing one keeps its date when edited later).
        if self._state.adding and self.debut and self.debut < timezone.now() - TOLERANCE_HORLOGE:
            raise ValidationError({"debut": "Une nouvelle réunion ne peut pas être fixée dans le passé."})
        if not self._state.adding and self.debut and self.debut < timezone.now() - TOLERANCE_HORLOGE:
            ancien = type(self).objects.filter(pk=self.pk).values_list("debut", flat=True).first()
            if ancien is not None and ancien != self.debut:
                raise ValidationError({"debut": "Une réunion ne peut pas être déplacée dans le passé."})

    @property
    def a_commence(self) -> bool:
        """Attendance is recorded from the meeting's day on (Europe/Paris)."""
        return timezone.localdate() >= timezone.localtime(self.debut).date()


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
    courriel_envoye_le = models.DateTimeField("invitation envoyée par courriel le", null=True, blank=True)
    rappel_envoye_le = models.DateTimeField("rappel envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["jeune__nom", "jeune__prenoms"]
        constraints = [models.UniqueConstraint(fields=["reunion", "jeune"], name="invitation_unique")]

    def __str__(self):
        return f"{self.jeune} – {self.reunion}"


class EntretienQuerySet(models.QuerySet):
    def visibles_par(self, user):
        from eleves.models import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))

    def avec_details(self):
        from avenirpro.models import Affectation

        personnes = get_user_model().objects.prefetch_related(
            models.Prefetch("affectations", queryset=Affectation.objects.actives(), to_attr="affectations_actives")
        )
        return self.select_related("jeune", "jeune__etablissement", "campagne", "auteur").prefetch_related(
            models.Prefetch("participants", queryset=personnes)
        )

    def du_jeune(self, user, jeune):
        """The interviews of one young person that `user` may read, newest first (for the young person's file)."""
        return self.visibles_par(user).filter(jeune=jeune).select_related("auteur").order_by("-date")

    def a_venir_pour(self, user, maintenant=None):
        """Planned interviews this user takes part in, or of the young people they follow (référent, counsellor)."""
        maintenant = maintenant or timezone.now()
        ids = (
            self.visibles_par(user)
            .filter(statut=Entretien.Statut.PLANIFIE, date__gte=maintenant)
            .filter(
                models.Q(participants=user)
                | models.Q(auteur=user)
                | models.Q(jeune__inscriptions__referent=user)
                | models.Q(jeune__inscriptions__conseiller=user)
            )
            .values("pk")
        )
        return (
            self.model.objects.filter(pk__in=ids)
            .select_related("jeune", "jeune__etablissement", "creneau")
            .order_by("date")
        )


class Frein(models.TextChoices):
    LOGEMENT = "logement", "Logement"
    MOBILITE = "mobilite", "Mobilité"
    PERMIS = "permis", "Permis de conduire"
    SANTE = "sante", "Santé"
    RESSOURCES = "ressources", "Ressources, difficultés financières"
    FAMILLE = "famille", "Contraintes familiales"
    GARDE_ENFANT = "garde_enfant", "Garde d'enfant"
    ADMINISTRATIF = "administratif", "Difficultés administratives"
    LANGUE = "langue", "Maîtrise de la langue française"
    NUMERIQUE = "numerique", "Numérique"


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

    class Statut(models.TextChoices):
        PLANIFIE = "planifie", "Planifié"
        REALISE = "realise", "Réalisé"

    class Projet(models.TextChoices):
        EMPLOI = "emploi", "Emploi"
        APPRENTISSAGE = "apprentissage", "Apprentissage"
        FORMATION = "formation", "Formation complémentaire"
        REPREPARATION = "repreparation", "Repréparation de l'examen"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="entretiens")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="entretiens")
    type = models.CharField("type d'entretien", max_length=15, choices=Type.choices)
    date = models.DateTimeField("date")
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="entretiens", blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    statut = models.CharField("statut", max_length=10, choices=Statut.choices, default=Statut.REALISE)
    lieu = models.CharField("lieu", max_length=200, blank=True)
    situation = models.TextField("situation actuelle", blank=True)
    projet = models.CharField("projet", max_length=15, choices=Projet.choices, blank=True)
    projet_detail = models.TextField("projet professionnel (précisions, métier visé)", blank=True)
    freins = models.JSONField("freins périphériques", default=list, blank=True)
    besoins = models.TextField("besoins identifiés", blank=True)
    aides = models.TextField("aides proposées", blank=True)
    france_travail_declare = models.BooleanField("se déclare inscrit(e) à France Travail", default=False)
    france_travail_verifie = models.BooleanField(
        "inscription à France Travail vérifiée par le conseiller", default=False
    )
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, blank=True)
    prochaine_etape = models.TextField("prochaine étape", blank=True)
    date_prochaine_etape = models.DateField("échéance de la prochaine étape", null=True, blank=True)
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

    SECTIONS_SENSIBLES = ("sante", "famille", "justice", "finances")

    def clean(self):
        from django.core.exceptions import ValidationError

        erreurs = {}
        inconnus = [f for f in self.freins or [] if f not in Frein.values]
        if not isinstance(self.freins, list) or inconnus:
            erreurs["freins"] = "Frein inconnu : " + ", ".join(map(str, inconnus or [self.freins]))
        if self.statut == self.Statut.PLANIFIE and self.decision:
            erreurs["decision"] = "Un entretien planifié n'a pas encore eu lieu : la décision se saisit après."
        if self.statut == self.Statut.REALISE and self.date and self.date > timezone.now() + TOLERANCE_HORLOGE:
            erreurs["date"] = (
                "Un entretien « réalisé » ne peut pas être daté dans le futur : "
                "choisissez le statut « planifié » ou corrigez la date."
            )
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def a_des_sections_sensibles(self) -> bool:
        return any(getattr(self, champ) for champ in self.SECTIONS_SENSIBLES)

    def get_freins_display(self) -> list[str]:
        libelles = dict(Frein.choices)
        return [libelles.get(f, f) for f in self.freins or []]


class CreneauQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Slots follow the meetings' rule: the lycée's direction and the covering mission locales."""
        from avenirpro.acces import q_reunions_visibles

        return self.filter(q_reunions_visibles(user))


class CreneauEntretien(models.Model):
    """An interview slot proposed by a chef or a counsellor; booking it for a young person plans an interview."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, related_name="creneaux_entretien", verbose_name="lycée"
    )
    debut = models.DateTimeField("début")
    duree_minutes = models.PositiveIntegerField("durée (minutes)", default=45)
    lieu = models.CharField("lieu", max_length=200)
    propose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="creneaux_proposes"
    )
    entretien = models.OneToOneField(
        Entretien, on_delete=models.SET_NULL, null=True, blank=True, related_name="creneau"
    )

    objects = CreneauQuerySet.as_manager()

    class Meta:
        verbose_name = "créneau d'entretien"
        verbose_name_plural = "créneaux d'entretien"
        ordering = ["debut"]
        constraints = [models.CheckConstraint(name="creneau_duree_positive", condition=models.Q(duree_minutes__gt=0))]

    def __str__(self):
        return f"Créneau du {timezone.localtime(self.debut):%d/%m/%Y à %H:%M} – {self.lieu}"

    @property
    def libre(self) -> bool:
        return self.entretien_id is None
