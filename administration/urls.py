from django.urls import path

from administration import exports as e
from administration import views as v

app_name = "administration"

urlpatterns = [
    path("", v.accueil, name="accueil"),
    path("lycees/", v.etablissements, name="etablissements"),
    path("lycees/export.<str:format>", e.etablissements, name="etablissements_export"),
    path("lycees/nouveau/", v.etablissement_creer, name="etablissement_creer"),
    path("lycees/<uuid:uuid>/", v.etablissement_modifier, name="etablissement_modifier"),
    path("missions-locales/", v.missions_locales, name="missions_locales"),
    path("missions-locales/export.<str:format>", e.missions_locales, name="missions_locales_export"),
    path("missions-locales/nouvelle/", v.mission_locale_creer, name="mission_locale_creer"),
    path("missions-locales/<uuid:uuid>/", v.mission_locale, name="mission_locale"),
    path("missions-locales/<uuid:uuid>/couvertures/", v.couverture_ajouter, name="couverture_ajouter"),
    path("missions-locales/<uuid:uuid>/couvertures/terminer/", v.couverture_terminer, name="couverture_terminer"),
    path("structures/", v.structures, name="structures"),
    path("structures/export.<str:format>", e.structures, name="structures_export"),
    path("structures/nouvelle/", v.structure_creer, name="structure_creer"),
    path("structures/<uuid:uuid>/", v.structure_modifier, name="structure_modifier"),
    path("campagnes/", v.campagnes, name="campagnes"),
    path("campagnes/nouvelle/", v.campagne_creer, name="campagne_creer"),
    path("campagnes/<uuid:uuid>/", v.campagne_modifier, name="campagne_modifier"),
    path("ressources/nouvelle/", v.ressource_creer, name="ressource_creer"),
    path("ressources/<uuid:uuid>/", v.ressource_modifier, name="ressource_modifier"),
    path("comptes/", v.comptes, name="comptes"),
    path("comptes/export.<str:format>", e.comptes, name="comptes_export"),
    path("comptes/<uuid:uuid>/", v.compte, name="compte"),
    path("comptes/<uuid:uuid>/activation/", v.compte_activation, name="compte_activation"),
    path("equipe/", v.equipe, name="equipe"),
    path("equipe/export.<str:format>", e.equipe, name="equipe_export"),
    path("equipe/retirer/", v.role_retirer, name="role_retirer"),
    path("invitations/", v.invitations_liste, name="invitations"),
    path("invitations/export.<str:format>", e.invitations, name="invitations_export"),
    path("invitations/nouvelle/", v.inviter, name="inviter"),
    path("invitations/<uuid:uuid>/annuler/", v.invitation_annuler, name="invitation_annuler"),
    path("invitation/<str:jeton>/", v.invitation, name="invitation"),
    path("mon-compte/", v.mon_compte, name="mon_compte"),
    path("mon-compte/roles/<uuid:uuid>/", v.role_repondre, name="role_repondre"),
    path("journal/", v.journal, name="journal"),
    path("journal/export.<str:format>", e.journal, name="journal_export"),
]
