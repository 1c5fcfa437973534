from django.apps import AppConfig


class DevenirConfig(AppConfig):
    name = "devenir"
    verbose_name = "Devenir des jeunes et espace personnel"
