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


class TypeAction(models.TextChoices):
    """Kinds of action of a parcours (DOMAIN.md §3.6)."""

    MOBILISATION = "mobilisation", "Mobilisation et bilan de compétences"
    TRE = "tre", "Atelier de techniques de recherche d'emploi (TRE)"
    CPS = "cps", "Compétences psychosociales"
    CONSOLIDATION = "consolidation", "Consolidation des acquis"
    POSITIONNEMENT = "positionnement", "Positionnement"
    ORIENTATION = "orientation", "Atelier d'orientation"
    MLDS = "mlds", "Dispositif MLDS de remobilisation ou de remédiation"
    REPREPARATION = "repreparation", "Repréparation d'épreuves en classe"
    COMPLEMENT = "complement", "Compléments de formation"
    FOQUALE = "foquale", "Solution FOQUALE"
    SERVICE_CIVIQUE = "service_civique", "Service civique alterné"
    ATELIER_ML = "atelier_ml", "Atelier de la mission locale"
    VISITE = "visite", "Visite d'entreprise"
    AIDES = "aides", "Aides (santé, logement, mobilité)"
    AUTRE = "autre", "Autre"


class TypeLieu(models.TextChoices):
    LYCEE = "lycee", "Lycée"
    PSAD = "psad", "Structure du PSAD"
    FOQUALE = "foquale", "FOQUALE"
    TIERS_LIEU = "tiers_lieu", "Tiers-lieu"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    ENTREPRISE = "entreprise", "Entreprise"


class OffreAction(models.Model):
    """An action of the local offer («cartographie des solutions locales»), shared within the lycée's network."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField("type d'action", max_length=20, choices=TypeAction.choices)
    intitule = models.CharField("intitulé", max_length=200)
    etablissement = models.ForeignKey(
        Etablissement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offres",
        verbose_name="lycée porteur",
    )
    structure = models.ForeignKey(
        "avenirpro.Structure", on_delete=models.SET_NULL, null=True, blank=True, related_name="offres"
    )
    type_lieu = models.CharField("type de lieu", max_length=20, choices=TypeLieu.choices, default=TypeLieu.LYCEE)
    lieu = models.CharField("lieu", max_length=200, blank=True)
    date_debut = models.DateField("début", null=True, blank=True)
    date_fin = models.DateField("fin", null=True, blank=True)
    heures_hebdo = models.DecimalField("heures par semaine", max_digits=4, decimal_places=1, null=True, blank=True)
    capacite = models.PositiveIntegerField("capacité", null=True, blank=True)
    contact = models.CharField("contact", max_length=200, blank=True)

    class Meta:
        verbose_name = "action de l'offre locale"
        verbose_name_plural = "offre locale"
        ordering = ["intitule"]

    def __str__(self):
        return self.intitule


class Action(models.Model):
    """An action of one young person's parcours, from the offer or ad hoc. Never after the parcours' limit (R3)."""

    class Statut(models.TextChoices):
        PREVUE = "prevue", "Prévue"
        EN_COURS = "en_cours", "En cours"
        REALISEE = "realisee", "Réalisée"
        ABANDONNEE = "abandonnee", "Abandonnée"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="actions")
    offre = models.ForeignKey(OffreAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    type = models.CharField("type d'action", max_length=20, choices=TypeAction.choices)
    intitule = models.CharField("intitulé", max_length=200)
    type_lieu = models.CharField("type de lieu", max_length=20, choices=TypeLieu.choices, default=TypeLieu.LYCEE)
    lieu = models.CharField("lieu", max_length=200, blank=True)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    heures_hebdo = models.DecimalField("heures par semaine", max_digits=4, decimal_places=1, null=True, blank=True)
    statut = models.CharField("statut", max_length=15, choices=Statut.choices, default=Statut.PREVUE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "action du parcours"
        ordering = ["date_debut"]
        constraints = [
            models.CheckConstraint(name="action_dates_ordonnees", condition=Q(date_fin__gte=models.F("date_debut")))
        ]

    def __str__(self):
        return self.intitule


class Creneau(models.Model):
    """A weekly recurring slot of the timetable («emploi du temps»), between the action's dates."""

    class Jour(models.IntegerChoices):
        LUNDI = 0, "Lundi"
        MARDI = 1, "Mardi"
        MERCREDI = 2, "Mercredi"
        JEUDI = 3, "Jeudi"
        VENDREDI = 4, "Vendredi"
        SAMEDI = 5, "Samedi"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="creneaux")
    jour = models.PositiveSmallIntegerField("jour", choices=Jour.choices)
    heure_debut = models.TimeField("début")
    heure_fin = models.TimeField("fin")

    class Meta:
        verbose_name = "créneau"
        ordering = ["jour", "heure_debut"]
        constraints = [
            models.CheckConstraint(name="creneau_heures_ordonnees", condition=Q(heure_fin__gt=models.F("heure_debut")))
        ]

    def __str__(self):
        return f"{self.get_jour_display()} {self.heure_debut:%H:%M}–{self.heure_fin:%H:%M}"


