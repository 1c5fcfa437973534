"""Young people and their identification («repérage») per campaign."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avenirpro.models import Campagne, Etablissement
from avenirpro.validators import valider_ine


class Diplome(models.TextChoices):
    CAP = "cap", "CAP"
    BAC_PRO = "bac_pro", "Baccalauréat professionnel"
    BMA = "bma", "Brevet des métiers d'art"
    DTMS = "dtms", "Diplôme de technicien des métiers du spectacle"


class JeuneQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """The only way a view, export, PDF or e-mail reaches young people (avenirpro.acces decides)."""
        from avenirpro.acces import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user))


class Jeune(models.Model):
    """A young person: one record across campaigns (R10), identified by the INE."""

    class Sexe(models.TextChoices):
        M = "M", "Masculin"
        F = "F", "Féminin"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ine = models.CharField("INE", max_length=11, unique=True, validators=[valider_ine])
    nom = models.CharField("nom", max_length=100)
    prenoms = models.CharField("prénoms", max_length=150)
    date_naissance = models.DateField("date de naissance")
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices, blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    adresse = models.TextField("adresse", blank=True)
    responsable_nom = models.CharField("responsable légal", max_length=200, blank=True)
    responsable_telephone = models.CharField("téléphone du responsable légal", max_length=20, blank=True)
    responsable_email = models.EmailField("courriel du responsable légal", blank=True)
    boursier = models.BooleanField("boursier", default=False)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.PROTECT, related_name="jeunes", verbose_name="lycée"
    )
    cree_le = models.DateTimeField(default=timezone.now, editable=False)
    modifie_le = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = JeuneQuerySet.as_manager()

    class Meta:
        verbose_name = "jeune"
        ordering = ["nom", "prenoms"]
        indexes = [models.Index(fields=["etablissement", "nom"])]

    def __str__(self):
        return f"{self.nom} {self.prenoms}"

    @property
    def age(self):
        jour = timezone.localdate()
        d = self.date_naissance
        return jour.year - d.year - ((jour.month, jour.day) < (d.month, d.day))

    @property
    def est_mineur(self):
        return self.age < 18


class ReperageQuerySet(models.QuerySet):
    def visibles_par(self, user):
        from avenirpro.acces import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))


class Reperage(models.Model):
    """What is known of a young person at the end of an exam session: training of origin, result, situation."""

    class Resultat(models.TextChoices):
        ADMIS = "admis", "Admis"
        AJOURNE = "ajourne", "Ajourné"
        ABSENT = "absent", "Absent"

    class Parcoursup(models.TextChoices):
        ACCEPTEE = "acceptee", "Proposition acceptée"
        AUCUNE = "aucune", "Aucune proposition acceptée"
        NON_CANDIDAT = "non_candidat", "Non candidat"

    class Situation(models.TextChoices):
        EMPLOI = "emploi", "En emploi"
        APPRENTISSAGE = "apprentissage", "En apprentissage"
        FORMATION = "formation", "En formation"
        SANS_SOLUTION = "sans_solution", "Sans solution"
        INCONNUE = "inconnue", "Inconnue"

    class Typologie(models.TextChoices):
        ECHEC_REPREPARER = "echec_repreparer", "Échec — souhaite repréparer l'examen"
        ECHEC_ACCOMPAGNEMENT = (
            "echec_accompagnement",
            "Échec — souhaite un accompagnement vers l'emploi ou une autre formation",
        )
        DIPLOME_SANS_PARCOURSUP = "diplome_sans_parcoursup", "Diplômé — sans solution Parcoursup"
        DIPLOME_SANS_SOLUTION = "diplome_sans_solution", "Diplômé — sans solution connue"
        AVEC_SOLUTION = "avec_solution", "Solution connue (hors dispositif)"

    class StatutContact(models.TextChoices):
        A_CONTACTER = "a_contacter", "À contacter"
        CONTACTE = "contacte", "Contacté"
        INJOIGNABLE = "injoignable", "Injoignable"
        INTERESSE = "interesse", "Intéressé"
        NE_SOUHAITE_PAS = "ne_souhaite_pas", "Ne souhaite pas"
        SOLUTION_TROUVEE = "solution_trouvee", "Solution trouvée"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="reperages")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="reperages")
    diplome = models.CharField("diplôme préparé", max_length=10, choices=Diplome.choices)
    specialite = models.CharField("spécialité", max_length=200, blank=True)
    mef_origine = models.CharField("MEF d'origine", max_length=11, blank=True)
    division = models.CharField("division", max_length=30, blank=True)
    resultat = models.CharField("résultat", max_length=10, choices=Resultat.choices)
    parcoursup = models.CharField(
        "Parcoursup", max_length=15, choices=Parcoursup.choices, default=Parcoursup.NON_CANDIDAT
    )
    situation_rentree = models.CharField(
        "situation connue à la rentrée", max_length=15, choices=Situation.choices, default=Situation.INCONNUE
    )
    typologie = models.CharField("typologie", max_length=30, choices=Typologie.choices, blank=True)
    typologie_modifiee_motif = models.CharField("motif de la modification de typologie", max_length=300, blank=True)
    souhaite_repreparer = models.BooleanField("souhaite repréparer l'examen", default=False)
    statut_contact = models.CharField(
        "statut de contact", max_length=20, choices=StatutContact.choices, default=StatutContact.A_CONTACTER
    )
    importe_le = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = ReperageQuerySet.as_manager()

    class Meta:
        verbose_name = "repérage"
        constraints = [
            # R10: one identification, hence at most one enrolment, per young person per campaign.
            models.UniqueConstraint(fields=["jeune", "campagne"], name="reperage_unique_par_campagne"),
        ]

    def __str__(self):
        return f"{self.jeune} – {self.campagne}"


class UniteValidee(models.Model):
    """A unit of the diploma with a mark ≥ 10/20: kept five years."""

    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="unites_validees")
    intitule = models.CharField("unité / bloc de compétences", max_length=200)
    date_validation = models.DateField("date de validation")

    class Meta:
        verbose_name = "unité validée"
        ordering = ["date_validation"]

    def __str__(self):
        return f"{self.intitule} ({self.date_validation:%d/%m/%Y})"


class ContactQuerySet(models.QuerySet):
    def visibles_par(self, user):
        from avenirpro.acces import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))


class Contact(models.Model):
    """One attempt to reach a young person (step 2): date, channel, outcome."""

    class Canal(models.TextChoices):
        TELEPHONE = "telephone", "Téléphone"
        SMS = "sms", "SMS"
        COURRIEL = "courriel", "Courriel"
        COURRIER = "courrier", "Courrier"
        RENDEZ_VOUS = "rendez_vous", "Rendez-vous"

    class Issue(models.TextChoices):
        JOINT = "joint", "Joint"
        INJOIGNABLE = "injoignable", "Injoignable"
        SOLUTION_TROUVEE = "solution_trouvee", "Solution trouvée"
        INTERESSE = "interesse", "Intéressé"
        REFUS = "refus", "Refus"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="contacts")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="contacts")
    date = models.DateTimeField("date", default=timezone.now)
    canal = models.CharField("canal", max_length=15, choices=Canal.choices)
    issue = models.CharField("résultat", max_length=20, choices=Issue.choices)
    note = models.TextField("note", blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = "contact"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.get_canal_display()} – {self.get_issue_display()}"
