"""Every URL of the repérage × the cast (see tests/matrice.py)."""

from tests.matrice import Cas

CHEFS = {"chef_a", "chef_b"}
LECTEURS_JEUNE_A = {"chef_a", "referent_a", "conseiller_a", "psy_a", "mlds_a"}


def import_a(s):
    """An analysed import of lycée A, ready to be confirmed (created once per scenario)."""
    if not hasattr(s, "import_a"):
        from eleves.models import ImportEleves
        from eleves.services import analyser_import
        from tests.eleves.fichiers import csv_octets, ligne

        s.import_a = ImportEleves.objects.create(
            etablissement=s.lycee_a,
            campagne=s.campagne,
            auteur=s.chef_a,
            nom_fichier="cohorte.csv",
            contenu=csv_octets([ligne(1), ligne(2)]),
        )
        analyser_import(s.import_a)
    return s.import_a


def _jeune_a(s):
    return {"uuid": s.jeune_a.uuid}


MODIFIENT_JEUNE_A = {"chef_a", "referent_a", "conseiller_a"}


def _coordonnees_a(s):
    j = s.jeune_a
    return {"nom": j.nom, "prenoms": j.prenoms, "date_naissance": j.date_naissance.isoformat(), "sexe": j.sexe,
            "telephone": "06 12 34 56 78", "email": "nouveau@example.org"}  # fmt: skip


def _import(s):
    return {"uuid": import_a(s).uuid}


# The header's search box: whoever sees young people by name (each within their own scope, tests/eleves/
# test_recherche.py); pilotage, administrators and accounts without a role get 403.
CHERCHEURS = {"chef_a", "chef_b", "referent_a", "referent_a2", "conseiller_a", "conseiller_b", "psy_a", "mlds_a"}


def _selection_a(s):
    return {"campagne": s.campagne.session, "jeunes": [str(s.jeune_a.uuid)]}


CAS = [
    # Bulk actions on the worklist: the selection's lycée's direction only (another chef: 403, nothing written).
    Cas("eleves:lot", donnees=_selection_a, type="jeune", action="read", autorises={"chef_a"}, objet=False),
    Cas("eleves:lot", methode="post", type="contact", action="create", autorises={"chef_a"}, objet=False,
        donnees=lambda s: {**_selection_a(s), "action": "contact", "contact-date": "2026-07-03T10:00",
                           "contact-canal": "sms", "contact-issue": "joint"}, succes=(302,)),
    Cas("eleves:lot", methode="post", type="jeune", action="update", autorises={"chef_a"}, objet=False,
        donnees=lambda s: {**_selection_a(s), "action": "typologie", "typologie-typologie": "diplome_sans_solution",
                           "typologie-motif": "Entretien"}, succes=(302,)),
    Cas("recherche", type="jeune", action="list", autorises=CHERCHEURS, objet=False),
    Cas("recherche", donnees=lambda s: {"q": "jeune"}, type="jeune", action="list", autorises=CHERCHEURS,
        objet=False),
    Cas("eleves:liste", type="jeune", action="read", autorises=CHEFS, objet=False),
    Cas("eleves:export", kwargs=lambda s: {"format": "csv"}, type="export", action="export", autorises=CHEFS,
        objet=False),
    Cas("eleves:export", kwargs=lambda s: {"format": "xlsx"}, type="export", action="export", autorises=CHEFS,
        objet=False),
    # POST: the export prepared in the background (ExportFichier), then the progress page.
    Cas("eleves:export", kwargs=lambda s: {"format": "csv"}, methode="post", type="export", action="export",
        autorises=CHEFS, objet=False, succes=(302,)),
    Cas("eleves:publipostage", type="pdf", action="export", autorises=CHEFS, objet=False),
    Cas("eleves:importer", type="import", action="read", autorises=CHEFS, objet=False),
    Cas("eleves:modele", type="import", action="read", autorises=CHEFS, objet=False),
    Cas("eleves:import_detail", kwargs=_import, type="import", action="read", autorises={"chef_a"}),
    Cas("eleves:import_etat", kwargs=_import, type="import", action="read", autorises={"chef_a"}),
    Cas("eleves:import_confirmer", kwargs=_import, methode="post", type="import", action="create",
        autorises={"chef_a"}),
    # The mapping step (ADR 0022): saved for the lycée, the file analysed again.
    Cas("eleves:import_colonnes", kwargs=_import, methode="post", type="import", action="update",
        autorises={"chef_a"}, succes=(302,),
        donnees=lambda s: {"ine": "0", "nom": "1", "prenoms": "2", "date_naissance": "3", "diplome": "7",
                           "resultat": "10"}),
    Cas("eleves:import_abandonner", kwargs=_import, methode="post", type="import", action="update",
        autorises={"chef_a"}),
    Cas("eleves:detail", kwargs=_jeune_a, type="jeune", action="read", autorises=LECTEURS_JEUNE_A),
    Cas("eleves:contact", kwargs=_jeune_a, type="contact", action="read", autorises={"chef_a"}),
    Cas("eleves:contact", kwargs=_jeune_a, methode="post", type="contact", action="create", autorises={"chef_a"},
        donnees=lambda s: {"date": "2026-07-01T10:00", "canal": "telephone", "issue": "joint", "note": "ok"}),
    Cas("eleves:typologie", kwargs=_jeune_a, methode="post", type="jeune", action="update", autorises={"chef_a"},
        donnees=lambda s: {"typologie": "diplome_sans_solution", "motif": "Entretien du 01/07"}),
    Cas("eleves:reinscription", kwargs=_jeune_a, type="jeune", action="read", autorises={"chef_a"}),
    Cas("eleves:reinscription", kwargs=_jeune_a, methode="post", type="jeune", action="update",
        autorises={"chef_a"}, donnees=lambda s: {"proposee_le": "2026-07-01", "canal_proposition": "telephone",
                                                 "reponse": "refusee", "motif_refus": "projet"}),
    Cas("eleves:engagement", kwargs=_jeune_a, type="jeune", action="read", autorises={"chef_a"}),
    Cas("eleves:engagement", kwargs=_jeune_a, methode="post", type="jeune", action="update",
        autorises={"chef_a"},
        donnees=lambda s: {"engagement_le": "2026-09-07", "engagement_precisions": "Document signé"}),
    Cas("eleves:lettre", kwargs=_jeune_a, type="pdf", action="export", autorises={"chef_a"}),
    # ADR 0017: the direction corrects everything, the référent and the counsellor of an open parcours the contact
    # details; every other reader of the record gets 404 (not an action target for them).
    Cas("eleves:modifier", kwargs=_jeune_a, type="jeune", action="read", autorises=MODIFIENT_JEUNE_A),
    Cas("eleves:modifier", kwargs=_jeune_a, methode="post", type="jeune", action="update",
        autorises=MODIFIENT_JEUNE_A, donnees=_coordonnees_a),
    # The counsellor's own list (the dashboard's per-lycée links lead there).
    Cas("eleves:suivis", type="jeune", action="read", autorises={"conseiller_a", "conseiller_b"}, objet=False),
    Cas("eleves:suivis", donnees=lambda s: {"etablissement": str(s.lycee_a.uuid), "q": "jeune"}, type="jeune",
        action="read", autorises={"conseiller_a", "conseiller_b"}, objet=False),
]  # fmt: skip
