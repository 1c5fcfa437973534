from django.urls import path, re_path

from eleves import exports, views

app_name = "eleves"

urlpatterns = [
    path("", views.liste, name="liste"),
    re_path(r"^export\.(?P<format>csv|xlsx)$", exports.export, name="export"),
    path("mission-locale/", views.suivis, name="suivis"),
    path("selection/", views.lot, name="lot"),
    path("lettres.pdf", views.publipostage, name="publipostage"),
    path("import/", views.importer, name="importer"),
    path("import/modele.csv", views.modele, name="modele"),
    path("import/<uuid:uuid>/", views.import_detail, name="import_detail"),
    path("import/<uuid:uuid>/etat", views.import_etat, name="import_etat"),
    path("import/<uuid:uuid>/colonnes", views.import_colonnes, name="import_colonnes"),
    path("import/<uuid:uuid>/confirmer", views.import_confirmer, name="import_confirmer"),
    path("import/<uuid:uuid>/abandonner", views.import_abandonner, name="import_abandonner"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/modifier", views.modifier, name="modifier"),
    path("<uuid:uuid>/contact", views.contact, name="contact"),
    path("<uuid:uuid>/typologie", views.typologie, name="typologie"),
    path("<uuid:uuid>/reinscription", views.reinscription, name="reinscription"),
    path("<uuid:uuid>/engagement", views.engagement, name="engagement"),
    path("<uuid:uuid>/lettre.pdf", views.lettre, name="lettre"),
]
