from django.apps import AppConfig


class AvenirproConfig(AppConfig):
    name = "avenirpro"
    verbose_name = "AvenirPro+ (socle)"
