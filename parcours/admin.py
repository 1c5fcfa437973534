"""Django admin of the campaign (a core model): its settings are checked against the parcours rules (R3, R4), so
its admin lives with the rules."""

import copy

from django import forms
from django.contrib import admin
from django.forms.models import construct_instance

from avenirpro.models import Campagne
from parcours.services import CHAMPS_CAMPAGNE_REGLES, ecarts_campagne, enregistrer_campagne, message_ecarts_campagne


class CampagneAdminForm(forms.ModelForm):
    """The campaign settings (R3, R4) hold for every parcours of the campaign: a change that would put one out of the
    rules is shown before saving — the parcours and the items in conflict, next to the changed setting — and
    refused (ADR 0013)."""

    class Meta:
        model = Campagne
        fields = [
            "nom",
            "session",
            "date_rentree",
            "date_entree_min",
            "date_entree_max",
            "mode_duree",
            "duree_mois",
            "unite_pfmp",
            "taux_gratification_niveau3",
            "taux_gratification_niveau4",
            "libelle_mef_niveau3",
            "libelle_mef_niveau4",
            "code_mef_niveau3",
            "code_mef_niveau4",
            "jours_sans_point_suivi",
            "jours_sans_contact",
            "seuil_absences_semaine",
        ]

    def clean(self):
        donnees = super().clean()
        if self.instance.pk and not self.errors:
            nouvelle = construct_instance(self, copy.copy(self.instance))
            ecarts = ecarts_campagne(nouvelle)
            if ecarts:
                champs = [c for c in CHAMPS_CAMPAGNE_REGLES if c in self.changed_data] or [None]
                self.add_error(champs[0], message_ecarts_campagne(ecarts))
        return donnees


@admin.register(Campagne)
class CampagneAdmin(admin.ModelAdmin):
    form = CampagneAdminForm
    list_display = ["nom", "session", "date_rentree", "mode_duree", "duree_mois"]

    def save_model(self, request, obj, form, change):
        # Under lock, checked again, every planned end recomputed (parcours.services.enregistrer_campagne).
        enregistrer_campagne(campagne=obj)
