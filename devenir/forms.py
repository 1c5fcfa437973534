from django import forms
from dsfr.forms import DsfrBaseForm

from devenir.models import Situation
from parcours.forms import ChampDate

OUI_NON = [("oui", "Oui"), ("non", "Non")]


class ChampsConsentement(forms.Form):
    """The young person's consent (R14): recontacted at 3 and 6 months, the hand-over sheet sent on."""

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


class ConsentementForm(DsfrBaseForm, ChampsConsentement):
    """The consent on the parcours' devenir page (changed after the exit)."""


class ConsentementSortie(ChampsConsentement):
    """The consent asked with the exit, added to the parcours' exit form (`parcours.extensions.CHAMPS_SORTIE`)."""

    courriel_jeune = forms.EmailField(
        label="Adresse électronique du jeune après la sortie",
        required=False,
        help_text="Pour le recontacter à 3 et 6 mois, s'il l'accepte.",
    )

    @staticmethod
    def initial_sortie(inscription) -> dict:
        return {"courriel_jeune": inscription.jeune.email}


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
