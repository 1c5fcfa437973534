"""Shared core: accounts, organisations, roles, campaigns, access log and the deferred-job queue."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from avenirpro.dates import ajouter_mois
from avenirpro.validators import valider_siret, valider_uai


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    # The people a rule names, each written once (issue 15). Active accounts holding an active role; `etablissement`
    # is a lycée or its id. Subqueries: they compose with other filters and cost one query when evaluated.

    def chefs_de(self, etablissement):
        """The direction of a lycée: its active «chef d'établissement» roles."""
        return self.filter(
            is_active=True, pk__in=Affectation.objects.actives().chefs(etablissement).values("utilisateur_id")
        )

    def referents_volontaires_de(self, etablissement):
        """R5: who may be designated référent: an active référent role in the lycée, with a date of volunteering."""
        return self.filter(
            is_active=True,
            pk__in=Affectation.objects.actives()
            .filter(role=Role.REFERENT, etablissement=etablissement, date_volontariat__isnull=False)
            .values("utilisateur_id"),
        )

    def conseillers_couvrant(self, etablissement):
        """Counsellors of the missions locales covering the lycée today."""
        return self.filter(
            is_active=True,
            pk__in=Affectation.objects.actives().conseillers_couvrant(etablissement).values("utilisateur_id"),
        )


class Utilisateur(AbstractUser):
    """A person who logs in. The login is the e-mail address; what they may do comes from their `Affectation`s."""

    username = None
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("adresse électronique", unique=True)
    notifications_en_resume = models.BooleanField("recevoir les notifications en résumé quotidien", default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UtilisateurManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    @cached_property
    def perimetre(self):
        """What this user may reach, computed once per request (see avenirpro.acces)."""
        return Perimetre.pour(self)


class Etablissement(models.Model):
    class Zone(models.TextChoices):
        A = "A", "Zone A"
        B = "B", "Zone B"
        C = "C", "Zone C"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uai = models.CharField("UAI", max_length=8, unique=True, validators=[valider_uai])
    nom = models.CharField("nom", max_length=200)
    commune = models.CharField("commune", max_length=100, blank=True)
    departement = models.CharField("département", max_length=3, db_index=True)
    academie = models.CharField("académie", max_length=60, db_index=True)
    bassin = models.CharField("bassin", max_length=100, blank=True, db_index=True)
    reseau = models.CharField(
        "réseau de lycées", max_length=100, blank=True, help_text="Les lycées d'un même réseau partagent leur offre."
    )
    zone_vacances = models.CharField("zone de vacances scolaires", max_length=1, choices=Zone.choices)
    email = models.EmailField("adresse électronique", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "établissement"
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.uai})"


class MissionLocale(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nom = models.CharField("nom", max_length=200)
    email = models.EmailField("adresse électronique générique")
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    adresse = models.TextField("adresse", blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[valider_siret])
    departement = models.CharField("département", max_length=3, blank=True)
    etablissements = models.ManyToManyField(
        Etablissement, through="Couverture", related_name="missions_locales", verbose_name="lycées couverts"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mission locale"
        verbose_name_plural = "missions locales"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class CouvertureQuerySet(models.QuerySet):
    def actives(self, jour: datetime.date | None = None):
        jour = jour or timezone.localdate()
        return self.filter(Q(date_debut__lte=jour), Q(date_fin__isnull=True) | Q(date_fin__gte=jour))


class Couverture(models.Model):
    """Which mission locale covers which lycée, and since when: a counsellor only reaches covered lycées."""

    mission_locale = models.ForeignKey(MissionLocale, on_delete=models.CASCADE, related_name="couvertures")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="couvertures")
    date_debut = models.DateField("début", default=datetime.date(2000, 1, 1))
    date_fin = models.DateField("fin", null=True, blank=True)

    history = HistoricalRecords()
    objects = CouvertureQuerySet.as_manager()

    class Meta:
        verbose_name = "couverture d'un lycée par une mission locale"
        constraints = [
            models.UniqueConstraint(
                fields=["mission_locale", "etablissement", "date_debut"], name="couverture_unique"
            ),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=models.F("date_debut")),
                name="couverture_dates_coherentes",
            ),
        ]

    def __str__(self):
        return f"{self.mission_locale} → {self.etablissement}"


