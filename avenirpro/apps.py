from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


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
        import avenirpro.exports_admin  # noqa: F401
        import avenirpro.tableaux.exports  # noqa: F401


class FichiersStatiquesConfig(StaticFilesConfig):
    """django.contrib.staticfiles without the parts of the DSFR distribution no page loads (issue 20): the
    per-component and legacy builds, the full utility CSS (replaced by css/dsfr-utilitaires.css, avenirpro/css_dsfr.py)
    and the copies of the bundles at the root of dist/. collectstatic then hashes and compresses (brotli, gzip) a
    third of the files it used to; the pages use dsfr/dist/dsfr/*, the icons, fonts, artwork and favicons."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "README.md",
        *(
            f"dsfr/dist/{partie}/*"
            for partie in ("component", "core", "layout", "scheme", "legacy", "analytics", "utility")
        ),
        *(
            f"dsfr/dist/{nom}"
            for nom in (
                "dsfr.min.css",
                "dsfr.main.min.css",
                "dsfr.legacy.min.css",
                "dsfr.print.min.css",
                "dsfr.module.min.js",
                "dsfr.nomodule.min.js",
            )
        ),
    ]
