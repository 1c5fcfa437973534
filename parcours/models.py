"""Enrolment and parcours (steps 5 to 8)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avenirpro.models import Campagne, Etablissement, Utilisateur
from eleves.models import Jeune

# Fields of an enrolment that the visibility facts of its young person sum up (ADR 0019).
CHAMPS_DE_VISIBILITE = frozenset(
    {"jeune", "jeune_id", "referent", "referent_id", "conseiller", "conseiller_id", "statut"}
)


class InscriptionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """A bulk update of a field the visibility facts read keeps those facts (no model signal is sent)."""
        if CHAMPS_DE_VISIBILITE.isdisjoint(kwargs):
            return super().update(**kwargs)
        from parcours import visibilite

        avant = set(self.values_list("jeune_id", flat=True))
        n = super().update(**kwargs)
        if "jeune" in kwargs or "jeune_id" in kwargs:
            avant |= {getattr(kwargs.get("jeune"), "pk", kwargs.get("jeune")) or kwargs.get("jeune_id")}
        visibilite.rafraichir(avant)
        return n

    def update_sans_changer_les_faits(self, **kwargs):
        """A bulk update its caller knows changes no visibility fact (the sweep's «en cours» → «à clôturer»: the
        parcours stays open, same référent and counsellor), without the cost of recomputing them."""
        return super().update(**kwargs)

    def visibles_par(self, user):
        from eleves.models import q_jeunes_visibles

        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))

    def pour_liste(self):
        return self.select_related("jeune", "campagne", "etablissement", "referent", "conseiller")

    def pour_detail(self):
        return self.select_related("jeune", "campagne", "etablissement", "referent", "conseiller").prefetch_related(
            "pfmps", "actions"
        )


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
    jeton_ics = models.UUIDField("jeton du calendrier", null=True, blank=True, unique=True, editable=False)

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
            # R6: the status «sortie» goes with an exit date, and an exit date with that status.
            models.CheckConstraint(
                name="statut_sortie_si_date_de_sortie",
                condition=(
                    Q(statut="sortie", date_sortie__isnull=False) | (~Q(statut="sortie") & Q(date_sortie__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="sortie_apres_entree",
                condition=Q(date_sortie__isnull=True) | Q(date_sortie__gte=models.F("date_entree")),
            ),
        ]

    def __str__(self):
        return f"{self.jeune} – {self.get_mef_display()} ({self.campagne})"

    @property
    def date_limite(self):
        """R3: the last day of the parcours (shown everywhere the parcours is)."""
        from parcours.regles import date_limite

        return date_limite(self)

    @property
    def code_mef(self) -> str:
        """The MEF code SIECLE expects: the campaign's setting (ADR 0022), empty while it is not set."""
        if self.mef == self.Mef.NIVEAU3:
            return self.campagne.code_mef_niveau3
        return self.campagne.code_mef_niveau4

    @property
    def libelle_mef(self):
        if self.mef == self.Mef.NIVEAU3:
            return self.campagne.libelle_mef_niveau3
        return self.campagne.libelle_mef_niveau4

    def _change_depuis_la_base(self, champ: str) -> bool:
        """True when `champ` differs from the stored row (or the parcours is new): a designation."""
        if not self.pk:
            return True
        stocke = type(self).objects.filter(pk=self.pk).values_list(champ, flat=True).first()
        return stocke != getattr(self, champ)

    def clean(self):
        from parcours.regles import date_limite

        erreurs = {}
        # The I-Milo file number is stored as digits only (avenirpro.validators.normaliser_numero_imilo).
        from avenirpro.validators import normaliser_numero_imilo

        try:
            self.numero_imilo = normaliser_numero_imilo(self.numero_imilo)
        except ValidationError as exc:
            erreurs["numero_imilo"] = exc.messages
        if self.campagne_id and self.date_entree:
            if self.date_entree < self.campagne.date_entree_min:
                erreurs["date_entree"] = (
                    f"La date d'entrée ne peut précéder le {self.campagne.date_entree_min:%d/%m/%Y} "
                    "(première date d'entrée de la campagne)."
                )
            elif self.date_entree > self.campagne.derniere_date_entree:
                erreurs["date_entree"] = (
                    f"La date d'entrée ne peut suivre le {self.campagne.derniere_date_entree:%d/%m/%Y} "
                    "(dernière date d'entrée de la campagne) (R3)."
                )
            elif self.date_entree > date_limite(self.campagne, self.date_entree):
                erreurs["date_entree"] = (
                    "La date d'entrée tombe après la fin des quatre mois comptés depuis la rentrée."
                )
        if self.jeune_id and self.campagne_id and self.date_entree:
            entree = premier_entretien_entree(self.jeune_id, self.campagne_id)
            if entree is not None and self.date_entree < entree:
                erreurs["date_entree"] = (
                    f"La date d'entrée ne peut précéder l'entretien individuel d'entrée du {entree:%d/%m/%Y}."
                )
        # R5: a référent is designated before the parcours is «en cours»…
        if self.statut == self.Statut.EN_COURS and not self.referent_id:
            erreurs["referent"] = "Désignez un référent de parcours avant de passer le parcours « en cours »."
        # … and is a volunteer teacher of the lycée when designated. Checked at designation only: a référent whose
        # assignment has ended since does not block the later writes (the exit, an edit of another field).
        if self.referent_id and self.etablissement_id and self._change_depuis_la_base("referent_id"):
            if (
                not Utilisateur.objects.referents_volontaires_de(self.etablissement_id)
                .filter(pk=self.referent_id)
                .exists()
            ):
                erreurs["referent"] = "Le référent doit être un professeur volontaire du lycée."
        if self.conseiller_id and self.etablissement_id and self._change_depuis_la_base("conseiller_id"):
            if (
                not Utilisateur.objects.conseillers_couvrant(self.etablissement_id)
                .filter(pk=self.conseiller_id)
                .exists()
            ):
                erreurs["conseiller"] = "Le conseiller doit appartenir à une mission locale qui couvre le lycée."
        # R6: the exit needs a date and both answers (the database refuses it too).
        renseignes = [bool(self.date_sortie), bool(self.motif_sortie), bool(self.situation_sortie)]
        if any(renseignes) and not all(renseignes):
            if not self.date_sortie:
                erreurs["date_sortie"] = "Indiquez la date de sortie."
            if not self.motif_sortie:
                erreurs["motif_sortie"] = "Indiquez le motif de sortie."
            if not self.situation_sortie:
                erreurs["situation_sortie"] = "Indiquez la situation à la sortie."
        if self.date_sortie and self.date_entree and self.date_sortie < self.date_entree:
            erreurs["date_sortie"] = "La date de sortie ne peut précéder la date d'entrée."
        if erreurs:
            raise ValidationError(erreurs)


