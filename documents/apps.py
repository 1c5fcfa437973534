from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents du parcours"

    def ready(self):
        # The rule «convention signée only with its signed copy» joins the parcours' rules (parcours.conformite),
        # and a deleted piece takes its file with it (after commit).
        from documents import regles, signaux  # noqa: F401
