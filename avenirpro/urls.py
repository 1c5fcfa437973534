from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from avenirpro import views

# The Django admin logs in through allauth: same rate limits, same MFA.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "AvenirPro+ – administration technique"

urlpatterns = [
    path("", include("tableaux.urls_accueil")),
    path("healthz", views.healthz, name="healthz"),
    path("session/prolonger", views.session_prolonger, name="session_prolonger"),
    path(
        "donnees-personnelles",
        views.page_statique,
        {"gabarit": "avenirpro/donnees_personnelles.html", "titre": "Données personnelles"},
        name="donnees_personnelles",
    ),
    path(
        "accessibilite",
        views.page_statique,
        {"gabarit": "avenirpro/accessibilite.html", "titre": "Déclaration d'accessibilité"},
        name="accessibilite",
    ),
    path(
        "mentions-legales",
        views.page_statique,
        {"gabarit": "avenirpro/mentions_legales.html", "titre": "Mentions légales"},
        name="mentions_legales",
    ),
    path("robots.txt", views.robots, name="robots"),
    # Before allauth's: its e-mail management page is replaced (see views.adresse_de_connexion).
    path("comptes/email/", views.adresse_de_connexion, name="account_email"),
    path("glossaire/", views.glossaire, name="glossaire"),
    path("ressources/", views.ressources, name="ressources"),
    path("recherche/", include("eleves.urls_recherche")),
    path("comptes/", include("allauth.urls")),
    path("administration/", include("administration.urls")),
    path("tableaux/", include("tableaux.urls")),
    path("annuaire/", include("administration.urls_annuaire")),
    path("rgpd/", include("rgpd.urls")),
    path("notifications/", include("notifications.urls")),
    path("exports/", include("avenirpro.urls_exports")),
    path("jeunes/", include("eleves.urls")),
    path("entretiens/", include("entretiens.urls")),
    path("parcours/", include("parcours.urls")),
    path("documents/", include("documents.urls")),
    path("devenir/", include("devenir.urls")),
    path("admin-technique/", admin.site.urls),
]

handler403 = "avenirpro.views.erreur_403"
handler404 = "avenirpro.views.erreur_404"
handler500 = "avenirpro.views.erreur_500"