class Structure(models.Model):
    """A partner of the PSAD (CIO, MLDS, FOQUALE, association, company, tiers-lieu, France Travail…)."""

    class Type(models.TextChoices):
        CIO = "cio", "CIO"
        MLDS = "mlds", "MLDS"
        FOQUALE = "foquale", "FOQUALE"
        ASSOCIATION = "association", "Association"
        ENTREPRISE = "entreprise", "Entreprise"
        TIERS_LIEU = "tiers_lieu", "Tiers-lieu"
        FRANCE_TRAVAIL = "france_travail", "France Travail"
        MISSION_LOCALE = "mission_locale", "Mission locale"
        LYCEE = "lycee", "Lycée"
        AUTRE = "autre", "Autre"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=Type.choices)
    commune = models.CharField("commune", max_length=100, blank=True)
    adresse = models.TextField("adresse", blank=True)
    bassin = models.CharField("bassin", max_length=100, blank=True)
    departement = models.CharField("département", max_length=3, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[valider_siret])
    contact_nom = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=20, blank=True)

    class Meta:
        verbose_name = "structure partenaire"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Role(models.TextChoices):
    CHEF = "chef", "Chef d'établissement"
    REFERENT = "referent", "Référent de parcours"
    PSY_EN = "psy_en", "Psychologue de l'Éducation nationale"
    MLDS = "mlds", "Coordonnateur MLDS"
    CONSEILLER_ML = "conseiller_ml", "Conseiller mission locale"
    PILOTAGE = "pilotage", "Pilotage"
    ADMIN = "admin", "Administrateur"


class AffectationQuerySet(models.QuerySet):
    def actives(self):
        jour = timezone.localdate()
        return self.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=jour), date_debut__lte=jour)

    def chefs(self, etablissement=None):
        """«Chef d'établissement» roles, of one lycée (instance or id) when given."""
        qs = self.filter(role=Role.CHEF)
        return qs if etablissement is None else qs.filter(etablissement=etablissement)

    def conseillers_couvrant(self, etablissement):
        """Counsellor roles in the missions locales covering the lycée today."""
        missions = Couverture.objects.actives().filter(etablissement=etablissement).values("mission_locale_id")
        return self.filter(role=Role.CONSEILLER_ML, mission_locale_id__in=missions)


