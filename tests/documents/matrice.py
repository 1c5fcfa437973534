"""Access matrix of the documents URLs (see tests/matrice.py): read by whoever reads the parcours, uploads by whoever
may edit it, everyone else 404 (the downloads included; their journal: tests/documents/test_vues.py)."""

from tests.matrice import Cas

LECTEURS_A = {"chef_a", "referent_a", "conseiller_a", "psy_a", "mlds_a"}
REDACTEURS_A = {"chef_a", "referent_a", "conseiller_a"}


def _i(s):
    return {"uuid": s.inscription_a.uuid}


def _pfmp_complete(s):
    """The PFMP of parcours A with everything a convention needs."""
    from parcours.models import PFMP

    PFMP.objects.filter(pk=s.pfmp_a.pk).update(
        adresse="1 rue du Four, 69003 Lyon", tuteur_nom="Mme Tuteur", tuteur_telephone="0400000000", activites="Vente"
    )
    type(s.jeune_a).objects.filter(pk=s.jeune_a.pk).update(
        adresse="2 rue de la Paix, 69003 Lyon", responsable_nom="M. Parent", responsable_telephone="0600000000"
    )
    return {"pfmp_uuid": s.pfmp_a.uuid}


def _pfmp(s):
    return {"pfmp_uuid": s.pfmp_a.uuid}


def _piece(s):
    """A signed copy of parcours A's convention (a one-page PDF)."""
    from documents.demo import deposer_copie_de_demonstration

    if not hasattr(s, "piece_a"):
        s.piece_a = deposer_copie_de_demonstration(s.pfmp_a, user=s.referent_a)
    return {"uuid": s.piece_a.uuid}


CAS = [
    Cas("documents:parcours", kwargs=_i, type="document", action="read", autorises=LECTEURS_A),
    Cas(
        "documents:parcours",
        kwargs=_i,
        methode="post",
        donnees=lambda s: {"type": "engagement"},  # no file: the authorised get the form again, with the error
        type="document",
        action="create",
        autorises=REDACTEURS_A,
        succes=(400,),
    ),
    Cas("documents:convention", kwargs=_pfmp_complete, type="pdf", action="export", autorises=LECTEURS_A),
    Cas("documents:attestation", kwargs=_pfmp, type="pdf", action="export", autorises=LECTEURS_A),
    Cas("documents:engagement", kwargs=_i, type="pdf", action="export", autorises=LECTEURS_A),
    Cas("documents:telecharger", kwargs=_piece, type="document", action="export", autorises=LECTEURS_A),
]
