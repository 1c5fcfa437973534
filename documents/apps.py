from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents du parcours"

    def ready(self):
        # The rule «convention signée only with its signed copy» joins the parcours' rules (parcours.conformite),
        # and a deleted piece takes its file with it (after commit).
        from documents import regles, signaux  # noqa: F401
        from documents.demo import deposer_copie_de_demonstration
        from parcours import extensions

        def controle_convention(pfmp) -> dict:
            message = regles.convention_sans_copie(pfmp)
            return {"convention_signee_le": message} if message else {}

        extensions.CONTROLES_PFMP.append(controle_convention)
        extensions.AVANT_SIGNATURE_DEMO.append(deposer_copie_de_demonstration)
