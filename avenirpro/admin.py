from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from avenirpro.models import (
    Affectation,
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
