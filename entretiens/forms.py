import datetime

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from avenirpro.models import Affectation, Couverture, MissionLocale, Role, Utilisateur
from eleves.models import Reperage
from entretiens.models import CreneauEntretien, Entretien, Frein, Invitation, Reunion


def nom_et_roles(user) -> tuple[str, str]:
    """Name and active roles (needs the `affectations_actives` prefetch, see EntretienQuerySet.avec_details)."""
    roles = sorted({Role(a.role).label for a in getattr(user, "affectations_actives", [])})
    return f"{user.first_name} {user.last_name}".strip() or user.email, ", ".join(roles)


def libelle_personne(user) -> str:
    nom, roles = nom_et_roles(user)
    return f"{nom} ({roles})" if roles else nom


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return libelle_personne(obj)


def personnels_du_lycee(etablissement):
    """Staff who may take part in an interview: the lycée's team and the counsellors of covering missions locales.
    Never an administrator nor a pilotage account, even one holding such a role too: they see no young person."""
    affectations = Affectation.objects.actives().filter(
        role__in=[Role.CHEF, Role.REFERENT, Role.PSY_EN, Role.MLDS], etablissement=etablissement
    ) | Affectation.objects.actives().conseillers_couvrant(etablissement)
    hors_dossiers = Affectation.objects.actives().filter(role__in=[Role.ADMIN, Role.PILOTAGE])
    return (
        Utilisateur.objects.filter(pk__in=affectations.values("utilisateur_id"), is_active=True, is_superuser=False)
        .exclude(pk__in=hors_dossiers.values("utilisateur_id"))
        .prefetch_related(
            Prefetch("affectations", queryset=Affectation.objects.actives(), to_attr="affectations_actives")
        )
        .order_by("last_name", "first_name")
    )


class DateHeureMixin:
    """A model DateTimeField entered as a date (jj/mm/aaaa) and a time, in Europe/Paris."""

    champ_date_heure = "debut"

    def _init_date_heure(self):
        valeur = getattr(self.instance, self.champ_date_heure, None)
        if valeur and not self.is_bound:
            local = timezone.localtime(valeur)
            self.initial.setdefault("jour", local.date())
            self.initial.setdefault("heure", local.time().replace(second=0, microsecond=0))

    def _update_errors(self, errors):
        # The model checks its date and time field (e.g. «not in the future»): the message goes next to «Date».
        dico = getattr(errors, "error_dict", None)
        if dico and self.champ_date_heure in dico and self.champ_date_heure not in self.fields:
            dico.setdefault("jour", []).extend(dico.pop(self.champ_date_heure))
        super()._update_errors(errors)

    def _clean_date_heure(self, cleaned):
        jour, heure = cleaned.get("jour"), cleaned.get("heure")
        if jour and heure:
            setattr(
                self.instance,
                self.champ_date_heure,
                timezone.make_aware(datetime.datetime.combine(jour, heure), timezone.get_current_timezone()),
            )
        return cleaned


