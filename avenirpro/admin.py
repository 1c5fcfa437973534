import copy

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms.models import construct_instance

from avenirpro.models import (
    Affectation,
    Campagne,
    Couverture,
    Etablissement,
    JournalAcces,
    MissionLocale,
    Structure,
    Utilisateur,
)


class AffectationInline(admin.TabularInline):
    """Read only: a role is given through an invitation, checked against its author (avenirpro.acces,
    ADR 0009) and accepted by the person; the technical admin is no way around that."""

    model = Affectation
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [AffectationInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Statut", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def has_delete_permission(self, request, obj=None):
        # An account is deactivated, never deleted: the access log keeps who read what (ADR 0009).
        return False


class CouvertureInline(admin.TabularInline):
    model = Couverture
    extra = 0


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ["nom", "uai", "commune", "departement", "academie", "zone_vacances"]
    search_fields = ["nom", "uai", "commune"]
    list_filter = ["academie", "zone_vacances"]


@admin.register(MissionLocale)
class MissionLocaleAdmin(admin.ModelAdmin):
    list_display = ["nom", "email", "departement"]
    inlines = [CouvertureInline]


admin.site.register(Structure)


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
            from parcours.services import CHAMPS_CAMPAGNE_REGLES, ecarts_campagne, message_ecarts_campagne

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
        from parcours.services import enregistrer_campagne

        enregistrer_campagne(campagne=obj)


@admin.register(JournalAcces)
class JournalAccesAdmin(admin.ModelAdmin):
    list_display = ["date", "utilisateur", "action", "objet", "nombre"]
    list_filter = ["action"]

    # Append-only (a log its readers could erase would prove nothing): no addition, change nor deletion — single or
    # bulk — here; on PostgreSQL a trigger refuses them to anybody but the retention purge (ADR 0009).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
