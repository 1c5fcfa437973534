from django.urls import path

from parcours import exports, views

app_name = "parcours"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("inscrire/<uuid:jeune_uuid>/", views.inscrire, name="inscrire"),
    path("export.<str:format>", exports.parcours, name="export"),
    path("export/siecle.csv", views.export_siecle, name="export_siecle"),
    path("export/gratifications.csv", views.export_gratifications, name="export_gratifications"),
    path("offre/", views.offre, name="offre"),
    path("evenements/", views.evenements, name="evenements"),
    path("evenements/<uuid:uuid>/", views.evenement, name="evenement"),
    path("offre/export.<str:format>", exports.offre, name="offre_export"),
    path("offre/importer/", views.offre_importer, name="offre_importer"),
    path("offre/<uuid:uuid>/modifier/", views.offre_modifier, name="offre_modifier"),
    path("appel/", views.appel, name="appel"),
    path("appel/semaine/", views.appel_semaine, name="appel_semaine"),
    path("agenda/<uuid:jeton>.ics", views.ics, name="ics"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/modifier/", views.modifier, name="modifier"),
    path("<uuid:uuid>/actions/", views.actions, name="actions"),
    path("<uuid:uuid>/actions/<uuid:action_uuid>/", views.action_modifier, name="action"),
    path("<uuid:uuid>/pfmp/", views.pfmp, name="pfmp"),
    path("<uuid:uuid>/pfmp/<uuid:pfmp_uuid>/", views.pfmp, name="pfmp_modifier"),
    path("<uuid:uuid>/emploi-du-temps/", views.emploi_du_temps, name="emploi_du_temps"),
    path("<uuid:uuid>/emploi-du-temps.pdf", views.emploi_du_temps_pdf, name="emploi_du_temps_pdf"),
    path("<uuid:uuid>/agenda/", views.jeton_ics, name="jeton_ics"),
    path("<uuid:uuid>/assiduite/", views.presences, name="presences"),
    path("<uuid:uuid>/points/", views.points, name="points"),
    path("<uuid:uuid>/bilan/", views.bilan, name="bilan"),
    path("<uuid:uuid>/bilan/envoyer/", views.bilan_envoyer, name="bilan_envoyer"),
    path("<uuid:uuid>/bilan.pdf", views.bilan_pdf, name="bilan_pdf"),
    path("<uuid:uuid>/sortie/", views.sortie, name="sortie"),
    path("<uuid:uuid>/rouvrir/", views.rouvrir, name="rouvrir"),
]
