from django.apps import AppConfig


class AvenirproConfig(AppConfig):
    name = "avenirpro"
    verbose_name = "AvenirPro+ (socle)"

    def ready(self):
        from avenirpro import cache_ecrans

        cache_ecrans.brancher()

        from django.db.models.signals import post_delete, post_save
        from dsfr.models import DsfrConfig

        from avenirpro.context_processors import oublier_config

        post_save.connect(oublier_config, sender=DsfrConfig, dispatch_uid="oublier_config:save")
        post_delete.connect(oublier_config, sender=DsfrConfig, dispatch_uid="oublier_config:delete")

        # Every list declares its export in an `exports` module; the background export task (in a worker, where no
        # URL has been resolved) finds a declaration by its key, so they are all imported at start-up.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exports")