def premier_entretien_entree(jeune_id, campagne_id):
    """Day (Paris) of the young person's first held entry interview in the campaign, or None: the enrolment
    follows it."""
    from entretiens.models import Entretien

    date = (
        Entretien.objects.filter(
            jeune_id=jeune_id, campagne_id=campagne_id, type=Entretien.Type.ENTREE, statut=Entretien.Statut.REALISE
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return timezone.localtime(date).date() if date else None


def valider_dans_parcours(inscription, debut, fin, libelle="La période"):
    """R3: nothing of a parcours before the entry or after its limit."""
    erreurs = {}
    if inscription is None or debut is None or fin is None:
        return erreurs
    limite = inscription.date_limite
    if fin < debut:
        erreurs["date_fin"] = "La fin ne peut précéder le début."
    if debut < inscription.date_entree:
        erreurs["date_debut"] = f"{libelle} ne peut commencer avant l'entrée ({inscription.date_entree:%d/%m/%Y})."
    if fin > limite:
        erreurs["date_fin"] = (
            f"{libelle} ne peut finir après la fin du parcours ({limite:%d/%m/%Y}, quatre mois au plus)."
        )
    return erreurs


class TypeAction(models.TextChoices):
    """Kinds of action of a parcours (step 6 of the scheme)."""

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


class OffreActionQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """The offer of the user's lycées and of the lycées of the same network or bassin, and of the PSAD structures
        of those bassins (`avenirpro.acces.q_partage_en_reseau`)."""
        from avenirpro.acces import q_partage_en_reseau

        q = q_partage_en_reseau(user, avec_structures=True)
        if q is None:
            return self.none()
        return self.filter(q).select_related("etablissement", "structure")


CLAUSE_SOCIALE = "clause_sociale"
# The offer has one more kind than a parcours' actions: places in a company under a «clause sociale de formation».
# Taken by a young person, such a place is recorded in the parcours as a PFMP (a period in a company: R4's cap).
TYPES_OFFRE = [*TypeAction.choices, (CLAUSE_SOCIALE, "Clause sociale de formation (places en entreprise)")]


class OffreAction(models.Model):
    """An action of the local offer («cartographie des solutions locales»), shared within the lycée's network."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField("type d'action", max_length=20, choices=TYPES_OFFRE)
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
    capacite = models.PositiveIntegerField("capacité (nombre de places)", null=True, blank=True)
    contact = models.CharField("contact", max_length=200, blank=True)
    entreprise = models.CharField(
        "entreprise",
        max_length=200,
        blank=True,
        help_text="Pour une clause sociale de formation : l'entreprise qui accueille.",
    )

    objects = OffreActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action de l'offre locale"
        verbose_name_plural = "offre locale"
        ordering = ["intitule"]

    def __str__(self):
        return self.intitule

    def clean(self):
        if self.type == CLAUSE_SOCIALE:
            erreurs = {}
            if not self.entreprise.strip():
                erreurs["entreprise"] = "Indiquez l'entreprise qui accueille au titre de la clause sociale."
            if not self.capacite:
                erreurs["capacite"] = "Indiquez le nombre de places offertes par l'entreprise."
            if erreurs:
                raise ValidationError(erreurs)


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

    def clean(self):
        erreurs = valider_dans_parcours(getattr(self, "inscription", None), self.date_debut, self.date_fin, "L'action")
        if erreurs:
            raise ValidationError(erreurs)


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

    def clean(self):
        if self.heure_debut and self.heure_fin and self.heure_fin <= self.heure_debut:
            raise ValidationError({"heure_fin": "L'heure de fin doit suivre l'heure de début."})

    def dates(self):
        """Every date of the slot between the action's dates (which never pass the parcours' limit, R3)."""
        import datetime

        jour = self.action.date_debut + datetime.timedelta(days=(self.jour - self.action.date_debut.weekday()) % 7)
        while jour <= self.action.date_fin:
            yield jour
            jour += datetime.timedelta(days=7)


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
        indexes = [
            # The «PFMP cap exceeded» flag of the personal screens' rows (`tableaux.selections.annoter`): the few
            # flagged periods by parcours, rather than a scan of every PFMP of the country for each page.
            models.Index(fields=["inscription"], condition=Q(depassement_signale=True), name="pfmp_signalees_idx"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} – {self.entreprise}"

    def clean(self):
        from avenirpro.validators import siret_valide

        erreurs = valider_dans_parcours(getattr(self, "inscription", None), self.date_debut, self.date_fin, "La PFMP")
        if self.siret and not siret_valide(self.siret):
            erreurs["siret"] = "SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle (Luhn)."
        inscription = getattr(self, "inscription", None)
        if inscription is not None and self.convention_signee_le and inscription.jeune.est_mineur:
            if "responsable" not in (self.signataires or "").lower():
                erreurs["signataires"] = (
                    "Le jeune est mineur : la convention est aussi signée par son responsable légal "
                    "(mentionnez « responsable légal »)."
                )
        # More checks registered by the apps above (R18: «convention signée» only with its signed copy, documents).
        from parcours.extensions import CONTROLES_PFMP

        for controle in CONTROLES_PFMP:
            erreurs.update(controle(self))
        if erreurs:
            raise ValidationError(erreurs)


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
        indexes = [
            # The unexcused absences of a parcours' week, counted on every row of the référent's and the
            # counsellor's screens: read from this index alone (about one row in twenty-five), not from the ten
            # half-days of the week each.
            models.Index(
                fields=["inscription", "date"],
                condition=models.Q(statut="absent_non_justifie"),
                name="presence_absences_idx",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_periode_display()} – {self.get_statut_display()}"


class ComptePresences(models.Model):
    """The attendance counts of one parcours, kept by the database (ADR 0028): PostgreSQL triggers on the attendance
    table (migration 0008) add and subtract every row inserted, changed or deleted, by any path (a form, a grid, a
    bulk write, a cascade, a raw statement), in the writing transaction. The chef's figures and the pilotage table
    read these few rows per lycée instead of every half-day of its parcours (3,000,000 rows for the country).

    No row for a parcours without attendance (a row that falls to zero is removed). No constraint on the parcours:
    its deletion cascades to its half-days, whose trigger removes the row. On SQLite (the demo), no trigger: the
    figures count the attendance rows themselves (`tableaux.statistiques`)."""

    inscription = models.OneToOneField(
        Inscription,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="compte_presences",
    )
    demi_journees = models.IntegerField(default=0)
    presentes = models.IntegerField(default=0)  # present or late (R8)
    absences_non_justifiees = models.IntegerField(default=0)

    class Meta:
        verbose_name = "compte de présences"

    def __str__(self):
        return f"{self.inscription_id} : {self.presentes}/{self.demi_journees} présentes"


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
        indexes = [
            # The last point of each parcours, read for every row of the personal screens and the worklist
            # (tableaux/lignes.py): the first entry of the parcours in this order, with its next date, read from the
            # index alone rather than by sorting the parcours' points (a third of that statement's time).
            models.Index(fields=["inscription", "-date", "-id"], include=["prochaine_date"], name="point_dernier_idx"),
        ]

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


class EvenementQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Shared like the local offer: the user's lycées and the lycées of the same network or bassin."""
        from avenirpro.acces import q_partage_en_reseau

        q = q_partage_en_reseau(user)
        if q is None:
            return self.none()
        return self.filter(q).select_related("etablissement")


class Evenement(models.Model):
    """A local event (salon, forum, job dating…) published like the local offer: seen by the lycées of the
    publishing lycée's network or bassin; each team registers the young people it follows."""

    class Type(models.TextChoices):
        SALON = "salon", "Salon"
        FORUM = "forum", "Forum"
        JOB_DATING = "job_dating", "Job dating"
        VISITE = "visite", "Visite d'entreprise"
        AUTRE = "autre", "Autre manifestation"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField("type", max_length=20, choices=Type.choices)
    intitule = models.CharField("intitulé", max_length=200)
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=200)
    description = models.TextField("description", blank=True)
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.CASCADE, related_name="evenements", verbose_name="lycée qui le publie"
    )
    jeunes = models.ManyToManyField(Jeune, through="ParticipationEvenement", related_name="evenements", blank=True)

    objects = EvenementQuerySet.as_manager()

    class Meta:
        verbose_name = "événement local"
        verbose_name_plural = "calendrier des événements"
        ordering = ["debut", "intitule"]

    def __str__(self):
        return self.intitule

    def clean(self):
        if self.debut and self.fin and self.fin < self.debut:
            raise ValidationError({"fin": "La fin ne peut précéder le début."})


class ParticipationEvenement(models.Model):
    """A young person registered for an event by someone who follows them."""

    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="participations")
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="participations_evenements")
    inscrit_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    inscrit_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "participation à un événement"
        constraints = [models.UniqueConstraint(fields=["evenement", "jeune"], name="participation_evenement_unique")]

    def __str__(self):
        return f"{self.jeune} → {self.evenement}"
