from django.urls import path

from devenir import views

app_name = "devenir"

urlpatterns = [
    path("statistiques/", views.statistiques, name="statistiques"),
    path("parcours/<uuid:uuid>/", views.parcours, name="parcours"),
    path("parcours/<uuid:uuid>/accord/", views.consentement, name="consentement"),
    path("parcours/<uuid:uuid>/point/<int:jalon>/", views.point, name="point"),
    path("parcours/<uuid:uuid>/lien-jeune/", views.espace_lien, name="espace_lien"),
    path("parcours/<uuid:uuid>/fiche-de-liaison.pdf", views.fiche_liaison, name="fiche_liaison"),
    # Anonymous: the personal token is the only credential (404 when wrong, expired, used or revoked; rate-limited).
    path("reponse/<str:jeton>/", views.reponse, name="reponse"),
    path("mon-parcours/<str:jeton>/", views.espace, name="espace"),
]
