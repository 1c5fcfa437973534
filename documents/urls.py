from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("parcours/<uuid:uuid>/", views.parcours, name="parcours"),
    path("parcours/<uuid:uuid>/engagement.pdf", views.engagement, name="engagement"),
    path("pfmp/<uuid:pfmp_uuid>/convention.pdf", views.convention, name="convention"),
    path("pfmp/<uuid:pfmp_uuid>/attestation.pdf", views.attestation, name="attestation"),
    path("pieces/<uuid:uuid>/", views.telecharger, name="telecharger"),
]
