"""One way each (issue 15): one module sends e-mail, one renders PDFs, one writes calendars.

Read from the source (AST), not by eye: a second path added anywhere in the project fails here."""

import ast
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
EXCLUS = {".venv", "node_modules", "tests", "var", ".git", ".uv-bootstrap", "static", "staticfiles"}


def _modules():
    for chemin in sorted(RACINE.rglob("*.py")):
        relatif = chemin.relative_to(RACINE)
        if EXCLUS.intersection(relatif.parts):
            continue
        yield relatif.as_posix(), ast.parse(chemin.read_text(), filename=str(chemin))


MODULES = list(_modules())


def _usages(noms: set[str], modules_importes: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """file → the names of `noms` it reads (name, attribute or `from … import`), and the modules of
    `modules_importes` it imports."""
    trouves: dict[str, set[str]] = {}
    for fichier, arbre in MODULES:
        for noeud in ast.walk(arbre):
            nom = None
            if isinstance(noeud, ast.Name) and noeud.id in noms:
                nom = noeud.id
            elif isinstance(noeud, ast.Attribute) and noeud.attr in noms:
                nom = noeud.attr
            elif isinstance(noeud, ast.ImportFrom):
                module = noeud.module or ""
                if module.split(".")[0] in modules_importes:
                    nom = module
                nom = nom or next((a.name for a in noeud.names if a.name in noms), None)
            elif isinstance(noeud, ast.Import):
                nom = next((a.name for a in noeud.names if a.name.split(".")[0] in modules_importes), None)
            if nom:
                trouves.setdefault(fichier, set()).add(nom)
    return trouves


def test_le_scan_voit_bien_les_modules_du_projet():
    fichiers = {f for f, _ in MODULES}
    assert {"avenirpro/courriels.py", "avenirpro/pdf.py", "avenirpro/calendrier.py"} <= fichiers
    assert len(fichiers) > 100


def test_un_seul_module_envoie_des_courriels():
    envois = _usages(
        {
            "send_mail",
            "send_mass_mail",
            "EmailMessage",
            "EmailMultiAlternatives",
            "mail_admins",
            "mail_managers",
            "get_connection",
        }
    )
    assert set(envois) == {"avenirpro/courriels.py"}, envois


def test_un_seul_module_rend_des_pdf():
    assert set(_usages(set(), ("weasyprint",))) == {"avenirpro/pdf.py"}


def test_un_seul_module_ecrit_des_calendriers():
    """icalendar is imported by avenirpro.calendrier only, and no module writes a VCALENDAR by hand."""
    assert set(_usages(set(), ("icalendar",))) == {"avenirpro/calendrier.py"}
    a_la_main = [
        f
        for f, arbre in MODULES
        for n in ast.walk(arbre)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and "BEGIN:V" in n.value
    ]
    assert a_la_main == []


@pytest.mark.parametrize("prefixe", ["AvenirPro+ – ", "AvenirPro+ - "])
def test_le_prefixe_des_sujets_n_est_ecrit_qu_une_fois(prefixe):
    """The subject prefix lives in avenirpro.courriels only (a PDF footer or a calendar name may say «AvenirPro+ –»,
    but no other module prefixes a subject)."""
    sujets = [
        f
        for f, arbre in MODULES
        for n in ast.walk(arbre)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value == prefixe
    ]
    assert sujets == ["avenirpro/courriels.py"] if prefixe.endswith("– ") else sujets == []


class _Annulation(Exception):
    pass


@pytest.mark.django_db
def test_une_invitation_annulee_par_rollback_n_envoie_aucun_courriel(cast, taches_apres_commit):
    """The invitation e-mail is queued after commit: a transaction that rolls back (here, whatever the caller does
    after `inviter` fails) sends nothing; the same invitation committed sends exactly one."""
    from django.core import mail
    from django.db import transaction
    from django.utils import timezone

    from administration import invitations
    from avenirpro.models import InvitationCompte, Role, TacheEnAttente

    def inviter():
        return invitations.inviter(
            par=cast.chef_a,
            email="nouvelle@test.fr",
            role=Role.REFERENT,
            etablissement=cast.lycee_a,
            date_volontariat=timezone.localdate(),
            lien_base="https://avenirpro.example",
        )

    with taches_apres_commit() as rappels:
        with pytest.raises(_Annulation), transaction.atomic():
            inviter()
            raise _Annulation
        assert rappels == []
    assert mail.outbox == [] and not InvitationCompte.objects.exists() and not TacheEnAttente.objects.exists()

    with taches_apres_commit():
        inviter()
        assert mail.outbox == []  # not before commit
    (message,) = mail.outbox
    assert message.to == ["nouvelle@test.fr"] and message.subject == "AvenirPro+ – invitation"
    assert "https://avenirpro.example/administration/invitation/" in message.body
