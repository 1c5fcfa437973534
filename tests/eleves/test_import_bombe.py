"""Hostile files on the import (issue #13, F3; ADR 0011): decompression bombs and slow files.

Each file is built here (openpyxl, zipfile), imported through `appliquer` (the same reading as the web page and
the worker), and must be refused as a whole with a French message and nothing written. The peak memory of the
process (VmHWM, reset before each file) and the time taken are recorded for the scorecard — not asserted as
speed targets; the memory bound asserted is generous (a bomb read whole took 3.3 GB)."""

import contextlib
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from eleves import importation
from eleves.importation import LIGNES_MAX, ImportRefuse, appliquer, lire_lignes
from eleves.models import ImportEleves, Jeune, Reperage
from eleves.views import SEUIL_INLINE
from tests.avenirpro.factories import CampagneFactory, EtablissementFactory
from tests.eleves.fichiers import ENTETES, csv_octets, ligne, xlsx_octets
from tests.fiabilite.scorecard import consigner

pytestmark = pytest.mark.django_db

MO = 1024 * 1024
# What the refusal of one file may add to this process's resident memory, at its peak. The bomb of the issue took
# 3.3 GB; these files are refused with 30–45 MB more (measured). Bounded as a GROWTH over the memory the process held
# before (`rss_avant_mo`): a test worker's own size depends on what ran in it before (browsers' drivers, scipy for the
# statistical secret…), and an absolute bound (400 MB) failed on that alone, not on the import.
PIC_HAUSSE_MAX_MO = 100
MESURES: list[dict] = []


@pytest.fixture
def lycee():
    return EtablissementFactory()


@pytest.fixture
def campagne():
    return CampagneFactory()


# --- Building the files -------------------------------------------------------------------------------------------


def _remplacer(xlsx: bytes, nom: str, morceaux) -> bytes:
    """The workbook with the part `nom` rewritten from the chunks (streamed into the zip, never whole in memory)."""
    sortie = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            if info.filename == nom:
                continue
            cible.writestr(info, source.read(info.filename))
        with cible.open(nom, "w", force_zip64=True) as flux:
            for morceau in morceaux:
                flux.write(morceau)
    return sortie.getvalue()


ENTETE_FEUILLE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
FIN_FEUILLE = b"</sheetData></worksheet>"


def _cellules_texte(valeurs) -> bytes:
    return b"".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>'.encode() for v in valeurs)


