"""Young people and their identification («repérage») per campaign."""

import datetime
import functools
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avenirpro.models import Campagne, Etablissement
from avenirpro.validators import valider_ine


class Diplome(models.TextChoices):
    CAP = "cap", "CAP"
    BAC_PRO = "bac_pro", "Baccalauréat professionnel"
    BMA = "bma", "Brevet des métiers d'art"
    DTMS = "dtms", "Diplôme de technicien des métiers du spectacle"


# A few minutes of slack for «now»: the clock of the user's device is not the server's.
TOLERANCE_HORLOGE = datetime.timedelta(minutes=5)
# The name of an erased young person (RGPD erasure and retention: rgpd.retention).
NOM_ANONYME = "ANONYME"


def normaliser_recherche(*textes: str) -> str:
    """Lower case without accents: the search column, so that «Éloïse» is found by «eloise»."""
    texte = " ".join(t for t in textes if t)
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).lower()[:260]


def q_jeunes_visibles(user, prefix: str = "") -> models.Q:
    """Filter on Jeune (or on a model reaching it through `prefix`, e.g. "jeune__") for what `user` may read.

    - chef d'établissement: every young person of their lycées, all stages;
    - référent de parcours: the young people they are référent of;
    - conseiller mission locale: young people of covered lycées from the invitation to the meeting on,
      and any parcours they are the counsellor of;
    - psy-EN and coordonnateur MLDS: young people of the lycées they serve, from the interview on;
    - pilotage and administrateur: nobody (figures only, organisations only).

    The user's reach comes from the core (`avenirpro.acces.perimetre`); the stage of each young person is a fact on
    its own rows (`Jeune.a_invitation`, `a_entretien`, `a_parcours`, and `Accompagnant` for the référent and the
    counsellor of its parcours), kept by the apps that write those rows (ADR 0019).
    """
    from avenirpro.acces import perimetre

    p = perimetre(user)
    if prefix not in p.filtres:
        p.filtres[prefix] = _q_jeunes_visibles(p, prefix)
    return p.filtres[prefix]


def _q_jeunes_visibles(p, prefix: str) -> models.Q:
    # One uncorrelated `jeune IN (id set)`, the id set being a UNION of small indexed reads (the user's own
    # parcours, the young people of the covered / served lycées at the right stage), as before the fact: an OR of
    # conditions on a joined table would read it whole on the national bench. The chef's condition stays a plain
    # column filter (a whole lycée: no id set needed).
    q = models.Q(**{f"{prefix}pk__in": []})
    if p.chef:
        q |= models.Q(**{f"{prefix}etablissement_id__in": p.chef})
    ids = _ids_visibles(
        connection.vendor,
        p.user_id,
        bool(p.referent),
        bool(p.missions_locales),
        tuple(sorted(p.couverts)) if p.missions_locales else (),
        tuple(sorted(p.psy_mlds)),
    )
    if ids is not None:
        q |= models.Q(**{f"{prefix}pk__in": RawSQL(*ids)})
    return q


@functools.lru_cache(maxsize=4096)
def _ids_visibles(vendeur, user_id, referent, conseiller, couverts, psy_mlds) -> tuple[str, tuple] | None:
    """The statement of the visible young people's ids (beyond a chef's whole lycées) for a perimeter: built by the
    ORM and compiled once per process for these values, which are all it depends on (ids and flags, no data), and
    used as a subquery by every list of every request of that perimeter — the compilation of the UNION was a third
    of the ORM's work on the counsellor's screen. `vendeur`: the database it was compiled for. None: no id set."""
    ids = []
    if referent or conseiller:
        comme = models.Q(pk__in=[])
        if referent:
            comme |= models.Q(referent=True)
        if conseiller:
            comme |= models.Q(conseiller=True)
        ids.append(Accompagnant.objects.filter(comme, utilisateur_id=user_id).order_by().values("jeune_id"))
    if conseiller and couverts:
        etape = models.Q(a_invitation=True) | models.Q(a_entretien=True) | models.Q(a_parcours=True)
        ids.append(Jeune.objects.filter(etape, etablissement_id__in=couverts).order_by().values("pk"))
    if psy_mlds:
        ids.append(Jeune.objects.filter(a_entretien=True, etablissement_id__in=psy_mlds).order_by().values("pk"))
    if not ids:
        return None
    union = ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]
    sql, params = union.query.sql_with_params()
    return sql, tuple(params)


class JeuneQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """The only way a view, export, PDF or e-mail reaches young people (`q_jeunes_visibles`)."""
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
    echelon_bourse = models.PositiveSmallIntegerField(
        "échelon de bourse",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text="De 1 à 6 (bourse nationale de lycée), pour un boursier seulement.",
    )
    # Fields corrected by hand on the record (ADR 0017): a later import no longer overwrites them.
    champs_saisis_main = models.JSONField("champs corrigés à la main", default=list, blank=True, editable=False)
    # Indexed by the two indexes of `Meta.indexes` that begin with it, not by one of its own.
    etablissement = models.ForeignKey(
        Etablissement, on_delete=models.PROTECT, related_name="jeunes", verbose_name="lycée", db_index=False
    )
    recherche = models.CharField(max_length=260, blank=True, editable=False, db_index=True)
    cree_le = models.DateTimeField(default=timezone.now, editable=False)
    modifie_le = models.DateTimeField(auto_now=True)

    # The stage that makes the young person visible beyond the lycée's direction (ADR 0019): facts kept by
    # the apps that write the rows (entretiens: invitation, interview; parcours: enrolment), read by
    # `q_jeunes_visibles`. Never typed; `db_default` so that the import's raw inserts need not name them.
    a_invitation = models.BooleanField("invité à une réunion", default=False, db_default=False, editable=False)
    a_entretien = models.BooleanField("a eu un entretien", default=False, db_default=False, editable=False)
    a_parcours = models.BooleanField("a un parcours", default=False, db_default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["a_invitation", "a_entretien", "a_parcours"])
    objects = JeuneQuerySet.as_manager()

    class Meta:
        verbose_name = "jeune"
        ordering = ["nom", "prenoms"]
        indexes = [
            models.Index(fields=["etablissement", "nom"]),
            # The young people of a lycée by their ids alone, read from the index without the table: the chef's
            # figures join a lycée's young people to their repérages, invitations and interviews (three times per
            # request), and the counsellor's counts per lycée join those of its covered lycées.
            models.Index(fields=["etablissement", "id"], name="jeune_etablissement_ids_idx"),
            # The visibility rule's subqueries (`_ids_visibles`) read only these indexes, not the table: a
            # counsellor's screen computes the young people of its covered lycées three times per request.
            models.Index(
                fields=["etablissement", "id"],
                condition=models.Q(a_invitation=True) | models.Q(a_entretien=True) | models.Q(a_parcours=True),
                name="jeune_vu_par_conseiller_idx",
            ),
            models.Index(
                fields=["etablissement", "id"], condition=models.Q(a_entretien=True), name="jeune_vu_par_psy_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(echelon_bourse__isnull=True) | models.Q(boursier=True),
                name="jeune_echelon_si_boursier",
            ),
        ]

    def __str__(self):
        return f"{self.nom} {self.prenoms}"

    def save(self, *args, **kwargs):
        self.recherche = normaliser_recherche(self.nom, self.prenoms)
        if kwargs.get("update_fields") is not None and (
            "nom" in kwargs["update_fields"] or "prenoms" in kwargs["update_fields"]
        ):
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.echelon_bourse and not self.boursier:
            raise ValidationError({"echelon_bourse": "Un échelon de bourse ne s'indique que pour un boursier."})
        if self.date_naissance and self.date_naissance > timezone.localdate():
            raise ValidationError({"date_naissance": "La date de naissance ne peut pas être dans le futur."})

    @property
    def age(self):
        jour = timezone.localdate()
        d = self.date_naissance
        return jour.year - d.year - ((jour.month, jour.day) < (d.month, d.day))

    @property
    def est_mineur(self):
        return self.age < 18