class Affectation(models.Model):
    """One role of one person in one organisation. A person may hold several (two lycées, a cité scolaire…)."""

    class Fonction(models.TextChoices):
        PROVISEUR = "proviseur", "Proviseur(e)"
        ADJOINT = "adjoint", "Proviseur(e) adjoint(e)"
        DDFPT = "ddfpt", "DDFPT"
        CPE = "cpe", "CPE"

    class Niveau(models.TextChoices):
        BASSIN = "bassin", "Bassin"
        DEPARTEMENT = "departement", "Département"
        ACADEMIE = "academie", "Académie"
        NATIONAL = "national", "National"

    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="affectations")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    mission_locale = models.ForeignKey(
        MissionLocale, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    fonction = models.CharField("fonction", max_length=20, choices=Fonction.choices, blank=True)
    responsable = models.BooleanField(
        "responsable de la mission locale", default=False, help_text="Peut inviter les conseillers de sa structure."
    )
    date_volontariat = models.DateField(
        "date de volontariat", null=True, blank=True, help_text="Un référent de parcours est un professeur volontaire."
    )
    niveau = models.CharField("niveau de pilotage", max_length=20, choices=Niveau.choices, blank=True)
    perimetre = models.CharField("périmètre de pilotage", max_length=100, blank=True)
    date_debut = models.DateField("début", default=datetime.date(2000, 1, 1))
    date_fin = models.DateField("fin", null=True, blank=True)

    history = HistoricalRecords()
    objects = AffectationQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation"
        constraints = [
            models.CheckConstraint(
                name="affectation_organisation_selon_role",
                condition=(
                    Q(
                        role__in=["chef", "referent", "psy_en", "mlds"],
                        etablissement__isnull=False,
                        mission_locale=None,
                    )
                    | Q(role="conseiller_ml", mission_locale__isnull=False, etablissement=None)
                    | Q(role="pilotage", etablissement=None, mission_locale=None) & ~Q(niveau="")
                    | Q(role="admin", etablissement=None, mission_locale=None)
                ),
            ),
            models.CheckConstraint(
                name="referent_volontaire", condition=~Q(role="referent") | Q(date_volontariat__isnull=False)
            ),
        ]

    def __str__(self):
        org = self.etablissement or self.mission_locale or self.perimetre or ""
        return f"{self.get_role_display()} – {org}"


class Campagne(models.Model):
    """One exam session and the following rentrée. Every rule reads its parameters here, never from constants."""

    class ModeDuree(models.TextChoices):
        RENTREE = "rentree", "À compter de la rentrée"
        ENTREE = "entree", "À compter de la date d'entrée"

    class UnitePFMP(models.TextChoices):
        JOURS_OUVRES = "jours_ouvres", "Jours ouvrés (lundi–vendredi, hors jours fériés)"
        JOURS_CALENDAIRES = "jours_calendaires", "Jours calendaires"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nom = models.CharField("nom", max_length=100, unique=True)
    session = models.PositiveSmallIntegerField("session d'examen", unique=True)
    date_rentree = models.DateField("date de la rentrée")
    date_entree_min = models.DateField("première date d'entrée possible")
    date_entree_max = models.DateField(
        "dernière date d'entrée possible",
        null=True,
        blank=True,
        help_text="Vide : la rentrée plus la durée maximale, moins un jour (31/12 pour une rentrée au 01/09).",
    )
    mode_duree = models.CharField(
        "décompte des quatre mois", max_length=10, choices=ModeDuree.choices, default=ModeDuree.ENTREE
    )
    duree_mois = models.PositiveSmallIntegerField("durée maximale (mois)", default=4)
    unite_pfmp = models.CharField(
        "unité du plafond PFMP", max_length=20, choices=UnitePFMP.choices, default=UnitePFMP.JOURS_OUVRES
    )
    taux_gratification_niveau3 = models.DecimalField(
        "gratification PFMP par jour (issus de CAP)", max_digits=6, decimal_places=2, default=15
    )
    taux_gratification_niveau4 = models.DecimalField(
        "gratification PFMP par jour (issus de bac pro, BMA, DTMS)", max_digits=6, decimal_places=2, default=20
    )
    libelle_mef_niveau3 = models.CharField(max_length=100, default="APRO PLUS 3 – AVENIR PRO PLUS NIVEAU 3")
    libelle_mef_niveau4 = models.CharField(max_length=100, default="APRO PLUS 4 – AVENIR PRO PLUS NIVEAU 4")
    # The MEF codes SIECLE expects in the export (ADR 0022): not given by the texts, so set per campaign by the
    # administrator; empty = the export leaves the code empty (never an invented one).
    code_mef_niveau3 = models.CharField(
        "code MEF SIECLE (issus de CAP)",
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Z]{11}$", "Code MEF : 11 caractères, chiffres et lettres majuscules.")],
        help_text="Le code MEF à 11 caractères de la nomenclature (BCN). Vide : l'export SIECLE laisse le code vide.",
    )
    code_mef_niveau4 = models.CharField(
        "code MEF SIECLE (issus de bac pro, BMA, DTMS)",
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Z]{11}$", "Code MEF : 11 caractères, chiffres et lettres majuscules.")],
        help_text="Le code MEF à 11 caractères de la nomenclature (BCN). Vide : l'export SIECLE laisse le code vide.",
    )
    jours_sans_point_suivi = models.PositiveSmallIntegerField("alerte sans point de suivi (jours)", default=14)
    jours_sans_contact = models.PositiveSmallIntegerField("alerte jeunes non contactés (jours)", default=10)
    seuil_absences_semaine = models.PositiveSmallIntegerField("seuil d'absences dans la semaine", default=2)
    # Devenir (issue 19): the two follow-up points after the exit, and how long a one-time link stays valid.
    devenir_premier_point_mois = models.PositiveSmallIntegerField(
        "premier point de devenir (mois après la sortie)", default=3
    )
    devenir_second_point_mois = models.PositiveSmallIntegerField(
        "second point de devenir (mois après la sortie)", default=6
    )
    devenir_validite_lien_jours = models.PositiveSmallIntegerField(
        "validité du lien de réponse au devenir (jours)", default=30
    )

    class Meta:
        verbose_name = "campagne"
        ordering = ["-session"]

    def __str__(self):
        return self.nom

    @classmethod
    def courante(cls):
        return cls.objects.order_by("-session").first()

    @property
    def derniere_date_entree(self):
        """R3: the last entry date of the campaign. Unset, it is the last day of the months counted from the
        rentrée (rentrée 01/09, four months: 31/12), so that every parcours of a campaign starts in its school
        term."""
        if self.date_entree_max:
            return self.date_entree_max
        return ajouter_mois(self.date_rentree, self.duree_mois) - datetime.timedelta(days=1)