class PFMP(models.Model):
    """A period in a company (PFMP, stage, immersion). Total at most two thirds of the parcours (R4)."""

    class Type(models.TextChoices):
        PFMP = "pfmp", "PFMP"
        STAGE = "stage", "Stage"
        IMMERSION = "immersion", "Immersion en entreprise"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="pfmps")
    type = models.CharField("type", max_length=10, choices=Type.choices, default=Type.PFMP)
    entreprise = models.CharField("organisme d'accueil", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    adresse = models.TextField("adresse", blank=True)
    tuteur_nom = models.CharField("tuteur ou tutrice", max_length=200, blank=True)
    tuteur_telephone = models.CharField("téléphone du tuteur", max_length=20, blank=True)
    tuteur_email = models.EmailField("courriel du tuteur", blank=True)
    convention_signee_le = models.DateField("convention signée le", null=True, blank=True)
    signataires = models.TextField("signataires de la convention", blank=True)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    heures_hebdo = models.DecimalField("heures par semaine", max_digits=4, decimal_places=1, default=35)
    activites = models.TextField("activités confiées", blank=True)
    depassement_signale = models.BooleanField("dépassement du plafond signalé", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "PFMP"
        verbose_name_plural = "PFMP"
        ordering = ["date_debut"]
        constraints = [
            models.CheckConstraint(name="pfmp_dates_ordonnees", condition=Q(date_fin__gte=models.F("date_debut")))
        ]

    def __str__(self):
        return f"{self.get_type_display()} – {self.entreprise}"


class Presence(models.Model):
    """Attendance of one half-day («demi-journée»), at the lycée, the mission locale or in a PFMP (R7, R8)."""

    class Periode(models.TextChoices):
        MATIN = "matin", "Matin"
        APRES_MIDI = "apres_midi", "Après-midi"

    class Statut(models.TextChoices):
        PRESENT = "present", "Présent"
        ABSENT_JUSTIFIE = "absent_justifie", "Absent justifié"
        ABSENT_NON_JUSTIFIE = "absent_non_justifie", "Absent non justifié"
        RETARD = "retard", "Retard"

    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="presences")
    date = models.DateField("date")
    periode = models.CharField("demi-journée", max_length=10, choices=Periode.choices)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices)
    motif = models.CharField("motif", max_length=200, blank=True)
    pfmp = models.ForeignKey(PFMP, on_delete=models.SET_NULL, null=True, blank=True, related_name="presences")
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(fields=["inscription", "date", "periode"], name="presence_unique_par_demi_journee")
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_periode_display()} – {self.get_statut_display()}"


class PointSuivi(models.Model):
    """A regular follow-up point between the référent and the young person."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inscription = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="points_suivi")
    date = models.DateField("date")
    contenu = models.TextField("contenu")
    prochaine_date = models.DateField("prochain point", null=True, blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "point de suivi"
        verbose_name_plural = "points de suivi"
        ordering = ["-date"]

    def __str__(self):
        return f"Point du {self.date:%d/%m/%Y}"


class Bilan(models.Model):
    """The final bilan written by the référent and sent to the chef d'établissement."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inscription = models.OneToOneField(Inscription, on_delete=models.CASCADE, related_name="bilan")
    date_entretien = models.DateField("date de l'entretien de bilan", null=True, blank=True)
    observations = models.TextField("observations", blank=True)
    redige_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    envoye_le = models.DateTimeField("transmis au chef d'établissement le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bilan"

    def __str__(self):
        return f"Bilan – {self.inscription}"
