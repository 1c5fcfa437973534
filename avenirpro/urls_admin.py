from django.urls import path

from avenirpro import views_admin as v

app_name = "administration"

urlpatterns = [
    path("", v.accueil, name="accueil"),
    path("lycees/", v.etablissements, name="etablissements"),
    path("lycees/nouveau/", v.etablissement_creer, name="etablissement_creer"),
    path("lycees/<uuid:uuid>/", v.etablissement_modifier, name="etablissement_modifier"),
    path("missions-locales/", v.missions_locales, name="missions_locales"),
    path("missions-locales/nouvelle/", v.mission_locale_creer, name="mission_locale_creer"),
    path("missions-locales/<uuid:uuid>/", v.mission_locale, name="mission_locale"),
    path("missions-locales/<uuid:uuid>/couvertures/", v.couverture_ajouter, name="couverture_ajouter"),
    path("missions-locales/<uuid:uuid>/couvertures/terminer/", v.couverture_terminer, name="couverture_terminer"),
    path("structures/", v.structures, name="structures"),
    path("structures/nouvelle/", v.structure_creer, name="structure_creer"),
    path("structures/<uuid:uuid>/", v.structure_modifier, name="structure_modifier"),
    path("comptes/", v.comptes, name="comptes"),
    path("comptes/<uuid:uuid>/", v.compte, name="compte"),
    path("comptes/<uuid:uuid>/activation/", v.compte_activation, name="compte_activation"),
    path("equipe/", v.equipe, name="equipe"),
    path("equipe/retirer/", v.role_retirer, name="role_retirer"),
    path("invitations/", v.invitations_liste, name="invitations"),
    path("invitations/nouvelle/", v.inviter, name="inviter"),
    path("invitations/<uuid:uuid>/annuler/", v.invitation_annuler, name="invitation_annuler"),
    path("invitation/<str:jeton>/", v.invitation, name="invitation"),
    path("mon-compte/", v.mon_compte, name="mon_compte"),
    path("journal/", v.journal, name="journal"),
]