class JournalAcces(models.Model):
    """Reads of a full file and every export, for the data-protection officer."""

    class Action(models.TextChoices):
        LECTURE = "lecture", "Consultation du dossier"
        EXPORT = "export", "Export"
        PDF = "pdf", "Document PDF"
        EFFACEMENT = "effacement", "Effacement (droit à l'effacement)"
        ROLE = "role", "Attribution d'un rôle"

    date = models.DateTimeField(default=timezone.now, db_index=True)
    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    objet = models.CharField("objet", max_length=200)
    objet_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    nombre = models.PositiveIntegerField("nombre d'enregistrements", default=1)

    class Meta:
        verbose_name = "entrée du journal des accès"
        verbose_name_plural = "journal des accès"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.objet}"


class TacheEnAttente(models.Model):
    """A Celery task that could not be sent because the broker was unreachable; sent again later."""

    cree_le = models.DateTimeField(default=timezone.now)
    nom = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    tentatives = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tâche en attente d'envoi"
        ordering = ["cree_le"]

    def __str__(self):
        return self.nom


class Notification(models.Model):
    """An in-app notification (the bell), also sent by e-mail at once or in the daily digest.

    `cle` makes a notification idempotent: a job that runs twice the same day creates nothing twice.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    destinataire = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="notifications")
    cle = models.CharField(max_length=200)
    sujet = models.CharField("sujet", max_length=200)
    message = models.TextField("message", blank=True)
    lien = models.CharField("lien", max_length=300, blank=True)
    # The young person the notification is about (the page links to their record if the reader may see it).
    # SET_NULL: erasing a young person never deletes the notification.
    jeune = models.ForeignKey(
        "eleves.Jeune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="jeune"
    )
    cree_le = models.DateTimeField(default=timezone.now, db_index=True)
    lue_le = models.DateTimeField(null=True, blank=True)
    courriel_envoye_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-cree_le"]
        constraints = [models.UniqueConstraint(fields=["destinataire", "cle"], name="notification_unique_par_cle")]
        indexes = [models.Index(fields=["destinataire", "lue_le"])]

    def __str__(self):
        return self.sujet


class InvitationCompteQuerySet(models.QuerySet):
    def en_attente(self):
        return self.filter(utilisee_le__isnull=True, annulee_le__isnull=True, expire_le__gt=timezone.now())


class InvitationCompte(models.Model):
    """An invitation to join AvenirPro+ with one role: a single-use token sent by e-mail, valid a few days.

    Only the SHA-256 of the token is stored: a leak of the table does not let anyone accept an invitation.
    The role is created when the invitation is accepted (administration.invitations).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("adresse électronique")
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="lycée"
    )
    mission_locale = models.ForeignKey(
        MissionLocale, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="mission locale"
    )
    fonction = models.CharField("fonction", max_length=20, choices=Affectation.Fonction.choices, blank=True)
    responsable = models.BooleanField("responsable de la mission locale", default=False)
    date_volontariat = models.DateField("date de volontariat", null=True, blank=True)
    niveau = models.CharField("niveau de pilotage", max_length=20, choices=Affectation.Niveau.choices, blank=True)
    perimetre = models.CharField("périmètre de pilotage", max_length=100, blank=True)
    jeton_hash = models.CharField(max_length=64, unique=True, editable=False)
    cree_par = models.ForeignKey(Utilisateur, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField("envoyée le", default=timezone.now)
    expire_le = models.DateTimeField("expire le")
    utilisee_le = models.DateTimeField("acceptée le", null=True, blank=True)
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_acceptees"
    )

    objects = InvitationCompteQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation à créer un compte"
        ordering = ["-cree_le"]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()}"

    @property
    def organisation(self):
        return self.etablissement or self.mission_locale or self.perimetre

    @property
    def etat(self) -> str:
        if self.utilisee_le:
            return "Acceptée"
        if self.annulee_le:
            return "Annulée"
        if self.expire_le <= timezone.now():
            return "Expirée"
        return "En attente"


