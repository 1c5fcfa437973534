from django import forms
from dsfr.forms import DsfrBaseForm

from avenirpro.models import Campagne
from eleves.models import Contact, Jeune, Reperage
from eleves.services import CHAMPS_BOURSE, CHAMPS_COORDONNEES, CHAMPS_IDENTITE


class ImportForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Fichier des résultats (CSV ou XLSX)",
        help_text="CSV séparé par « ; » ou « , » (UTF-8 ou Windows-1252) ou classeur XLSX, 20 Mo au plus.",
    )
    etablissement = forms.ModelChoiceField(label="Lycée", queryset=None, empty_label=None)
    campagne = forms.ModelChoiceField(label="Campagne", queryset=Campagne.objects.all(), empty_label=None)

    def __init__(self, *args, etablissements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].queryset = etablissements
        courante = Campagne.courante()
        if courante and not self.is_bound:
            self.initial["campagne"] = courante.pk

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Fichier trop volumineux : 20 Mo au plus.")
        if not f.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError("Format non pris en charge : déposez un fichier .csv ou .xlsx.")
        return f


class ConfirmationForm(DsfrBaseForm):
    valides_seulement = forms.BooleanField(
        label="Je confirme n'importer que les lignes valides (les lignes en erreur sont ignorées)", required=False
    )


LIBELLES_COLONNES = {
    "ine": "INE",
    "nom": "Nom",
    "prenoms": "Prénoms",
    "date_naissance": "Date de naissance",
    "sexe": "Sexe",
    "telephone": "Téléphone",
    "email": "Courriel",
    "adresse": "Adresse",
    "responsable_nom": "Responsable légal",
    "responsable_telephone": "Téléphone du responsable",
    "responsable_email": "Courriel du responsable",
    "boursier": "Boursier",
    "diplome": "Diplôme",
    "specialite": "Spécialité",
    "mef_origine": "MEF",
    "division": "Division",
    "session": "Session",
    "resultat": "Résultat",
    "parcoursup": "Parcoursup",
    "situation_rentree": "Situation à la rentrée",
    "souhaite_repreparer": "Souhaite repréparer",
    "unites": "Unités validées",
    "date_unites": "Date de validation des unités",
}


class CorrespondanceForm(DsfrBaseForm):
    """The mapping step (ADR 0022): for each field, the file's header that holds it (best guess pre-selected), with
    a few of its values in the option's label."""

    def __init__(self, *args, entetes: list[str], echantillons: list[list[str]], propositions: dict, **kwargs):
        from eleves.importation import COLONNES

        super().__init__(*args, **kwargs)
        self.entetes = entetes
        choix = [("", "— Absente du fichier —")]
        for i, entete in enumerate(entetes):
            exemples = echantillons[i] if i < len(echantillons) else []
            libelle = entete or f"(colonne {i + 1} sans en-tête)"
            choix.append((str(i), f"{libelle} — ex. : {', '.join(exemples)}" if exemples else libelle))
        for c in COLONNES:
            self.fields[c.champ] = forms.ChoiceField(
                label=LIBELLES_COLONNES.get(c.champ, c.entete),
                help_text=c.description,
                choices=choix,
                required=c.obligatoire,
                initial=str(propositions[c.champ]) if c.champ in propositions else "",
            )
            if c.obligatoire:
                self.fields[c.champ].error_messages["required"] = f"Choisissez la colonne qui contient « {c.entete} »."

    def clean(self):
        donnees = super().clean()
        vus: dict[str, str] = {}
        for champ, valeur in list(donnees.items()):
            if not valeur:
                continue
            if valeur in vus:
                self.add_error(champ, f"Cette colonne est déjà choisie pour « {self.fields[vus[valeur]].label} ».")
            else:
                vus[valeur] = champ
        return donnees

    def correspondance(self) -> dict[str, str]:
        """{field: header}, "" for a field the file does not have."""
        return {c: (self.entetes[int(v)] if v else "") for c, v in self.cleaned_data.items()}


class ContactForm(DsfrBaseForm, forms.ModelForm):
    date = forms.DateTimeField(
        label="Date et heure", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    class Meta:
        model = Contact
        fields = ["date", "canal", "issue", "relais_estival", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class TypologieForm(DsfrBaseForm):
    typologie = forms.ChoiceField(label="Typologie", choices=Reperage.Typologie.choices)
    motif = forms.CharField(label="Motif de la modification", max_length=300)


class ReinscriptionForm(DsfrBaseForm):
    """R9: the re-enrolment offer made by the chef to a failed candidate, and the answer."""

    proposee_le = forms.DateField(
        label="Proposée le", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    canal_proposition = forms.ChoiceField(
        label="Proposition faite par", choices=Reperage._meta.get_field("reinscription_canal").choices
    )
    reponse = forms.ChoiceField(label="Réponse du jeune", choices=Reperage.ReponseReinscription.choices)
    motif_refus = forms.ChoiceField(
        label="Si refusée ou ne convient pas : motif",
        choices=[("", "—"), *Reperage.MotifReinscription.choices],
        required=False,
    )
    precisions_reponse = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("reponse") in Reperage.REPONSES_OUVRANT_AVENIRPRO and not donnees.get("motif_refus"):
            self.add_error(
                "motif_refus", "Indiquez pourquoi la réinscription ne répond pas à la situation ou au projet du jeune."
            )
        return donnees

    def arguments_service(self) -> dict:
        d = self.cleaned_data
        return {
            "proposee_le": d["proposee_le"],
            "canal": d["canal_proposition"],
            "reponse": d["reponse"],
            "motif": d.get("motif_refus", ""),
            "precisions": d.get("precisions_reponse", ""),
        }


class JeuneForm(DsfrBaseForm, forms.ModelForm):
    """Correcting a young person's details by hand: only the fields the user may change (eleves.services)."""

    motif = forms.CharField(
        label="Motif de la correction",
        max_length=80,
        required=False,
        help_text="Obligatoire pour corriger l'identité (nom, prénoms, date de naissance, sexe).",
    )

    class Meta:
        model = Jeune
        fields = [*CHAMPS_IDENTITE, *CHAMPS_COORDONNEES, *CHAMPS_BOURSE]
        labels = {
            "nom": "Nom",
            "prenoms": "Prénoms",
            "date_naissance": "Date de naissance",
            "sexe": "Sexe",
            "telephone": "Téléphone",
            "email": "Courriel",
            "adresse": "Adresse",
            "responsable_nom": "Responsable légal (nom et prénom)",
            "responsable_telephone": "Téléphone du responsable légal",
            "responsable_email": "Courriel du responsable légal",
            "boursier": "Boursier",
            "echelon_bourse": "Échelon de bourse",
        }
        widgets = {
            "date_naissance": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "adresse": forms.Textarea(attrs={"rows": 3}),
            "telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "responsable_telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, champs, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in list(self.fields):
            if nom != "motif" and nom not in champs:
                del self.fields[nom]
        if "nom" not in champs:
            del self.fields["motif"]

    def _post_clean(self):
        # The model is validated by the service (eleves.services.modifier_jeune), the path every write takes.
        pass


class EngagementForm(DsfrBaseForm):
    """R1: the young person's written commitment, recorded by the chef."""

    engagement_le = forms.DateField(
        label="Engagement écrit recueilli le", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    engagement_precisions = forms.CharField(
        label="Comment l'engagement a été recueilli",
        help_text="Document signé, courriel du jeune… Obligatoire.",
        max_length=300,
    )