def champ_jour(label="Date"):
    return forms.DateField(
        label=label,
        help_text="Format attendu : jj/mm/aaaa",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def champ_heure(label="Heure"):
    return forms.TimeField(
        label=label, help_text="Format attendu : hh:mm", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class ReunionForm(DateHeureMixin, DsfrBaseForm, forms.ModelForm):
    jour = champ_jour()
    heure = champ_heure()

    class Meta:
        model = Reunion
        fields = ["etablissement", "mission_locale", "lieu", "capacite", "duree_minutes", "intervenants"]
        labels = {"etablissement": "Lycée organisateur"}

    def __init__(self, *args, etablissements, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["etablissement", "jour", "heure", "duree_minutes", "lieu", "capacite", "mission_locale"])
        self.fields["etablissement"].queryset = etablissements
        if etablissements.count() == 1:
            self.fields["etablissement"].initial = etablissements.first()
        self.fields["mission_locale"].queryset = MissionLocale.objects.filter(
            couvertures__in=Couverture.objects.actives().filter(etablissement__in=etablissements)
        ).distinct()
        self.fields["mission_locale"].help_text = "Une mission locale qui couvre le lycée."
        self._init_date_heure()

    def clean(self):
        cleaned = self._clean_date_heure(super().clean())
        etab, ml = cleaned.get("etablissement"), cleaned.get("mission_locale")
        if etab and ml and not Couverture.objects.actives().filter(etablissement=etab, mission_locale=ml).exists():
            self.add_error("mission_locale", "Cette mission locale ne couvre pas ce lycée.")
        if cleaned.get("capacite") == 0:
            self.add_error("capacite", "La capacité doit être d'au moins une place (laisser vide si illimitée).")
        return cleaned


class FiltreInvitationForm(DsfrBaseForm):
    statut = forms.ChoiceField(
        label="Statut de contact",
        choices=[("", "Tous les statuts")] + list(Reperage.StatutContact.choices),
        required=False,
        initial=Reperage.StatutContact.A_CONTACTER,
    )


class PresenceForm(forms.Form):
    """One row of the attendance screen."""

    presence = forms.ChoiceField(choices=Invitation.Presence.choices, widget=forms.RadioSelect)


class CreneauForm(DateHeureMixin, DsfrBaseForm, forms.ModelForm):
    jour = champ_jour()
    heure = champ_heure()

    class Meta:
        model = CreneauEntretien
        fields = ["etablissement", "duree_minutes", "lieu"]
        labels = {"etablissement": "Lycée"}

    def __init__(self, *args, etablissements, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["etablissement", "jour", "heure", "duree_minutes", "lieu"])
        self.fields["etablissement"].queryset = etablissements
        if etablissements.count() == 1:
            self.fields["etablissement"].initial = etablissements.first()
        self._init_date_heure()

    def clean(self):
        cleaned = self._clean_date_heure(super().clean())
        if self.instance.debut and self.instance.debut < timezone.now():
            self.add_error("jour", "Un créneau se propose dans le futur.")
        return cleaned


class ReservationForm(DsfrBaseForm):
    jeune = forms.ModelChoiceField(label="Jeune", queryset=None, empty_label="Choisir un jeune")
    type = forms.ChoiceField(label="Type d'entretien", choices=Entretien.Type.choices, initial=Entretien.Type.ENTREE)

    def __init__(self, *args, jeunes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jeune"].queryset = jeunes


class EntretienForm(DateHeureMixin, DsfrBaseForm, forms.ModelForm):
    """The structured interview sheet. The sensitive sections are in the form only for allowed users: a POST from
    anybody else cannot touch them, since a ModelForm saves only its own fields."""

    champ_date_heure = "date"
    jour = champ_jour("Date de l'entretien")
    heure = champ_heure()
    freins = forms.MultipleChoiceField(
        label="Freins périphériques", choices=Frein.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Entretien
        fields = [
            "type",
            "statut",
            "lieu",
            "participants",
            "situation",
            "projet",
            "projet_detail",
            "freins",
            "besoins",
            "aides",
            "france_travail_declare",
            "france_travail_verifie",
            "sante",
            "famille",
            "justice",
            "finances",
            "decision",
            "prochaine_etape",
            "date_prochaine_etape",
        ]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 3}),
            "projet_detail": forms.Textarea(attrs={"rows": 2}),
            "besoins": forms.Textarea(attrs={"rows": 2}),
            "aides": forms.Textarea(attrs={"rows": 2}),
            "prochaine_etape": forms.Textarea(attrs={"rows": 2}),
            "sante": forms.Textarea(attrs={"rows": 2}),
            "famille": forms.Textarea(attrs={"rows": 2}),
            "justice": forms.Textarea(attrs={"rows": 2}),
            "finances": forms.Textarea(attrs={"rows": 2}),
            "date_prochaine_etape": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    participants = ParticipantsField(
        label="Participants",
        queryset=Utilisateur.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, jeune, voir_sensibles: bool, peut_verifier_france_travail: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.jeune = jeune
        self.order_fields(["type", "jour", "heure", "statut", "lieu"])
        if not voir_sensibles:
            for champ in Entretien.SECTIONS_SENSIBLES:
                del self.fields[champ]
        if not peut_verifier_france_travail:
            del self.fields["france_travail_verifie"]
        # The declared field's queryset is narrowed in place (never a new field object: the base form may already
        # have bound the old one, whose queryset — every account — validation would then use).
        self.fields["participants"].queryset = personnels_du_lycee(jeune.etablissement)
        self._bound_fields_cache.pop("participants", None)
        self.fields["participants"].widget.attrs["class"] = ""
        self.fields["decision"].help_text = "«Entrée confirmée» ouvre l'inscription dans le dispositif."
        self._init_date_heure()

    def clean(self):
        return self._clean_date_heure(super().clean())