class ExportFichierQuerySet(models.QuerySet):
    def visibles_par(self, user):
        from avenirpro.acces import q_exports_visibles

        return self.filter(q_exports_visibles(user))

    def sans_contenu(self):
        """The record without its file (the progress page polls it every two seconds)."""
        return self.defer("contenu")

    def a_purger(self, maintenant: datetime.datetime | None = None):
        from django.conf import settings

        limite = (maintenant or timezone.now()) - datetime.timedelta(hours=settings.EXPORT_CONSERVATION_HEURES)
        return self.filter(cree_le__lt=limite)


class ExportFichier(models.Model):
    """A list's export too long to stream, prepared by a Celery worker (ADR 0008).

    The file is kept in the database (web and worker share nothing else) for EXPORT_CONSERVATION_HEURES, then the
    whole record is purged. Only its requester sees its page and downloads it; each download is journaled.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        ECHEC = "echec", "Échec"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proprietaire = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="exports", verbose_name="demandé par"
    )
    export = models.CharField("liste exportée", max_length=50, help_text="Clé de la définition de l'export.")
    libelle = models.CharField("libellé", max_length=200)
    format = models.CharField("format", max_length=4, choices=Format.choices)
    filtres = models.JSONField("filtres de la liste", default=dict, blank=True)
    arguments = models.JSONField("arguments de l'adresse de la liste", default=dict, blank=True)
    affectations = models.JSONField(
        "rôles du demandeur",
        default=list,
        blank=True,
        help_text="Rôles actifs du demandeur à la demande : tous doivent l'être encore au téléchargement.",
    )
    statut = models.CharField("état", max_length=10, choices=Statut.choices, default=Statut.EN_ATTENTE)
    progression = models.PositiveSmallIntegerField("progression (%)", default=0)
    nombre_lignes = models.PositiveIntegerField("nombre de lignes", null=True, blank=True)
    nom_fichier = models.CharField("nom du fichier", max_length=200)
    contenu = models.BinaryField("fichier", null=True, blank=True, editable=False)
    message = models.TextField("message", blank=True)
    cree_le = models.DateTimeField("demandé le", default=timezone.now, db_index=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ExportFichierQuerySet.as_manager()

    class Meta:
        verbose_name = "export en arrière-plan"
        verbose_name_plural = "exports en arrière-plan"
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(condition=Q(progression__lte=100), name="export_progression_en_pourcentage"),
            models.CheckConstraint(
                condition=~Q(statut="termine") | Q(contenu__isnull=False, progression=100),
                name="export_termine_avec_fichier",
            ),
        ]

    def __str__(self):
        return f"{self.libelle} ({self.get_format_display()})"

    # Beyond this, the page stops polling: each poll extends the login session, which an export that no worker takes
    # (Redis or the workers down) must not keep open forever. Longer than the task's time limit.
    DUREE_DE_SUIVI = datetime.timedelta(minutes=35)

    @property
    def en_cours(self) -> bool:
        return self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS)

    @property
    def suivi_en_direct(self) -> bool:
        """Whether its page keeps refreshing itself."""
        return self.en_cours and timezone.now() - self.cree_le < self.DUREE_DE_SUIVI

    @property
    def expire_le(self) -> datetime.datetime:
        from django.conf import settings

        return self.cree_le + datetime.timedelta(hours=settings.EXPORT_CONSERVATION_HEURES)

    # State changes: each one is a single UPDATE guarded by the current state, so that a task delivered twice (a
    # killed worker's message comes back) never writes over a finished file, and the file is never loaded.

    def _passer(self, depuis: tuple[str, ...], **valeurs) -> bool:
        fait = type(self).objects.filter(pk=self.pk, statut__in=depuis).update(**valeurs)
        if fait:
            for champ, valeur in valeurs.items():
                setattr(self, champ, valeur)
        return bool(fait)

    def commencer(self, nombre_lignes: int) -> bool:
        """Start (or restart, after a lost worker) the writing; False when the export is already over."""
        return self._passer(
            (self.Statut.EN_ATTENTE, self.Statut.EN_COURS),
            statut=self.Statut.EN_COURS,
            progression=0,
            nombre_lignes=nombre_lignes,
            message="",
        )

    def avancer(self, ecrites: int) -> None:
        total = self.nombre_lignes or 0
        # 100 % is for the finished file only: writing the last rows is not the end (XLSX still has to be zipped).
        progression = min(99, ecrites * 100 // total) if total else 99
        if progression != self.progression:
            self._passer((self.Statut.EN_COURS,), progression=progression)

    def terminer(self, contenu: bytes, nombre_lignes: int) -> bool:
        return self._passer(
            (self.Statut.EN_COURS,),
            statut=self.Statut.TERMINE,
            progression=100,
            contenu=contenu,
            nombre_lignes=nombre_lignes,
            termine_le=timezone.now(),
        )

    def echouer(self, message: str) -> bool:
        return self._passer(
            (self.Statut.EN_ATTENTE, self.Statut.EN_COURS),
            statut=self.Statut.ECHEC,
            message=message,
            termine_le=timezone.now(),
        )


class Ressource(models.Model):
    """A resource for the teams (reference text, éducol page, training, directories, sites), kept by the
    administrator. A resource with an académie is shown only to the staff of that académie's lycées (where the
    académie's own page differs from the national one)."""

    class Categorie(models.TextChoices):
        TEXTES = "textes", "Textes de référence"
        DOCUMENTS = "documents", "Documents et supports"
        FORMATION = "formation", "Se former"
        SITES = "sites", "Sites ressources"
        ANNUAIRES = "annuaires", "Annuaires"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    titre = models.CharField("titre", max_length=200)
    url = models.URLField(
        "adresse du lien", blank=True, help_text="Laisser vide si l'adresse n'est pas encore connue."
    )
    description = models.TextField("description", blank=True)
    categorie = models.CharField("catégorie", max_length=20, choices=Categorie.choices)
    academie = models.CharField("académie", max_length=60, blank=True, help_text="Vide : toutes les académies.")
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "ressource"
        ordering = ["categorie", "ordre", "titre"]

    def __str__(self):
        return self.titre


