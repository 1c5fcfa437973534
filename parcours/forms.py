"""Forms of the parcours (DSFR, French messages next to the fields)."""

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from parcours.models import (
    PFMP,
    Action,
    Bilan,
    Creneau,
    Evenement,
    Inscription,
    OffreAction,
    PointSuivi,
    Presence,
    TypeAction,
)

FORMAT_DATE = ["%d/%m/%Y", "%Y-%m-%d"]


class ChampDate(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", FORMAT_DATE)
        kwargs.setdefault("error_messages", {"invalid": "Date invalide : jj/mm/aaaa."})
        super().__init__(*args, **kwargs)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InscriptionForm(DsfrBaseForm, forms.ModelForm):
    """Enrolment and edit of a parcours. MEF and planned end are computed (R2, R3), never typed."""

    boursier = forms.BooleanField(label="Boursier", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Inscription
        fields = ["date_entree", "referent", "conseiller", "numero_imilo", "statut"]
        widgets = {"date_entree": _date_widget()}

    def __init__(self, *args, etablissement_id, peut_designer=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_entree"].input_formats = FORMAT_DATE
        # R5 at designation: the référent (or counsellor) already designated stays selectable after their
        # assignment ends, so that the other fields can still be saved.
        from avenirpro.models import Utilisateur

        referents = Q(pk__in=Utilisateur.objects.referents_volontaires_de(etablissement_id).values("pk"))
        conseillers = Q(pk__in=Utilisateur.objects.conseillers_couvrant(etablissement_id).values("pk"))
        if self.instance.referent_id:
            referents |= Q(pk=self.instance.referent_id)
        if self.instance.conseiller_id:
            conseillers |= Q(pk=self.instance.conseiller_id)
        self.fields["referent"].queryset = Utilisateur.objects.filter(referents)
        self.fields["conseiller"].queryset = Utilisateur.objects.filter(conseillers)
        # The status is not a free field (ADR 0012): the current one, and from «en préparation» the transition to
        # «en cours». The exit, the reopening and «à clôturer» have their own paths.
        actuel = self.instance.statut or Inscription.Statut.EN_PREPARATION
        permis = {actuel}
        if actuel == Inscription.Statut.EN_PREPARATION:
            permis.add(Inscription.Statut.EN_COURS)
        self.fields["statut"].choices = [c for c in Inscription.Statut.choices if c[0] in permis]
        if not peut_designer:
            self.fields["referent"].disabled = True
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["boursier"].initial = self.instance.jeune.boursier

    def _post_clean(self):
        # The model is validated by the service (with its lock and computed fields), not here.
        pass


class SortieForm(DsfrBaseForm, forms.Form):
    """R6: a date and two separate answers, all required."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    date_sortie = ChampDate(label="Date de sortie", error_messages={"required": "Indiquez la date de sortie."})
    motif_sortie = forms.ChoiceField(
        label="Motif de sortie",
        choices=[("", "—")] + Inscription.MotifSortie.choices,
        error_messages={"required": "Indiquez le motif de sortie (pourquoi le parcours se termine)."},
    )
    situation_sortie = forms.ChoiceField(
        label="Situation à la sortie",
        choices=[("", "—")] + Inscription.SituationSortie.choices,
        error_messages={"required": "Indiquez la situation à la sortie (où va le jeune)."},
    )
    # The apps above add their fields after these (`formulaire_sortie`; devenir: the young person's consent, R14).


def formulaire_sortie(data=None, *, inscription, **initial) -> SortieForm:
    """The exit form of `inscription` with the fields the apps above add to it (`parcours.extensions.CHAMPS_SORTIE`,
    after the exit's own fields, in the order they were registered), each with its initial values; their cleaned
    data reach `parcours.extensions.APRES_SORTIE`."""
    from parcours.extensions import CHAMPS_SORTIE

    classe = type("SortieForm", (*reversed(CHAMPS_SORTIE), SortieForm), {}) if CHAMPS_SORTIE else SortieForm
    valeurs = {"version": inscription.version}
    for champs in CHAMPS_SORTIE:
        valeurs.update(champs.initial_sortie(inscription))
    valeurs.update(initial)
    return classe(data, initial=valeurs)


class ReouvertureForm(DsfrBaseForm, forms.Form):
    """ADR 0012: the chef reopens a closed parcours, with a reason kept in the history."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    motif = forms.CharField(
        label="Motif de la réouverture",
        max_length=80,
        help_text=(
            "Par exemple : sortie saisie par erreur. La sortie enregistrée est effacée et reste dans l'historique."
        ),
        error_messages={"required": "Indiquez pourquoi le parcours est rouvert."},
    )


class BilanForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Bilan
        fields = ["date_entretien", "observations"]
        widgets = {"date_entretien": _date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_entretien"].input_formats = FORMAT_DATE


class ActionForm(DsfrBaseForm, forms.ModelForm):
    offre = forms.ModelChoiceField(label="Depuis l'offre locale", queryset=OffreAction.objects.none(), required=False)

    class Meta:
        model = Action
        fields = ["offre", "type", "intitule", "type_lieu", "lieu", "date_debut", "date_fin", "heures_hebdo", "statut"]
        widgets = {"date_debut": _date_widget(), "date_fin": _date_widget()}

    def __init__(self, *args, offres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offres is not None:
            self.fields["offre"].queryset = offres
        for nom in ("date_debut", "date_fin"):
            self.fields[nom].input_formats = FORMAT_DATE
        for nom in ("type", "intitule"):
            self.fields[nom].required = False

    def clean(self):
        donnees = super().clean()
        offre = donnees.get("offre")
        if offre:
            for champ in ("type", "intitule", "type_lieu", "lieu", "heures_hebdo"):
                if not donnees.get(champ):
                    donnees[champ] = getattr(offre, champ)
            for champ in ("date_debut", "date_fin"):
                if not donnees.get(champ) and getattr(offre, champ):
                    donnees[champ] = getattr(offre, champ)
                    self.errors.pop(champ, None)
        if not donnees.get("type"):
            self.add_error("type", "Choisissez le type d'action (ou une action de l'offre).")
        if not donnees.get("intitule"):
            self.add_error("intitule", "Indiquez l'intitulé (ou choisissez une action de l'offre).")
        return donnees

    def _post_clean(self):
        # Copy the cleaned data to the instance; the service validates it with the parcours locked.
        opts = self._meta
        try:
            self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as e:
            self._update_errors(e)


class CreneauForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Creneau
        fields = ["jour", "heure_debut", "heure_fin"]
        widgets = {
            "heure_debut": forms.TimeInput(attrs={"type": "time"}),
            "heure_fin": forms.TimeInput(attrs={"type": "time"}),
        }


class CreneauParcoursForm(DsfrBaseForm, forms.Form):
    """A slot added from the «Emploi du temps» tab: the action of the parcours it belongs to, the day, the hours."""

    action = forms.ModelChoiceField(label="Action", queryset=Action.objects.none(), empty_label=None)
    jour = forms.TypedChoiceField(label="Jour", choices=Creneau.Jour.choices, coerce=int)
    heure_debut = forms.TimeField(label="Début", widget=forms.TimeInput(attrs={"type": "time"}))
    heure_fin = forms.TimeField(label="Fin", widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.filter(pk__in=[a.pk for a in actions])
        self.fields["action"].choices = [
            (a.pk, f"{a.intitule} (du {a.date_debut:%d/%m/%Y} au {a.date_fin:%d/%m/%Y})") for a in actions
        ]

    def clean(self):
        d = super().clean()
        if d.get("heure_debut") and d.get("heure_fin") and d["heure_fin"] <= d["heure_debut"]:
            self.add_error("heure_fin", "L'heure de fin doit suivre l'heure de début.")
        return d


class DeplacerCreneauForm(DsfrBaseForm, forms.ModelForm):
    """Move a slot: another day or other hours."""

    class Meta:
        model = Creneau
        fields = ["jour", "heure_debut", "heure_fin"]
        widgets = {
            "heure_debut": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "heure_fin": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class PFMPForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = PFMP
        fields = [
            "type",
            "entreprise",
            "siret",
            "adresse",
            "tuteur_nom",
            "tuteur_telephone",
            "tuteur_email",
            "convention_signee_le",
            "signataires",
            "date_debut",
            "date_fin",
            "heures_hebdo",
            "activites",
        ]
        widgets = {
            "date_debut": _date_widget(),
            "date_fin": _date_widget(),
            "convention_signee_le": _date_widget(),
            "adresse": forms.Textarea(attrs={"rows": 2}),
            "signataires": forms.Textarea(attrs={"rows": 2}),
            "activites": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("date_debut", "date_fin", "convention_signee_le"):
            self.fields[nom].input_formats = FORMAT_DATE

    def clean_siret(self):
        return (self.cleaned_data.get("siret") or "").replace(" ", "")

    def _post_clean(self):
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)


class PointSuiviForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = PointSuivi
        fields = ["date", "contenu", "prochaine_date"]
        widgets = {
            "date": _date_widget(),
            "prochaine_date": _date_widget(),
            "contenu": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("date", "prochaine_date"):
            self.fields[nom].input_formats = FORMAT_DATE

    def clean(self):
        d = super().clean()
        if d.get("date") and d.get("prochaine_date") and d["prochaine_date"] < d["date"]:
            self.add_error("prochaine_date", "Le prochain point suit la date du point.")
        return d


class OffreForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = OffreAction
        fields = [
            "type",
            "intitule",
            "etablissement",
            "structure",
            "type_lieu",
            "lieu",
            "date_debut",
            "date_fin",
            "heures_hebdo",
            "entreprise",
            "capacite",
            "contact",
        ]
        widgets = {"date_debut": _date_widget(), "date_fin": _date_widget()}

    def __init__(self, *args, lycees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].queryset = lycees
        for nom in ("date_debut", "date_fin"):
            self.fields[nom].input_formats = FORMAT_DATE

    def clean(self):
        d = super().clean()
        if d.get("date_debut") and d.get("date_fin") and d["date_fin"] < d["date_debut"]:
            self.add_error("date_fin", "La fin ne peut précéder le début.")
        if not d.get("etablissement") and not d.get("structure"):
            self.add_error("etablissement", "Indiquez le lycée porteur ou la structure.")
        return d


class ImportOffreForm(DsfrBaseForm, forms.Form):
    fichier = forms.FileField(
        label="Fichier CSV (séparateur « ; »)",
        help_text="Colonnes : TYPE;INTITULE;LIEU;DEBUT;FIN;HEURES;CAPACITE;CONTACT (dates jj/mm/aaaa).",
    )
    etablissement = forms.ModelChoiceField(label="Lycée porteur", queryset=None)

    def __init__(self, *args, lycees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].queryset = lycees


TYPES_PAR_LIBELLE = {**{v: v for v in TypeAction.values}, **{lab.lower(): v for v, lab in TypeAction.choices}}


def lire_offre_csv(contenu: bytes) -> tuple[list[dict], list[str]]:
    """Tolerant reading (UTF-8 with BOM or Windows-1252, `;`, capitals, extra columns); strict content.
    Returns the valid rows and the errors, row by row."""
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        texte = contenu.decode("cp1252")
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=";")
    lecteur.fieldnames = [(f or "").strip().upper() for f in (lecteur.fieldnames or [])]
    lignes, erreurs = [], []
    if "INTITULE" not in lecteur.fieldnames or "TYPE" not in lecteur.fieldnames:
        return [], ["Colonnes TYPE et INTITULE obligatoires."]

    def date(valeur, n):
        valeur = (valeur or "").strip()
        if not valeur:
            return None
        try:
            return datetime.datetime.strptime(valeur, "%d/%m/%Y").date()
        except ValueError:
            erreurs.append(f"Ligne {n} : date « {valeur} » invalide (jj/mm/aaaa).")
            return None

    for n, brut in enumerate(lecteur, start=2):
        ligne = {k: (v or "").strip() for k, v in brut.items() if k}
        nb = len(erreurs)
        type_ = TYPES_PAR_LIBELLE.get(ligne.get("TYPE", "").lower())
        if not type_:
            erreurs.append(f"Ligne {n} : type d'action « {ligne.get('TYPE', '')} » inconnu.")
        if not ligne.get("INTITULE"):
            erreurs.append(f"Ligne {n} : intitulé manquant.")
        debut, fin = date(ligne.get("DEBUT"), n), date(ligne.get("FIN"), n)
        if debut and fin and fin < debut:
            erreurs.append(f"Ligne {n} : la fin précède le début.")
        heures = None
        if ligne.get("HEURES"):
            try:
                heures = Decimal(ligne["HEURES"].replace(",", "."))
            except InvalidOperation:
                erreurs.append(f"Ligne {n} : heures « {ligne['HEURES']} » invalides.")
        capacite = None
        if ligne.get("CAPACITE"):
            if ligne["CAPACITE"].isdigit():
                capacite = int(ligne["CAPACITE"])
            else:
                erreurs.append(f"Ligne {n} : capacité « {ligne['CAPACITE']} » invalide.")
        if len(erreurs) == nb:
            lignes.append(
                {
                    "type": type_,
                    "intitule": ligne["INTITULE"][:200],
                    "lieu": ligne.get("LIEU", "")[:200],
                    "date_debut": debut,
                    "date_fin": fin,
                    "heures_hebdo": heures,
                    "capacite": capacite,
                    "contact": ligne.get("CONTACT", "")[:200],
                }
            )
    return lignes, erreurs


STATUTS_GRILLE = [("", "—")] + Presence.Statut.choices


class EvenementForm(DsfrBaseForm, forms.ModelForm):
    """A local event, published by one of the user's lycées (shared with its network or bassin)."""

    class Meta:
        model = Evenement
        fields = ["type", "intitule", "debut", "fin", "lieu", "description", "etablissement"]
        widgets = {
            "debut": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "fin": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, lycees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].queryset = lycees
        self.fields["etablissement"].empty_label = None


class FiltreAppelForm(forms.Form):
    """What the register of a day shows: one workshop of the offer (`?offre=<uuid>`), one half-day (`?periode=`), and
    with `?tous=1` also the young people not expected that day. A value not among the choices counts as absent."""

    offre = forms.ChoiceField(required=False)
    periode = forms.ChoiceField(choices=[("", "")] + list(Presence.Periode.choices), required=False)
    tous = forms.ChoiceField(choices=[("", ""), ("1", "")], required=False)

    def __init__(self, data, *, offres):
        super().__init__(data)
        self.offres = {str(o.uuid): o for o in offres}  # the user's offer, already read: no query here
        self.fields["offre"].choices = [("", "")] + [(u, o.intitule) for u, o in self.offres.items()]

    def valeurs(self) -> tuple:
        """(offre or None, periode or '', tous)."""
        self.is_valid()
        d = self.cleaned_data
        return self.offres.get(d.get("offre") or ""), d.get("periode") or "", d.get("tous") == "1"


class CellulePresenceForm(forms.Form):
    """One half-day of the week grid. Its fields keep the grid's names (`statut_<cle>`, `motif_<cle>`,
    `origine_statut_<cle>`, `origine_motif_<cle>`, cle = aaaammjj_periode); `origine_*` is the value the cell showed
    when the grid was drawn (ADR 0016: a cell changed since by someone else refuses the whole save)."""

    statut = forms.CharField(required=False)
    motif = forms.CharField(required=False, strip=True)
    origine_statut = forms.CharField(required=False, strip=False)
    origine_motif = forms.CharField(required=False, strip=False)

    def __init__(self, *args, cle: str, **kwargs):
        self.cle = cle
        super().__init__(*args, **kwargs)

    def add_prefix(self, field_name):
        return f"{field_name}_{self.cle}"

    def clean_statut(self):
        """An unknown status counts as none (a hand-made post never raises)."""
        statut = self.cleaned_data["statut"]
        return statut if statut in dict(STATUTS_GRILLE) else ""

    def clean_motif(self):
        return self.cleaned_data["motif"][:200]

    def origine(self) -> tuple[str, str] | None:
        """What the cell showed when drawn, or None for a post that does not say it."""
        if self.add_prefix("origine_statut") not in self.data:
            return None
        return self.cleaned_data.get("origine_statut", ""), self.cleaned_data.get("origine_motif", "")


class BaseGrillePresences(forms.BaseFormSet):
    """The week grid of one parcours as a formset: one form per half-day the server drew (`lignes`), never as many
    as the client says — so there is no management form to trust."""

    def __init__(self, data=None, *, lignes):
        self.lignes = lignes
        super().__init__(data, prefix="grille")

    def total_form_count(self):
        return len(self.lignes)

    def initial_form_count(self):
        return len(self.lignes)

    def get_form_kwargs(self, index):
        return {"cle": self.lignes[index]["cle"]}

    @property
    def management_form(self):
        n = len(self.lignes)
        form = forms.formsets.ManagementForm(
            {f"{self.prefix}-TOTAL_FORMS": n, f"{self.prefix}-INITIAL_FORMS": n}, prefix=self.prefix
        )
        form.full_clean()
        return form

    def saisies(self, *, tout_present: bool) -> list[dict]:
        """The service lines of the posted grid. «Tout présent» fills the blank half-days within the parcours that
        are not public holidays; a blank cell of a post that does not say what it showed never erases a saved one."""
        self.is_valid()  # the fields never refuse a value: an unknown status is blank, a long reason is cut
        saisies = []
        for li, form in zip(self.lignes, self.forms, strict=True):
            statut = form.cleaned_data.get("statut", "")
            if tout_present and not statut and li["dans"] and not li["ferie"]:
                statut = Presence.Statut.PRESENT
            saisie = {
                "date": li["date"],
                "periode": li["periode"],
                "statut": statut,
                "motif": form.cleaned_data.get("motif", ""),
            }
            origine = form.origine()
            if origine is None and not statut:
                origine = (li["statut"], li["motif"])
            if origine is not None:
                saisie["origine"] = origine
            saisies.append(saisie)
        return saisies


GrillePresences = forms.formset_factory(CellulePresenceForm, formset=BaseGrillePresences, extra=0)


class DesignationLotForm(DsfrBaseForm):
    """Bulk designation: the choices are the volunteers and counsellors of the selection's lycées; the parcours
    itself checks that each one fits each young person's lycée (R5, coverage)."""

    referent = forms.ModelChoiceField(
        label="Référent de parcours", queryset=None, required=False, empty_label="Ne pas changer"
    )
    conseiller = forms.ModelChoiceField(
        label="Conseiller mission locale", queryset=None, required=False, empty_label="Ne pas changer"
    )

    def __init__(self, *args, etablissements, **kwargs):
        from avenirpro.models import Utilisateur

        super().__init__(*args, **kwargs)
        referents, conseillers = Q(pk__in=[]), Q(pk__in=[])
        for etablissement_id in etablissements:
            referents |= Q(pk__in=Utilisateur.objects.referents_volontaires_de(etablissement_id).values("pk"))
            conseillers |= Q(pk__in=Utilisateur.objects.conseillers_couvrant(etablissement_id).values("pk"))

        self.fields["referent"].queryset = Utilisateur.objects.filter(referents).order_by("last_name", "first_name")
        self.fields["conseiller"].queryset = Utilisateur.objects.filter(conseillers).order_by(
            "last_name", "first_name"
        )

    def clean(self):
        donnees = super().clean()
        if not donnees.get("referent") and not donnees.get("conseiller"):
            raise forms.ValidationError("Choisissez un référent, un conseiller ou les deux.")
        return donnees
