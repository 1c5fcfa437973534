from django.apps import AppConfig


class EntretiensConfig(AppConfig):
    name = "entretiens"