# --- The reach of a user (read by avenirpro.acces) ----------------------------------------------------------------


@dataclass(frozen=True)
class Perimetre:
    """The organisations a user reaches through their active roles, computed once per request."""

    user_id: int | None = None
    chef: frozenset[int] = frozenset()
    referent: frozenset[int] = frozenset()
    psy_mlds: frozenset[int] = frozenset()
    missions_locales: frozenset[int] = frozenset()
    missions_locales_responsable: frozenset[int] = frozenset()
    couverts: frozenset[int] = frozenset()
    pilotage: tuple[tuple[str, str], ...] = ()
    admin: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    # The visibility filters built for this perimeter, by prefix: lazy SQL (no data), reused by every list of the
    # request instead of being rebuilt for each query.
    filtres: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def pour(cls, user) -> "Perimetre":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls()
        chef, referent, psy, ml, ml_resp, pilotage, roles = set(), set(), set(), set(), set(), [], set()
        admin = False
        couverts = set()
        affectations = Affectation.objects.actives().filter(utilisateur=user)
        # On PostgreSQL, the lycées each role's mission locale covers come with the roles, in the same statement
        # (read on every page of a counsellor): one round trip instead of two.
        avec_couverts = connection.vendor == "postgresql"
        if avec_couverts:
            from django.contrib.postgres.expressions import ArraySubquery

            affectations = affectations.annotate(
                couverts=ArraySubquery(
                    Couverture.objects.actives()
                    .filter(mission_locale_id=models.OuterRef("mission_locale_id"))
                    .values("etablissement_id")
                )
            )
        for a in affectations:
            roles.add(a.role)
            if a.role == Role.CHEF:
                chef.add(a.etablissement_id)
            elif a.role == Role.REFERENT:
                referent.add(a.etablissement_id)
            elif a.role in (Role.PSY_EN, Role.MLDS):
                psy.add(a.etablissement_id)
            elif a.role == Role.CONSEILLER_ML:
                ml.add(a.mission_locale_id)
                if a.responsable:
                    ml_resp.add(a.mission_locale_id)
                if avec_couverts:
                    couverts.update(a.couverts)
            elif a.role == Role.PILOTAGE:
                pilotage.append((a.niveau, a.perimetre))
            elif a.role == Role.ADMIN:
                admin = True
        if ml and not avec_couverts:
            couverts = set(
                Couverture.objects.actives()
                .filter(mission_locale_id__in=ml)
                .values_list("etablissement_id", flat=True)
            )
        return cls(
            user_id=user.pk,
            chef=frozenset(chef),
            referent=frozenset(referent),
            psy_mlds=frozenset(psy),
            missions_locales=frozenset(ml),
            missions_locales_responsable=frozenset(ml_resp),
            couverts=frozenset(couverts),
            pilotage=tuple(pilotage),
            admin=admin,
            roles=frozenset(roles),
        )