class Accompagnant(models.Model):
    """A user who is the référent or the counsellor of a parcours of this young person (ADR 0019): kept by
    `parcours.visibilite` from the enrolments, read by the visibility rule. `referent` / `conseiller`: of at least
    one parcours (closed ones included); `ouvert`: of a parcours not closed (either role)."""

    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="accompagnants")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    referent = models.BooleanField(default=False)
    conseiller = models.BooleanField(default=False)
    ouvert = models.BooleanField(default=False)

    class Meta:
        verbose_name = "accompagnant"
        constraints = [models.UniqueConstraint(fields=["utilisateur", "jeune"], name="accompagnant_unique")]
        # The visibility rule reads a user's young people as référent or as counsellor from these alone.
        indexes = [
            models.Index(
                fields=["utilisateur", "jeune"], condition=models.Q(referent=True), name="accompagnant_referent_idx"
            ),
            models.Index(
                fields=["utilisateur", "jeune"],
                condition=models.Q(conseiller=True),
                name="accompagnant_conseiller_idx",
            ),
        ]

    def __str__(self):
        return f"{self.utilisateur_id} → {self.jeune_id}"


class Canal(models.TextChoices):
    """How a young person was reached (contacts, re-enrolment offer)."""

    TELEPHONE = "telephone", "Téléphone"
    SMS = "sms", "SMS"
    COURRIEL = "courriel", "Courriel"
    COURRIER = "courrier", "Courrier"
    RENDEZ_VOUS = "rendez_vous", "Rendez-vous"


class ReperageQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))

    def pour_liste(self):
        """The worklist and its exports: the young person and the lycée in the same query."""
        return self.select_related("jeune", "jeune__etablissement", "campagne")


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

    class ReponseReinscription(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        ACCEPTEE = "acceptee", "Acceptée"
        REFUSEE = "refusee", "Refusée par le jeune"
        NE_CONVIENT_PAS = "ne_convient_pas", "Ne convient pas"

    class MotifReinscription(models.TextChoices):
        SITUATION = "situation", "Ne répond pas à sa situation"
        PROJET = "projet", "Ne répond pas à son projet"

    # R9: the answers that leave AvenirPro+ open (the offer was made and declined or does not fit).
    REPONSES_OUVRANT_AVENIRPRO = ("refusee", "ne_convient_pas")

    class Relais(models.TextChoices):
        MISSION_LOCALE = "mission_locale", "Mission locale"
        FRANCE_TRAVAIL = "france_travail", "France Travail"

    statut_contact = models.CharField(
        "statut de contact", max_length=20, choices=StatutContact.choices, default=StatutContact.A_CONTACTER
    )
    typologie_forcee = models.BooleanField("typologie modifiée à la main", default=False)
    # R9: every failed candidate (ajourné or absent) is first offered a re-enrolment (redoublement / MOREA):
    # date, channel, answer and, when declined or not fitting, the reason.
    reinscription_proposee_le = models.DateField("réinscription proposée le", null=True, blank=True)
    reinscription_canal = models.CharField("proposition faite par", max_length=15, choices=Canal.choices, blank=True)
    reponse_reinscription = models.CharField(
        "réponse à la proposition de réinscription", max_length=16, choices=ReponseReinscription.choices, blank=True
    )
    reinscription_motif = models.CharField(
        "motif du refus ou de l'inadéquation", max_length=10, choices=MotifReinscription.choices, blank=True
    )
    reinscription_precisions = models.TextField("précisions sur la réponse", blank=True)
    # R1: the young person's confirmed wish, when it was not given at the individual interview: a written
    # commitment recorded by the chef, with how it was obtained.
    engagement_ecrit_le = models.DateField("engagement écrit recueilli le", null=True, blank=True)
    engagement_ecrit_motif = models.CharField("engagement écrit : précisions", max_length=300, blank=True)
    relais_estival = models.CharField("relais estival", max_length=20, choices=Relais.choices, blank=True)
    importe_le = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = ReperageQuerySet.as_manager()

    class Meta:
        verbose_name = "repérage"
        constraints = [
            # R10: one identification, hence at most one enrolment, per young person per campaign.
            models.UniqueConstraint(fields=["jeune", "campagne"], name="reperage_unique_par_campagne"),
            # R9: an answer is only recorded for a proposal that was made.
            models.CheckConstraint(
                condition=models.Q(reponse_reinscription="") | models.Q(reinscription_proposee_le__isnull=False),
                name="reperage_reponse_apres_proposition",
            ),
            models.CheckConstraint(
                condition=~models.Q(typologie_forcee=True) | ~models.Q(typologie_modifiee_motif=""),
                name="reperage_typologie_forcee_motivee",
            ),
        ]

    def __str__(self):
        return f"{self.jeune} – {self.campagne}"

    @property
    def est_echec(self) -> bool:
        """R9: a failed candidate: «ajourné», or «absent» (the diploma was not obtained either; ADR 0015)."""
        return self.resultat in (self.Resultat.AJOURNE, self.Resultat.ABSENT)

    @property
    def reinscription_a_proposer(self) -> bool:
        """R9: re-sitting comes first for every failed candidate; until the offer is recorded, AvenirPro+ waits."""
        return self.est_echec and self.typologie != self.Typologie.AVEC_SOLUTION and not self.reinscription_proposee_le


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

    @property
    def conservee_jusqu_au(self):
        """Marks ≥ 10/20 are kept five years from the session."""
        d = self.date_validation
        try:
            return d.replace(year=d.year + 5)
        except ValueError:  # 29 February
            return d.replace(year=d.year + 5, day=28)


class ContactQuerySet(models.QuerySet):
    def avec_auteur(self):
        return self.select_related("auteur")

    def visibles_par(self, user):
        return self.filter(q_jeunes_visibles(user, prefix="jeune__"))


class Contact(models.Model):
    """One attempt to reach a young person (step 2): date, channel, outcome."""

    Canal = Canal

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
    relais_estival = models.CharField(
        "relais estival",
        max_length=20,
        choices=Reperage.Relais.choices,
        blank=True,
        help_text="Pour un projet fragile : relais pendant l'été avec la mission locale ou France Travail.",
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = "contact"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.get_canal_display()} – {self.get_issue_display()}"

    def clean(self):
        # A contact is logged once it happened: a date in the future is a typing error (e.g. 01/01/2030).
        if self.date and self.date > timezone.now() + TOLERANCE_HORLOGE:
            raise ValidationError({"date": "La date du contact ne peut pas être dans le futur."})


class ImportEleves(models.Model):
    """One import of an exam cohort file: analysed (preview), then confirmed; progress is polled by the page."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente d'analyse"
        ANALYSE = "analyse", "Analyse en cours"
        PRET = "pret", "Aperçu prêt"
        ECRITURE = "ecriture", "Import en cours"
        TERMINE = "termine", "Importé"
        ECHEC = "echec", "Échec"
        ABANDONNE = "abandonne", "Abandonné"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="imports_eleves")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="imports_eleves")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    nom_fichier = models.CharField("fichier", max_length=255)
    contenu = models.BinaryField()
    statut = models.CharField("statut", max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    progression = models.PositiveSmallIntegerField("progression (%)", default=0)
    apercu = models.JSONField("aperçu", default=dict, blank=True)
    valides_seulement = models.BooleanField("n'importer que les lignes valides", default=False)
    # The column mapping this import is read with ({field: header of the file}); empty = the known aliases only.
    correspondance = models.JSONField("correspondance des colonnes", default=dict, blank=True)
    message = models.TextField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    termine_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import d'élèves"
        ordering = ["-cree_le"]

    def __str__(self):
        return f"Import {self.nom_fichier} ({self.cree_le:%d/%m/%Y})"

    @property
    def en_cours(self) -> bool:
        return self.statut in (self.Statut.EN_ATTENTE, self.Statut.ANALYSE, self.Statut.ECRITURE)


class CorrespondanceColonnes(models.Model):
    """A column mapping chosen once by a lycée ({field: header of the file}), reused for the next file with the
    same headers (`signature`: their normalised list, hashed). ADR 0022."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="correspondances_colonnes")
    signature = models.CharField("signature des en-têtes", max_length=64)
    entetes = models.JSONField("en-têtes du fichier", default=list)
    correspondance = models.JSONField("correspondance", default=dict)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "correspondance de colonnes"
        verbose_name_plural = "correspondances de colonnes"
        constraints = [
            models.UniqueConstraint(fields=["etablissement", "signature"], name="correspondance_unique_par_lycee")
        ]

    def __str__(self):
        return f"Correspondance des colonnes ({self.etablissement_id}, {self.signature[:8]})"
