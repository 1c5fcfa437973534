from django import forms
from dsfr.forms import DsfrBaseForm

from devenir.models import Situation
from parcours.forms import ChampDate

OUI_NON = [("oui", "Oui"), ("non", "Non")]


class ConsentementForm(DsfrBaseForm, forms.Form):
    courriel_jeune = forms.EmailField(label="Adresse électronique du jeune", required=False)
    accord_devenir = forms.BooleanField(
        label="Le jeune accepte d'être recontacté à 3 et 6 mois (un lien personnel par courriel)", required=False
    )
    accord_liaison = forms.BooleanField(
        label="Le jeune accepte la transmission de sa fiche de liaison au service public de l'emploi",
        required=False,
    )

    def clean(self):
        d = super().clean()
        if d.get("accord_devenir") and not d.get("courriel_jeune"):
            self.add_error("courriel_jeune", "Indiquez l'adresse électronique du jeune pour le recontacter.")
        return d


class ReponseForm(DsfrBaseForm, forms.Form):
    """The three questions (the young person's page, or the team's entry)."""

    situation = forms.ChoiceField(
        label="1. Quelle est votre situation aujourd'hui ?",
        choices=Situation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez votre situation."},
    )
    situation_depuis = ChampDate(label="2. Depuis quand ? (facultatif)", required=False, help_text="jj/mm/aaaa")
    recontact = forms.ChoiceField(
        label="3. Acceptez-vous que nous vous recontactions plus tard ?",
        choices=OUI_NON,
        widget=forms.RadioSelect,
        error_messages={"required": "Répondez par oui ou par non."},
    )
