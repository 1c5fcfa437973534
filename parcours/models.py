"""Enrolment and parcours (steps 5 to 8)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from avenirpro.models import Campagne, Etablissement
from eleves.models import Jeune


class InscriptionQuerySet(models.QuerySet):
    def visibles_par(self, user):
        from avenirpro.acces import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))


class Inscription(models.Model):
    """Enrolment of a young person in AvenirPro+ for a campaign: the parcours."""

    class Mef(models.TextChoices):
        NIVEAU3 = "apro_plus_3", "APRO PLUS 3"
        NIVEAU4 = "apro_plus_4", "APRO PLUS 4"

    class Statut(models.TextChoices):
        EN_PREPARATION = "en_preparation", "En préparation"
        EN_COURS = "en_cours", "En cours"
        A_CLOTURER = "a_cloturer", "À clôturer"
        SORTIE = "sortie", "Sortie"

    class MotifSortie(models.TextChoices):
        FIN_PARCOURS = "fin_parcours", "Fin de parcours"
        SOLUTION_AVANT_TERME = "solution_avant_terme", "Solution trouvée avant terme"
        ABANDON = "abandon", "Abandon"
        DEMENAGEMENT = "demenagement", "Déménagement"
        EXCLUSION = "exclusion", "Exclusion"
        DUREE_MAXIMALE = "duree_maximale", "Durée maximale atteinte"
        AUTRE = "autre", "Autre"

    class SituationSortie(models.TextChoices):
        FORMATION = "formation", "Formation (dont apprentissage)"
        EMPLOI = "emploi", "Emploi (CDI, CDD, intérim, contrat aidé)"
        INSERTION = "insertion", "Parcours d'insertion (CEJ, France Travail)"
        FORMATION_INITIALE = "formation_initiale", "Retour en formation initiale / repréparation de l'examen"
        SERVICE_CIVIQUE = "service_civique", "Service civique"
        SANS_SOLUTION = "sans_solution", "Sans solution (relais au service public de l'emploi)"
        INCONNUE = "inconnue", "Inconnue"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeune = models.ForeignKey(Jeune, on_delete=models.PROTECT, related_name="inscriptions")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="inscriptions")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, related_name="inscriptions")
    mef = models.CharField("MEF", max_length=15, choices=Mef.choices, editable=False)
    date_entree = models.DateField("date d'entrée")
    date_fin_prevue = models.DateField("date de fin prévisionnelle", editable=False)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inscriptions_referent",
        verbose_name="référent de parcours",
    )
    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inscriptions_conseiller",
        verbose_name="conseiller mission locale",
    )
    numero_imilo = models.CharField("numéro de dossier I-Milo", max_length=30, blank=True)
    statut = models.CharField("statut", max_length=15, choices=Statut.choices, default=Statut.EN_PREPARATION)
    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    motif_sortie = models.CharField("motif de sortie", max_length=25, choices=MotifSortie.choices, blank=True)
    situation_sortie = models.CharField(
        "situation à la sortie", max_length=25, choices=SituationSortie.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    modifie_le = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription AvenirPro+"
        ordering = ["-date_entree"]
        constraints = [
            # R10: enrolled once per campaign.
            models.UniqueConstraint(fields=["jeune", "campagne"], name="inscription_unique_par_campagne"),
            # R6: an exit has a date and both answers, or none of them.
            models.CheckConstraint(
                name="sortie_complete_ou_absente",
                condition=(
                    Q(date_sortie__isnull=True, motif_sortie="", situation_sortie="")
                    | (Q(date_sortie__isnull=False) & ~Q(motif_sortie="") & ~Q(situation_sortie=""))
                ),
            ),
            models.CheckConstraint(
                name="sortie_apres_entree",
                condition=Q(date_sortie__isnull=True) | Q(date_sortie__gte=models.F("date_entree")),
            ),
        ]

    def __str__(self):
        return f"{self.jeune} – {self.get_mef_display()} ({self.campagne})"
