"""R18 — a PFMP is «convention signée» only with its signed copy (docs/regles.md).

Stated once here, applied on every write path: `PFMP.clean` (forms, `parcours.services.enregistrer_pfmp`, the demo)
calls `convention_sans_copie`, and the parcours' rules (`parcours.conformite.ecarts_parcours`, run under lock after
every write of a parcours and by `manage.py verifier_regles`) include `ecarts_convention`."""

from parcours.conformite import ARTICLES_PFMP, Ecart, controle_supplementaire, preparation_de_lot

MESSAGE = (
    "{article} ne peut être marquée « convention signée » qu'une fois la convention signée déposée "
    "(page Documents du parcours)."
)


def a_une_copie_signee(pfmp) -> bool:
    from documents.models import PieceSignee

    return bool(pfmp.pk) and PieceSignee.objects.filter(pfmp_id=pfmp.pk, type=PieceSignee.Type.CONVENTION).exists()


def convention_sans_copie(pfmp) -> str:
    """The error for a PFMP marked signed without its signed copy, or ""."""
    if pfmp.convention_signee_le and not a_une_copie_signee(pfmp):
        return MESSAGE.format(article=ARTICLES_PFMP.get(pfmp.type, "La période"))
    return ""


def _avec_copie(pfmps) -> set[int]:
    from documents.models import PieceSignee

    return set(
        PieceSignee.objects.filter(pfmp__in=pfmps, type=PieceSignee.Type.CONVENTION).values_list("pfmp_id", flat=True)
    )


@preparation_de_lot
def copies_du_lot(inscriptions) -> None:
    """The audit's batch: one query for the signed copies of every PFMP marked signed in the batch."""
    signees = [p for i in inscriptions for p in i.pfmps.all() if p.convention_signee_le]
    avec_copie = _avec_copie(signees) if signees else set()
    for i in inscriptions:
        i._pfmps_avec_copie_signee = avec_copie


@controle_supplementaire
def ecarts_convention(inscription) -> list[Ecart]:
    from eleves.models import NOM_ANONYME

    signees = [p for p in inscription.pfmps.all() if p.convention_signee_le]
    if not signees:
        return []
    avec_copie = getattr(inscription, "_pfmps_avec_copie_signee", None)
    if avec_copie is None:  # outside the audit (a write under lock): read now
        avec_copie = _avec_copie(signees)
    sans_copie = [p for p in signees if p.pk not in avec_copie]
    if not sans_copie or inscription.jeune.nom == NOM_ANONYME:
        return []  # erased: the copies went with the identity, the date stays for the statistics
    return [
        Ecart(
            "R18",
            "convention_signee_le",
            MESSAGE.format(article=ARTICLES_PFMP.get(p.type, "La période"))
            + f" ({p.entreprise}, du {p.date_debut:%d/%m/%Y} au {p.date_fin:%d/%m/%Y})",
            f"pfmp:{p.uuid}",
        )
        for p in sans_copie
    ]