def bombe_de_lignes(octets_decompresses: int) -> bytes:
    """A sheet of the same row repeated: a few hundred kB that expand to `octets_decompresses`."""
    rangee = b"<row>" + _cellules_texte(ligne(1).values()) + b"</row>"
    bloc = rangee * (MO // len(rangee))

    def morceaux():
        yield ENTETE_FEUILLE + b"<row>" + _cellules_texte(ENTETES) + b"</row>"
        for _ in range(octets_decompresses // len(bloc)):
            yield bloc
        yield FIN_FEUILLE

    return _remplacer(xlsx_octets([ligne(1)]), "xl/worksheets/sheet1.xml", morceaux())


def bombe_de_textes_partages(octets_decompresses: int) -> bytes:
    """A workbook of two rows whose shared-strings part expands to `octets_decompresses`."""
    xlsx = xlsx_octets([ligne(1)])
    element = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    bloc = element * (MO // len(element))

    def morceaux():
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _ in range(octets_decompresses // len(bloc)):
            yield bloc
        yield b"</sst>"

    return _remplacer(xlsx, "xl/sharedStrings.xml", morceaux())


def classeur_de_lignes_variees(n: int, dimension: str | None = None) -> bytes:
    """A plausible sheet of `n` distinct rows (compressed about sixty times: under the ratio and size limits),
    with the <dimension> element Excel writes when `dimension` is given."""
    entete = ENTETE_FEUILLE
    if dimension:
        entete = entete.replace(b"<sheetData>", f'<dimension ref="{dimension}"/><sheetData>'.encode())

    def morceaux():
        yield entete + b"<row>" + _cellules_texte(ENTETES) + b"</row>"
        paquet = []
        for i in range(1, n + 1):
            paquet.append(b"<row>" + _cellules_texte(ligne(i).values()) + b"</row>")
            if len(paquet) == 2000:
                yield b"".join(paquet)
                paquet = []
        yield b"".join(paquet) + FIN_FEUILLE

    return _remplacer(xlsx_octets([ligne(1)]), "xl/worksheets/sheet1.xml", morceaux())


# --- Measuring --------------------------------------------------------------------------------------------------


def _statut_mo(cle: str) -> float | None:
    """VmHWM (peak resident memory) or VmRSS of this process, in Mo."""
    try:
        texte = Path("/proc/self/status").read_text()
    except OSError:
        return None
    m = re.search(rf"{cle}:\s+(\d+) kB", texte)
    return int(m.group(1)) / 1024 if m else None


@contextlib.contextmanager
def mesurer(nom: str, contenu: bytes):
    """Peak resident memory of this process while the block runs (the high-water mark reset first through
    /proc/self/clear_refs) and elapsed time; appended to MESURES for the scorecard."""
    remis = True
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        remis = False
    debut = time.perf_counter()
    mesure = {"fichier": nom, "taille_mo": round(len(contenu) / MO, 2), "rss_avant_mo": _statut_mo("VmRSS")}
    yield mesure
    mesure["duree_s"] = round(time.perf_counter() - debut, 2)
    mesure["pic_memoire_mo"] = round(_statut_mo("VmHWM") or 0, 1)
    mesure["pic_mesure"] = "VmHWM remis à zéro" if remis else "VmHWM depuis le début du processus"
    MESURES.append(mesure)
    consigner("bombe_import", {"cas": MESURES})
    if remis and mesure["pic_memoire_mo"] and mesure["rss_avant_mo"]:
        mesure["hausse_mo"] = round(mesure["pic_memoire_mo"] - mesure["rss_avant_mo"], 1)
        assert mesure["hausse_mo"] < PIC_HAUSSE_MAX_MO, mesure


def _refuse(nom, contenu, lycee, campagne, *attendus):
    with mesurer(nom, contenu) as mesure, pytest.raises(ImportRefuse) as exc:
        appliquer(contenu, etablissement=lycee, campagne=campagne)
    messages = [e.message for e in exc.value.analyse.erreurs if e.ligne == 0]
    mesure["refuse"] = True
    mesure["rien_ecrit"] = not Jeune.objects.exists() and not Reperage.objects.exists()
    mesure["message"] = messages[-1] if messages else ""
    consigner("bombe_import", {"cas": MESURES})
    assert mesure["rien_ecrit"]
    assert messages, exc.value.analyse.erreurs
    for attendu in attendus:
        assert attendu in messages[-1], messages
    return messages[-1]


# --- The suite ----------------------------------------------------------------------------------------------------


def test_bombe_de_lignes_refusee_avant_d_etre_ouverte(lycee, campagne):
    contenu = bombe_de_lignes(120 * MO)
    assert len(contenu) < MO  # a small upload…
    with zipfile.ZipFile(io.BytesIO(contenu)) as z:  # …that declares 120 Mo once decompressed
        assert sum(i.file_size for i in z.infolist()) > 120 * MO
    _refuse("XLSX, feuille de 120 Mo décompressés", contenu, lycee, campagne, "Classeur refusé", "occuperait 120 Mo")


def test_partie_anormalement_comprimee_refusee(lycee, campagne):
    """30 Mo once decompressed (under the total limit) but compressed about 200 times."""
    contenu = bombe_de_lignes(30 * MO)
    _refuse("XLSX, feuille de 30 Mo comprimée 200 fois", contenu, lycee, campagne, "bombe de décompression")


def test_bombe_de_textes_partages_refusee(lycee, campagne):
    contenu = bombe_de_textes_partages(60 * MO)
    _refuse("XLSX, textes partagés de 60 Mo", contenu, lycee, campagne, "Classeur refusé")


def test_classeur_sans_dimension_lu_jusqu_a_la_limite_seulement(lycee, campagne, monkeypatch):
    """Under every size limit, no <dimension> announcing its size: reading stops at the first row over the limit,
    nothing is written. (The limit is lowered here to keep the test short; openpyxl reads about 1,300 rows/s.)"""
    monkeypatch.setattr(importation, "LIGNES_MAX", 2000)
    contenu = classeur_de_lignes_variees(3000)
    lues = []
    origine = importation._lignes_xlsx

    def compter(classeur, feuille):
        for n, rangee in enumerate(origine(classeur, feuille), start=1):
            lues.append(n)
            yield rangee

    monkeypatch.setattr(importation, "_lignes_xlsx", compter)
    _refuse("XLSX de 3 000 lignes, limite abaissée à 2 000", contenu, lycee, campagne, "Trop de lignes", "2000")
    assert max(lues) == 2000 + 2  # the header, 2,000 rows, the one over the limit: never the 999 others


def test_classeur_de_60000_lignes_annoncees_refuse_avant_toute_validation(lycee, campagne):
    contenu = classeur_de_lignes_variees(50, dimension="A1:N60001")
    _refuse("XLSX annonçant 60 000 lignes", contenu, lycee, campagne, "Trop de lignes (60000)")


def test_csv_de_50001_lignes_refuse(lycee, campagne):
    contenu = csv_octets([ligne(i) for i in range(1, LIGNES_MAX + 2)])
    _refuse("CSV de 50 001 lignes", contenu, lycee, campagne, "Trop de lignes (50001)")


def test_csv_avec_une_ligne_gigantesque_refuse(lycee, campagne):
    contenu = csv_octets([ligne(1), ligne(2, NOM="A" * (15 * MO)), ligne(3)])
    assert len(contenu) < importation.TAILLE_MAX
    _refuse("CSV avec une ligne de 15 Mo", contenu, lycee, campagne, "Ligne 3 trop longue")


def test_les_entetes_sont_verifiees_avant_de_lire_les_lignes(lycee, campagne):
    """A file whose header is wrong is refused after reading its first row, however long it is."""
    contenu = csv_octets([{"A": i, "B": i} for i in range(200_000)])
    lecture = lire_lignes(contenu)
    lues = 0

    def compter():
        nonlocal lues
        for rangee in lecture.lignes:
            lues += 1
            yield rangee

    a = importation.Analyse()
    importation._lire_et_valider(a, importation.Lecture(compter(), "UTF-8"), campagne=campagne, progression=None)
    assert lues == 1 and a.erreur_fichier
    assert any("Colonne obligatoire absente" in e.message for e in a.erreurs)


def test_bombe_par_l_ecran_d_import_message_en_francais_et_rien_d_ecrit(cast, client_de):
    contenu = bombe_de_lignes(30 * MO)
    assert len(contenu) <= SEUIL_INLINE  # analysed by the web process itself
    f = io.BytesIO(contenu)
    f.name = "eleves.xlsx"
    c = client_de(cast.chef_a)
    with mesurer("XLSX de 30 Mo comprimé 200 fois, par l'écran d'import", contenu) as mesure:
        rep = c.post(
            reverse("eleves:importer"),
            {"fichier": f, "etablissement": cast.lycee_a.pk, "campagne": cast.campagne.pk},
            follow=True,
        )
    assert rep.status_code == 200
    page = rep.content.decode()
    assert "Classeur refusé" in page and "bombe de décompression" in page
    imp = ImportEleves.objects.get()
    assert imp.statut in (ImportEleves.Statut.PRET, ImportEleves.Statut.ECHEC)
    assert not Jeune.objects.exists()
    mesure.update(refuse=True, rien_ecrit=not Jeune.objects.exists(), message="Classeur refusé (écran)")
    consigner("bombe_import", {"cas": MESURES})
