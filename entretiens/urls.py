from django.urls import path

from entretiens import exports, views

app_name = "entretiens"

urlpatterns = [
    path("", views.reunions, name="reunions"),
    path("reunions/export.<str:format>", exports.reunions, name="reunions_export"),
    path("reunions/nouvelle/", views.reunion_creer, name="reunion_creer"),
    path("reunions/<uuid:uuid>/", views.reunion_detail, name="reunion_detail"),
    path("reunions/<uuid:uuid>/invites.<str:format>", exports.invitations, name="reunion_invitations_export"),
    path("reunions/<uuid:uuid>/modifier/", views.reunion_modifier, name="reunion_modifier"),
    path("reunions/<uuid:uuid>/inviter/", views.reunion_inviter, name="reunion_inviter"),
    path("reunions/<uuid:uuid>/presences/", views.reunion_presences, name="reunion_presences"),
    path("reunions/<uuid:uuid>/mission-locale/", views.reunion_inviter_ml, name="reunion_inviter_ml"),
    path("reunions/<uuid:uuid>/emargement.pdf", views.reunion_emargement, name="reunion_emargement"),
    path("reunions/<uuid:uuid>/courriers.pdf", views.reunion_courriers, name="reunion_courriers"),
    path("creneaux/nouveau/", views.creneau_creer, name="creneau_creer"),
    path("creneaux/<uuid:uuid>/reserver/", views.creneau_reserver, name="creneau_reserver"),
    path("jeune/<uuid:jeune_uuid>/nouveau/", views.entretien_creer, name="entretien_creer"),
    path("<uuid:uuid>/", views.entretien_detail, name="entretien_detail"),
    path("<uuid:uuid>/modifier/", views.entretien_modifier, name="entretien_modifier"),
    path("<uuid:uuid>/fiche.pdf", views.entretien_pdf, name="entretien_pdf"),
]
