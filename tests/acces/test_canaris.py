"""Canary strings (docs/scorecard.md): planted in a young person's identity and in the sensitive sections
of their interview, they must never reach a member outside the allowed roles — not in a page, a CSV, an XLSX, a PDF
nor an e-mail. Every GET case of the access matrix is requested by every member of the cast."""

import io
import subprocess
import zipfile

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.acces.collecte import collecter_cas
from tests.fiabilite.scorecard import consigner
from tests.matrice import MEMBRES, construire_scenario

# Who may read what (docs/regles.md, ADR 0002 and 0003), written out independently of avenirpro.acces.
VOIENT_JEUNE = {
    "a": {"chef_a", "referent_a", "conseiller_a", "psy_a", "mlds_a"},
    "b": {"chef_b", "conseiller_b"},
}
VOIENT_SECTIONS_SENSIBLES = {"a": {"conseiller_a", "psy_a", "mlds_a"}, "b": {"conseiller_b"}}
CHAMPS_JEUNE = ["prenoms", "adresse", "telephone", "responsable_nom"]
CHAMPS_SENSIBLES = ["sante", "famille", "justice", "finances"]


def canari(champ, suffixe):
    return f"Zqx{champ.replace('_', '')}{suffixe}Kw"


def texte(reponse) -> str:
    """What a person would read in the response: HTML/CSV text, the XML of an XLSX, the text of a PDF."""
    if getattr(reponse, "streaming", False):
        contenu = b"".join(reponse.streaming_content)
    else:
        contenu = reponse.content
    return texte_de(contenu, reponse.get("Content-Type", ""))


def texte_de(contenu: bytes, type_contenu: str = "") -> str:
    if contenu.startswith(b"%PDF") or "pdf" in type_contenu:
        r = subprocess.run(["pdftotext", "-", "-"], input=contenu, capture_output=True, check=True)
        return r.stdout.decode("utf-8", "replace")
    if contenu.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(contenu)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        return contenu.decode("cp1252", "replace")


def texte_courriel(message) -> str:
    parties = [message.subject, message.body]
    parties += [c for c, _ in getattr(message, "alternatives", [])]
    for piece in message.attachments:
        if isinstance(piece, tuple):
            contenu = piece[1] if isinstance(piece[1], bytes) else str(piece[1]).encode()
            parties.append(texte_de(contenu, piece[2] or ""))
    return "\n".join(str(p) for p in parties)


def planter(s):
    """Canaries in both young people's identity and in the sensitive sections of their entry interview."""
    attendus = {}  # canary -> members allowed to read it
    for suffixe in ("a", "b"):
        jeune = getattr(s, f"jeune_{suffixe}")
        for champ in CHAMPS_JEUNE:
            setattr(jeune, champ, canari(champ, suffixe))
            attendus[canari(champ, suffixe)] = VOIENT_JEUNE[suffixe]
        jeune.save()
        entretien = getattr(s, f"entretien_{suffixe}")
        for champ in CHAMPS_SENSIBLES:
            setattr(entretien, champ, canari(champ, suffixe))
            attendus[canari(champ, suffixe)] = VOIENT_SECTIONS_SENSIBLES[suffixe]
        entretien.save()
    return attendus


def test_la_sonde_lit_html_csv_xlsx_pdf():
    """Positive control: the probe finds a canary in every format it reads."""
    import openpyxl
    from weasyprint import HTML

    c = canari("sante", "a")
    assert c in texte_de(f"<p>{c}</p>".encode())
    assert c in texte_de(f"NOM;{c}\r\n".encode("cp1252"))
    assert c in texte_de(f"\ufeffNOM;{c}\r\n".encode())
    classeur = openpyxl.Workbook()
    classeur.active["A1"] = c
    tampon = io.BytesIO()
    classeur.save(tampon)
    assert c in texte_de(tampon.getvalue())
    assert c in texte_de(HTML(string=f"<p>Santé : {c}</p>").write_pdf())


def test_le_tableau_des_droits_correspond_a_la_visibilite(cast):
    from eleves.models import Jeune

    s = construire_scenario(cast)
    for membre in MEMBRES:
        vus = {j.nom[-1].lower() for j in Jeune.objects.visibles_par(getattr(s, membre))}
        assert vus == {x for x in "ab" if membre in VOIENT_JEUNE[x]}, membre


BILAN_CANARIS = {"membres_sondes": 0, "pages_et_fichiers_lus": 0, "fuites": 0}


@pytest.fixture(scope="module", autouse=True)
def _consigner_canaris():
    yield
    if BILAN_CANARIS["membres_sondes"]:
        consigner("canaris", dict(BILAN_CANARIS))


PAGES_PAR_LIEN_PERSONNEL = {"devenir:reponse", "devenir:espace"}


@pytest.mark.parametrize("membre", MEMBRES)
def test_aucun_canari_hors_des_roles_autorises(cast, membre, mailoutbox):
    s = construire_scenario(cast)
    attendus = planter(s)
    interdits = [c for c, autorises in attendus.items() if membre not in autorises]
    fuites, vus, requetes = [], set(), 0
    client = Client()
    client.force_login(getattr(s, membre))
    for ident, cas in collecter_cas():
        if cas.methode != "get":
            continue
        if cas.public and cas.url in PAGES_PAR_LIEN_PERSONNEL:
            # The young person's own pages (R15, R16): whoever holds the personal link sees that young person, by
            # design — the link is the key, not the account (the matrix grants them to every member). Wrong,
            # expired, used and revoked links answer 404 and show nothing, and a link never shows another young
            # person of the same group: tests/devenir/.
            continue
        url = reverse(cas.url, kwargs=cas.kwargs(s))
        with transaction.atomic():
            sid = transaction.savepoint()
            reponse = client.get(url, cas.donnees(s))
            requetes += 1
            lu = texte(reponse).lower()
            transaction.savepoint_rollback(sid)
        for c in attendus:
            if c.lower() in lu:
                vus.add(c)
                if c in interdits:
                    fuites.append(f"{url} ({reponse.status_code}) montre {c} à {membre}")
    adresse = getattr(s, membre).email.lower()
    for message in mail.outbox:
        if adresse in [d.lower() for d in message.to + message.cc + message.bcc]:
            corps = texte_courriel(message).lower()
            fuites += [
                f"courriel « {message.subject} » montre {c} à {membre}" for c in interdits if c.lower() in corps
            ]
    print(f"\n{membre} : {requetes} pages lues, canaris autorisés vus : {len(vus)}")
    BILAN_CANARIS["membres_sondes"] += 1
    BILAN_CANARIS["pages_et_fichiers_lus"] += requetes
    BILAN_CANARIS["fuites"] += len(fuites)
    assert requetes > 0
    assert not fuites, "\n".join(fuites)
