"""Forms of the administration screens (organisations, coverage, accounts, invitations, access log)."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from avenirpro import acces
from avenirpro.models import (
    Affectation,
    Campagne,
    Couverture,
    Etablissement,
    JournalAcces,
    MissionLocale,
    Ressource,
    Role,
    Structure,
    Utilisateur,
)

DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "jj/mm/aaaa"})


class EtablissementForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Etablissement
        fields = ["uai", "nom", "commune", "departement", "academie", "bassin", "reseau", "zone_vacances", "email"]
        help_texts = {"uai": "7 chiffres et une lettre clé, par exemple 0750654D."}

    def clean_uai(self):
        return self.cleaned_data["uai"].strip().upper()


class MissionLocaleForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = MissionLocale
        fields = ["nom", "email", "telephone", "adresse", "siret", "departement"]
        widgets = {"adresse": forms.Textarea(attrs={"rows": 2})}


class StructureForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Structure
        fields = [
            "nom",
            "type",
            "commune",
            "adresse",
            "bassin",
            "departement",
            "siret",
            "contact_nom",
            "contact_email",
            "contact_telephone",
        ]
        widgets = {"adresse": forms.Textarea(attrs={"rows": 2})}


class CouvertureForm(DsfrBaseForm, forms.ModelForm):
    """A lycée covered by the mission locale, from `date_debut` to `date_fin` (open-ended when empty)."""

    class Meta:
        model = Couverture
        fields = ["etablissement", "date_debut", "date_fin"]
        labels = {"etablissement": "Lycée couvert"}
        widgets = {"date_debut": DATE, "date_fin": DATE}

    def __init__(self, *args, mission_locale, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.mission_locale = mission_locale
        self.fields["etablissement"].queryset = Etablissement.objects.order_by("nom")

    def clean(self):
        data = super().clean()
        debut, fin, etab = data.get("date_debut"), data.get("date_fin"), data.get("etablissement")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin doit suivre le début.")
        elif debut and etab:
            chevauche = Couverture.objects.filter(mission_locale=self.instance.mission_locale, etablissement=etab)
            chevauche = chevauche.exclude(date_fin__lt=debut)
            if fin:
                chevauche = chevauche.exclude(date_debut__gt=fin)
            if chevauche.exists():
                self.add_error("etablissement", "Ce lycée est déjà couvert par cette mission locale sur ces dates.")
        return data


class InvitationForm(DsfrBaseForm, forms.Form):
    """Invite a person (or give a role to an existing account). Choices are limited to what `par` may give."""

    email = forms.EmailField(label="Adresse électronique professionnelle")
    prenom = forms.CharField(label="Prénom", max_length=150, required=False)
    nom = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle")
    etablissement = forms.ModelChoiceField(label="Lycée", queryset=Etablissement.objects.none(), required=False)
    mission_locale = forms.ModelChoiceField(
        label="Mission locale", queryset=MissionLocale.objects.none(), required=False
    )
    fonction = forms.ChoiceField(
        label="Fonction (équipe de direction)",
        choices=[("", "—")] + list(Affectation.Fonction.choices),
        required=False,
        help_text="Chef d'établissement ou membre de l'équipe de direction par délégation.",
    )
    date_volontariat = forms.DateField(
        label="Date de volontariat (référent)", required=False, widget=DATE, help_text="Format jj/mm/aaaa."
    )
    responsable = forms.BooleanField(label="Directeur ou directrice de la mission locale", required=False)
    niveau = forms.ChoiceField(
        label="Niveau de pilotage", choices=[("", "—")] + list(Affectation.Niveau.choices), required=False
    )
    perimetre = forms.CharField(label="Périmètre de pilotage", max_length=100, required=False)

    def __init__(self, *args, par, **kwargs):
        super().__init__(*args, **kwargs)
        self.par = par
        p = acces.perimetre(par)
        roles = acces.roles_attribuables(par)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        if p.admin:
            self.fields["etablissement"].queryset = Etablissement.objects.order_by("nom")
            self.fields["mission_locale"].queryset = MissionLocale.objects.order_by("nom")
        else:
            self.fields["etablissement"].queryset = acces.etablissements_geres(par).order_by("nom")
            self.fields["mission_locale"].queryset = acces.missions_locales_dirigees(par).order_by("nom")
            for nom in ("responsable", "niveau", "perimetre"):
                del self.fields[nom]
            if not p.chef:
                for nom in ("etablissement", "fonction", "date_volontariat"):
                    del self.fields[nom]
            if not p.missions_locales_responsable:
                del self.fields["mission_locale"]
        for nom in ("etablissement", "mission_locale"):
            if nom in self.fields and self.fields[nom].queryset.count() == 1:
                self.fields[nom].initial = self.fields[nom].queryset.first()

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not role:
            return data
        if role in acces.ROLES_DU_LYCEE and not data.get("etablissement"):
            self.add_error("etablissement" if "etablissement" in self.fields else "role", "Choisissez le lycée.")
        if role == Role.CONSEILLER_ML and not data.get("mission_locale"):
            self.add_error(
                "mission_locale" if "mission_locale" in self.fields else "role", "Choisissez la mission locale."
            )
        if role == Role.CHEF and not data.get("fonction"):
            self.add_error("fonction", "Indiquez la fonction dans l'équipe de direction.")
        if role == Role.REFERENT and not data.get("date_volontariat"):
            self.add_error(
                "date_volontariat", "Un référent de parcours est un professeur volontaire : indiquez la date."
            )
        if role == Role.PILOTAGE and not data.get("niveau"):
            self.add_error("niveau", "Indiquez le niveau de pilotage.")
        # The service checks it again (administration.invitations.inviter): the form only says it early.
        if not self.errors:
            refus = acces.refus_attribution(
                self.par,
                role=role,
                etablissement_id=getattr(data.get("etablissement"), "pk", None),
                mission_locale_id=getattr(data.get("mission_locale"), "pk", None),
                responsable=bool(data.get("responsable")),
                email=data.get("email") or "",
            )
            if refus:
                raise ValidationError(refus)
        return data


class AccepterInvitationForm(DsfrBaseForm, forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères, ni trop courant, ni entièrement numérique, ni proche de votre nom.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["prenom"].initial = invitation.prenom
        self.fields["nom"].initial = invitation.nom

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        elif p1:
            fictif = Utilisateur(
                email=self.invitation.email, first_name=data.get("prenom", ""), last_name=data.get("nom", "")
            )
            try:
                validate_password(p1, fictif)
            except ValidationError as e:
                self.add_error("password1", e)
        return data


class CompteFiltreForm(DsfrBaseForm, forms.Form):
    q = forms.CharField(label="Nom ou adresse", required=False)
    role = forms.ChoiceField(label="Rôle", choices=[("", "Tous")] + list(Role.choices), required=False)
    actif = forms.ChoiceField(
        label="État", choices=[("", "Tous"), ("1", "Actifs"), ("0", "Désactivés")], required=False
    )


class JournalFiltreForm(DsfrBaseForm, forms.Form):
    utilisateur = forms.CharField(label="Utilisateur (adresse)", required=False)
    action = forms.ChoiceField(
        label="Action", choices=[("", "Toutes")] + list(JournalAcces.Action.choices), required=False
    )
    objet = forms.CharField(label="Objet ou numéro de dossier", required=False)
    du = forms.DateField(label="Du", required=False, widget=DATE)
    au = forms.DateField(label="Au", required=False, widget=DATE)


class RechercheForm(DsfrBaseForm, forms.Form):
    q = forms.CharField(label="Rechercher", required=False)


class CampagneForm(DsfrBaseForm, forms.ModelForm):
    """Thin on purpose: validation and the effect on the parcours belong to avenirpro.campagnes."""

    class Meta:
        model = Campagne
        fields = [
            "nom",
            "session",
            "date_rentree",
            "date_entree_min",
            "mode_duree",
            "duree_mois",
            "unite_pfmp",
            "taux_gratification_niveau3",
            "taux_gratification_niveau4",
            "code_mef_niveau3",
            "code_mef_niveau4",
            "jours_sans_point_suivi",
            "jours_sans_contact",
            "seuil_absences_semaine",
            "devenir_premier_point_mois",
            "devenir_second_point_mois",
            "devenir_validite_lien_jours",
        ]
        widgets = {"date_rentree": DATE, "date_entree_min": DATE}

    CHAMPS_DEVENIR = ("devenir_premier_point_mois", "devenir_second_point_mois", "devenir_validite_lien_jours")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in self.CHAMPS_DEVENIR:  # issue 19: left out, they keep the campaign's value (or the default)
            self.fields[nom].required = False

    def clean(self):
        d = super().clean()
        for nom in self.CHAMPS_DEVENIR:
            if d.get(nom) is None:
                d[nom] = getattr(self.instance, nom)
        if d["devenir_premier_point_mois"] >= d["devenir_second_point_mois"] or not d["devenir_premier_point_mois"]:
            self.add_error("devenir_second_point_mois", "Le second point de devenir vient après le premier.")
        return d

    def _post_clean(self):
        # The instance is filled in, but validated by the service (parcours.campagnes.enregistrer_campagne).
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class RessourceForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Ressource
        fields = ["titre", "categorie", "url", "description", "academie", "ordre"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
