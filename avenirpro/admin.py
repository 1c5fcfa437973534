from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
    model = Affectation
    extra = 0


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
admin.site.register(Campagne)


@admin.register(JournalAcces)
class JournalAccesAdmin(admin.ModelAdmin):
    list_display = ["date", "utilisateur", "action", "objet", "nombre"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False
