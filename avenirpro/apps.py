from django.apps import AppConfig


class AvenirproConfig(AppConfig):
    name = "avenirpro"
    verbose_name = "AvenirPro+ (socle)"

    def ready(self):
        # Every list declares its export in an `exports` module; the background export task (in a worker, where no
        # URL has been resolved) finds a declaration by its key, so they are all imported at start-up.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exports")
        import avenirpro.exports_admin  # noqa: F401
        import avenirpro.tableaux.exports  # noqa: F401
