"""The static files app of the project (in its own module: two AppConfig classes in avenirpro/apps.py would leave
Django unable to pick AvenirproConfig, whose ready() connects the cache invalidation)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


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
