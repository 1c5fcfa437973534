"""Import of the exam cohort file (docs/regles.md): tolerant on form, strict on content, all or nothing.

`analyser(contenu, etablissement=…, campagne=…)` reads the file (CSV `;` or `,`, UTF-8 with or without BOM,
Windows-1252 / ISO-8859-15, or XLSX), validates every row and compares it with the database: it writes nothing and
returns an `Analyse` (counts, errors with row, column and a French message). `appliquer(...)` analyses again inside a
transaction, refuses when there is an error unless the user asked for the valid rows only, and writes with
bulk_create / bulk_update (history kept by simple-history). Re-importing the same file changes nothing; a corrected
file updates by INE.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import functools
import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from avenirpro import cache_ecrans
from avenirpro.validators import ine_valide
from eleves.models import Diplome, Jeune, Reperage, UniteValidee, normaliser_recherche
from eleves.typologie import typologie_calculee

TAILLE_MAX = 20 * 1024 * 1024  # 20 Mo
LIGNES_MAX = 50_000
CELLULE_MAX = 1000
# A row, all cells together: 30 columns of CELLULE_MAX characters fit well under it (ADR 0011).
LIGNE_CARACTERES_MAX = 100_000
# An XLSX is a zip: what it holds once decompressed is bounded before openpyxl opens it (ADR 0011).
XLSX_DECOMPRESSE_MAX = 100 * 1024 * 1024  # 100 Mo for all its parts
XLSX_CHAINES_MAX = 50 * 1024 * 1024  # 50 Mo for the shared strings, which openpyxl keeps in memory
XLSX_TAUX_MAX = 150  # a part of more than 1 Mo compressed more than 150 times is a decompression bomb
XLSX_PARTIES_MAX = 1000
csv.field_size_limit(TAILLE_MAX)


@functools.lru_cache(maxsize=8192)
def _cle(texte) -> str:
    """Header or value key: lower case, no accents, words separated by one space."""
    texte = unicodedata.normalize("NFKD", str(texte or ""))
    texte = "".join(c for c in texte if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", texte).split())


@dataclass(frozen=True)
class Colonne:
    champ: str
    entete: str  # the header of the template
    alias: tuple[str, ...]
    obligatoire: bool = False
    description: str = ""


COLONNES = [
    Colonne(
        "ine",
        "INE",
        ("ine", "id national", "identifiant national", "numero ine", "ine eleve"),
        True,
        "Identifiant national élève : 11 caractères, chiffres et lettres majuscules.",
    ),
    Colonne("nom", "NOM", ("nom", "nom de famille", "nom famille", "nom eleve"), True, "Nom de famille."),
    Colonne("prenoms", "PRENOMS", ("prenoms", "prenom", "prenom 1", "prenom1", "prenom eleve"), True, "Prénom(s)."),
    Colonne(
        "date_naissance",
        "DATE NAISSANCE",
        ("date naissance", "date de naissance", "naissance", "ne e le", "ne le", "date nais"),
        True,
        "jj/mm/aaaa.",
    ),
    Colonne("sexe", "SEXE", ("sexe", "genre", "code sexe"), False, "M ou F (1 ou 2 accepté)."),
    Colonne(
        "telephone",
        "TELEPHONE",
        ("telephone", "tel", "portable", "telephone portable", "mobile", "tel portable"),
        False,
        "Téléphone du jeune.",
    ),
    Colonne(
        "email",
        "COURRIEL",
        ("courriel", "email", "e mail", "mail", "adresse electronique", "adresse mail"),
        False,
        "Adresse électronique du jeune.",
    ),
    Colonne("adresse", "ADRESSE", ("adresse", "adresse postale"), False, "Adresse postale."),
    Colonne(
        "responsable_nom",
        "RESPONSABLE LEGAL",
        ("responsable legal", "responsable", "nom responsable", "representant legal"),
        False,
        "Pour un jeune mineur.",
    ),
    Colonne(
        "responsable_telephone",
        "TELEPHONE RESPONSABLE",
        ("telephone responsable", "tel responsable", "telephone responsable legal"),
        False,
        "",
    ),
    Colonne(
        "responsable_email",
        "COURRIEL RESPONSABLE",
        ("courriel responsable", "email responsable", "mail responsable", "courriel responsable legal"),
        False,
        "",
    ),
    Colonne("boursier", "BOURSIER", ("boursier", "bourse", "boursier o n"), False, "OUI ou NON."),
    Colonne(
        "diplome",
        "DIPLOME",
        ("diplome", "diplome prepare", "type diplome", "type de diplome"),
        True,
        "CAP, BAC PRO, BMA ou DTMS.",
    ),
    Colonne("specialite", "SPECIALITE", ("specialite", "libelle specialite", "libelle formation"), False, ""),
    Colonne("mef_origine", "MEF", ("mef", "code mef", "mef origine", "mef d origine"), False, "Code MEF (11 car.)."),
    Colonne("division", "DIVISION", ("division", "classe", "div"), False, "Ex. TCAP1."),
    Colonne(
        "session",
        "SESSION",
        ("session", "session d examen", "session examen", "annee session"),
        False,
        "Année de la session : celle de la campagne.",
    ),
    Colonne(
        "resultat",
        "RESULTAT",
        ("resultat", "resultat examen", "decision", "decision jury"),
        True,
        "ADMIS, AJOURNE ou ABSENT.",
    ),
    Colonne(
        "parcoursup",
        "PARCOURSUP",
        ("parcoursup", "statut parcoursup", "situation parcoursup"),
        False,
        "PROPOSITION ACCEPTEE, AUCUNE PROPOSITION ACCEPTEE ou NON CANDIDAT (vide = non candidat).",
    ),
    Colonne(
        "situation_rentree",
        "SITUATION RENTREE",
        ("situation rentree", "situation a la rentree", "situation", "situation connue"),
        False,
        "EMPLOI, APPRENTISSAGE, FORMATION, SANS SOLUTION ou INCONNUE (vide = inconnue).",
    ),
    Colonne(
        "souhaite_repreparer",
        "SOUHAITE REPREPARER",
        ("souhaite repreparer", "repreparer", "souhaite repasser", "repreparation"),
        False,
        "OUI ou NON (échec seulement).",
    ),
    Colonne(
        "unites",
        "UNITES VALIDEES",
        ("unites validees", "unites", "blocs valides", "blocs de competences valides"),
        False,
        "Unités ≥ 10/20 séparées par |, ex. UP1|UG2.",
    ),
    Colonne(
        "date_unites",
        "DATE VALIDATION UNITES",
        ("date validation unites", "date validation", "date des unites"),
        False,
        "jj/mm/aaaa (obligatoire si unités).",
    ),
]
PAR_CHAMP = {c.champ: c for c in COLONNES}
ALIAS = {_cle(a): c.champ for c in COLONNES for a in (*c.alias, c.entete)}

CHAMPS_JEUNE = [
    "nom",
    "prenoms",
    "date_naissance",
    "sexe",
    "telephone",
    "email",
    "adresse",
    "responsable_nom",
    "responsable_telephone",
    "responsable_email",
    "boursier",
]
DEFAUTS_REPERAGE = {  # what an absent optional column means for the campaign's record
    "parcoursup": "non_candidat",
    "situation_rentree": "inconnue",
    "souhaite_repreparer": False,
}
CHAMPS_REPERAGE = [
    "diplome",
    "specialite",
    "mef_origine",
    "division",
    "resultat",
    "parcoursup",
    "situation_rentree",
    "souhaite_repreparer",
    "typologie",
]

_VALEURS = {
    "diplome": {
        "cap": Diplome.CAP,
        "bac pro": Diplome.BAC_PRO,
        "bacpro": Diplome.BAC_PRO,
        "baccalaureat professionnel": Diplome.BAC_PRO,
        "bac professionnel": Diplome.BAC_PRO,
        "bma": Diplome.BMA,
        "brevet des metiers d art": Diplome.BMA,
        "dtms": Diplome.DTMS,
        "diplome de technicien des metiers du spectacle": Diplome.DTMS,
    },
    "resultat": {
        "admis": "admis",
        "admise": "admis",
        "ajourne": "ajourne",
        "ajournee": "ajourne",
        "refuse": "ajourne",
        "refusee": "ajourne",
        "echec": "ajourne",
        "absent": "absent",
        "absente": "absent",
        "abs": "absent",
    },
    "parcoursup": {
        "": "non_candidat",
        "proposition acceptee": "acceptee",
        "acceptee": "acceptee",
        "oui": "acceptee",
        "aucune proposition acceptee": "aucune",
        "aucune": "aucune",
        "sans proposition": "aucune",
        "non": "aucune",
        "non candidat": "non_candidat",
        "non candidate": "non_candidat",
    },
    "situation_rentree": {
        "": "inconnue",
        "emploi": "emploi",
        "en emploi": "emploi",
        "apprentissage": "apprentissage",
        "en apprentissage": "apprentissage",
        "formation": "formation",
        "en formation": "formation",
        "sans solution": "sans_solution",
        "aucune": "sans_solution",
        "inconnue": "inconnue",
    },
    "sexe": {
        "": "",
        "m": "M",
        "h": "M",
        "1": "M",
        "masculin": "M",
        "homme": "M",
        "garcon": "M",
        "f": "F",
        "2": "F",
        "feminin": "F",
        "femme": "F",
        "fille": "F",
    },
    "booleen": {
        "": False,
        "non": False,
        "n": False,
        "0": False,
        "faux": False,
        "false": False,
        "oui": True,
        "o": True,
        "1": True,
        "vrai": True,
        "true": True,
        "x": True,
    },
}
_LIBELLES = {
    "diplome": "CAP, BAC PRO, BMA ou DTMS",
    "resultat": "ADMIS, AJOURNE ou ABSENT",
    "parcoursup": "PROPOSITION ACCEPTEE, AUCUNE PROPOSITION ACCEPTEE ou NON CANDIDAT",
    "situation_rentree": "EMPLOI, APPRENTISSAGE, FORMATION, SANS SOLUTION ou INCONNUE",
    "sexe": "M ou F",
    "booleen": "OUI ou NON",
}
_LONGUEURS = {
    f.name: f.max_length
    for m in (Jeune, Reperage)
    for f in m._meta.concrete_fields
    if getattr(f, "max_length", None) and not f.choices and f.name != "ine"
}
_LONGUEURS["unite"] = UniteValidee._meta.get_field("intitule").max_length
_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_TEL_RE = re.compile(r"^\+?[0-9 .()-]{6,20}$")
_email = EmailValidator()
FORMULE = ("=", "+", "-", "@", "\t", "\r")


class ErreurFichier(Exception):
    """The file as a whole cannot be read: nothing is imported."""


@dataclass
class Erreur:
    ligne: int  # 0: the file as a whole
    colonne: str
    message: str

    def as_dict(self):
        return {"ligne": self.ligne, "colonne": self.colonne, "message": self.message}

    def __str__(self):
        ou = f"ligne {self.ligne}" if self.ligne else "fichier"
        return f"{ou}, {self.colonne or '-'} : {self.message}"


@dataclass
class Ligne:
    numero: int
    jeune: dict
    reperage: dict
    unites: list[str]
    date_unites: datetime.date | None
    ine: str


@dataclass
class Analyse:
    lignes: list[Ligne] = field(default_factory=list)
    erreurs: list[Erreur] = field(default_factory=list)
    lignes_en_erreur: set[int] = field(default_factory=set)
    nouveaux: int = 0
    modifies: int = 0
    inchanges: int = 0
    total: int = 0
    encodage: str = ""
    colonnes_ignorees: list[str] = field(default_factory=list)
    # filled by the comparison
    a_creer: list[Ligne] = field(default_factory=list)
    a_modifier: list[tuple[Ligne, dict | None, dict | None]] = field(default_factory=list)
    # Values of the file not written because the field was corrected by hand on the record (ADR 0017).
    conserves: list[dict] = field(default_factory=list)
    # The column mapping (ADR 0022): the file's headers, a few values of each, the mapping read with
    # ({field: header}), whether it came from a mapping saved by the lycée, and the guesses for the mapping step.
    entetes: list[str] = field(default_factory=list)
    echantillons: list[list[str]] = field(default_factory=list)
    correspondance: dict[str, str] = field(default_factory=dict)
    correspondance_enregistree: bool = False
    correspondance_requise: bool = False
    propositions: dict[str, int] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        return signature_entetes(self.entetes)

    @property
    def erreur_fichier(self) -> bool:
        return any(e.ligne == 0 for e in self.erreurs)

    @property
    def en_erreur(self) -> int:
        return len(self.lignes_en_erreur)

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def resume(self) -> dict:
        return {
            "total": self.total,
            "nouveaux": self.nouveaux,
            "modifies": self.modifies,
            "inchanges": self.inchanges,
            "en_erreur": self.en_erreur,
            "erreur_fichier": self.erreur_fichier,
            "encodage": self.encodage,
            "colonnes_ignorees": self.colonnes_ignorees,
            "erreurs": [e.as_dict() for e in self.erreurs],
            "conserves": self.conserves,
            "entetes": self.entetes,
            "echantillons": self.echantillons,
            "correspondance": self.correspondance,
            "correspondance_enregistree": self.correspondance_enregistree,
            "correspondance_requise": self.correspondance_requise,
            "propositions": self.propositions,
        }


# --- Reading -----------------------------------------------------------------------------------------------


def decoder(contenu: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, else the Windows-1252 / ISO-8859-15 family via charset-normalizer."""
    if b"\x00" in contenu[:4096]:
        raise ErreurFichier("Encodage non reconnu : enregistrez le fichier en CSV UTF-8 ou Windows-1252.")
    try:
        return contenu.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    meilleur = from_bytes(contenu[:200_000], cp_isolation=["cp1252", "iso8859_15"]).best()
    encodage = meilleur.encoding if meilleur else "cp1252"
    for essai in (encodage, "cp1252", "iso8859_15"):
        try:
            return contenu.decode(essai), {"cp1252": "Windows-1252", "iso8859_15": "ISO-8859-15"}.get(essai, essai)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ErreurFichier("Encodage non reconnu : enregistrez le fichier en CSV UTF-8 ou Windows-1252.")


MESSAGE_XLSX_ILLISIBLE = "Classeur XLSX illisible : enregistrez-le à nouveau au format .xlsx ou .csv."


@dataclass
class Lecture:
    """The rows of a file (header first), read as they are needed: `lignes` is an iterator of lists of cells.
    `estimation`: the number of rows announced (for the progression), None when unknown."""

    lignes: Iterator[list]
    encodage: str
    estimation: int | None = None
    # Rows in the file, header included, when known before reading them (counted for a CSV, declared by the
    # sheet's <dimension> for an XLSX): too many, and the file is refused before any row is validated.
    annoncees: int | None = None


def lire_lignes(contenu: bytes) -> Lecture:
    """Open the file for reading row by row. Whatever can be checked before reading is checked here (size, zip
    parts of an XLSX); the row limits are checked by the reader of the rows (`analyser`), as they come."""
    if len(contenu) > TAILLE_MAX:
        raise ErreurFichier("Fichier trop volumineux (20 Mo au plus).")
    if not contenu.strip():
        raise ErreurFichier("Le fichier est vide.")
    if contenu[:4] == b"PK\x03\x04":
        return _lire_xlsx(contenu)
    texte, encodage = decoder(contenu)
    premiere = _verifier_longueurs(texte)
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    try:
        nombre = sum(1 for _ in csv.reader(io.StringIO(texte, newline=""), delimiter=separateur))
    except csv.Error as exc:
        raise ErreurFichier(f"CSV illisible : {exc}.") from exc
    return Lecture(_lignes_csv(texte, separateur), encodage, nombre, nombre)


def _verifier_longueurs(texte: str) -> str:
    """Refuse a text line longer than a row may be, before the CSV reader builds it; returns the first non-empty
    line (to guess the separator). A row holds at least the whole line, so no row passes that a line would not."""
    debut, numero, premiere = 0, 0, None
    while debut <= len(texte):
        fin = texte.find("\n", debut)
        fin = len(texte) if fin < 0 else fin
        numero += 1
        if fin - debut > LIGNE_CARACTERES_MAX:
            raise _trop_longue(numero, fin - debut)
        if premiere is None and texte[debut:fin].strip():
            premiere = texte[debut:fin]
        debut = fin + 1
    return premiere or ""


def _trop_longue(numero: int, longueur: int) -> ErreurFichier:
    return ErreurFichier(
        f"Ligne {numero} trop longue ({longueur} caractères, {LIGNE_CARACTERES_MAX} au plus) : "
        "le fichier n'est pas une liste d'élèves lisible."
    )


def _lignes_csv(texte: str, separateur: str) -> Iterator[list]:
    try:
        for numero, ligne in enumerate(csv.reader(io.StringIO(texte, newline=""), delimiter=separateur), start=1):
            longueur = sum(len(c) for c in ligne)
            if longueur > LIGNE_CARACTERES_MAX:
                raise _trop_longue(numero, longueur)
            yield ligne
    except csv.Error as exc:
        raise ErreurFichier(f"CSV illisible : {exc}.") from exc


def verifier_zip(contenu: bytes) -> None:
    """Refuse a decompression bomb before opening it: the sizes the zip declares (all parts, the shared strings)
    and each part's compression ratio, then the bytes really decompressed, counted as they come."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
        parties = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ErreurFichier(MESSAGE_XLSX_ILLISIBLE) from exc
    mo = 1024 * 1024
    refus = (
        "Classeur refusé : une fois décompressé, il occuperait {} Mo ({} Mo au plus). Un classeur de "
        f"{LIGNES_MAX} lignes tient bien en dessous : enregistrez-le à nouveau ou exportez-le en CSV."
    )
    if len(parties) > XLSX_PARTIES_MAX:
        raise ErreurFichier(f"Classeur refusé : il contient {len(parties)} parties ({XLSX_PARTIES_MAX} au plus).")
    declare = sum(p.file_size for p in parties)
    if declare > XLSX_DECOMPRESSE_MAX:
        raise ErreurFichier(refus.format(declare // mo, XLSX_DECOMPRESSE_MAX // mo))
    for p in parties:
        if p.filename.lower().endswith("sharedstrings.xml") and p.file_size > XLSX_CHAINES_MAX:
            raise ErreurFichier(
                f"Classeur refusé : son tableau de textes partagés occuperait {p.file_size // mo} Mo "
                f"({XLSX_CHAINES_MAX // mo} Mo au plus)."
            )
        if p.file_size > mo and p.file_size > XLSX_TAUX_MAX * max(p.compress_size, 1):
            raise ErreurFichier(
                f"Classeur refusé : une de ses parties est comprimée {p.file_size // max(p.compress_size, 1)} fois "
                f"({XLSX_TAUX_MAX} au plus), ce qui est le signe d'une bombe de décompression."
            )
    lu = 0
    try:
        for p in parties:
            with archive.open(p) as flux:
                while bloc := flux.read(mo):
                    lu += len(bloc)
                    if lu > XLSX_DECOMPRESSE_MAX:
                        raise ErreurFichier(refus.format(lu // mo, XLSX_DECOMPRESSE_MAX // mo))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise ErreurFichier(MESSAGE_XLSX_ILLISIBLE) from exc


def _lire_xlsx(contenu: bytes) -> Lecture:
    verifier_zip(contenu)
    try:
        import openpyxl

        classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
        feuille = classeur.worksheets[0]
        estimation = feuille.max_row
    except Exception as exc:  # a damaged or foreign zip: the file is refused as a whole
        raise ErreurFichier(MESSAGE_XLSX_ILLISIBLE) from exc
    return Lecture(_lignes_xlsx(classeur, feuille), "XLSX", estimation, estimation)


def _lignes_xlsx(classeur, feuille) -> Iterator[list]:
    try:
        for numero, ligne in enumerate(feuille.iter_rows(values_only=True), start=1):
            ligne = list(ligne)
            longueur = sum(len(str(c)) for c in ligne if c is not None)
            if longueur > LIGNE_CARACTERES_MAX:
                raise _trop_longue(numero, longueur)
            yield ligne
    except ErreurFichier:
        raise
    except Exception as exc:
        raise ErreurFichier(MESSAGE_XLSX_ILLISIBLE) from exc
    finally:
        classeur.close()


# --- Validation --------------------------------------------------------------------------------------------


def _texte(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    return str(valeur).strip()


def lire_date(valeur) -> datetime.date:
    if isinstance(valeur, datetime.datetime):
        return valeur.date()
    if isinstance(valeur, datetime.date):
        return valeur
    texte = _texte(valeur)
    m = _DATE_RE.match(texte)
    if m:
        j, mo, a = (int(x) for x in m.groups())
    else:
        m = _ISO_RE.match(texte)
        if not m:
            raise ValueError
        a, mo, j = (int(x) for x in m.groups())
    return datetime.date(a, mo, j)


ENTETE_MAX = 200  # characters of a header kept for the mapping step and the saved mapping
ENTETES_MAX = 200  # headers offered in the mapping step
ECHANTILLON = 3  # sample values shown per header
SCORE_MIN = 0.6  # below it, no header is pre-selected for a field


def signature_entetes(entetes: list) -> str:
    """The identity of a file's headers for a saved mapping: their normalised keys, in any order, hashed (the
    mapping names headers, not positions)."""
    return hashlib.sha256("\x1f".join(sorted(_cle(e) for e in entetes)).encode()).hexdigest()


def _score(champ: str, entete) -> float:
    """How close a header is to a field: the best difflib ratio against its template header and aliases."""
    cle = _cle(entete)
    if not cle:
        return 0.0
    col = PAR_CHAMP[champ]
    return max(difflib.SequenceMatcher(None, cle, _cle(a)).ratio() for a in (col.entete, *col.alias))


def entetes_proches(cherche: str, entetes: list, n: int = 3, champ: str | None = None) -> list[str]:
    """The headers of the file closest to `cherche` and to the names of `champ`, best first."""
    textes = []
    for e in entetes:
        t = _texte(e)[:ENTETE_MAX]
        if _cle(t) and t not in textes:
            textes.append(t)
    cle = _cle(cherche)

    def note(t):
        proche = difflib.SequenceMatcher(None, cle, _cle(t)).ratio() if cle else 0.0
        return max(proche, _score(champ, t) if champ else 0.0)

    notes = sorted(((note(t), t) for t in textes), key=lambda x: -x[0])
    return [t for score, t in notes[:n] if score >= 0.5]


def _trouver(cherche: str, entetes: list) -> int | None:
    """The column of a header named by a mapping: the same text first, else the same normalised key."""
    textes = [_texte(e)[:ENTETE_MAX] for e in entetes]
    cherche = _texte(cherche)[:ENTETE_MAX]
    if cherche in textes:
        return textes.index(cherche)
    cle = _cle(cherche)
    for i, t in enumerate(textes):
        if cle and _cle(t) == cle:
            return i
    return None


def _citer(textes: list[str]) -> str:
    return ", ".join(f"« {t} »" for t in textes)


def _correspondance(
    colonnes_entete: list, impose: dict | None = None
) -> tuple[dict[str, int], list[str], list[Erreur]]:
    """Which column holds which field: the known aliases, overridden by `impose` ({field: header}, "" = not read).
    A header named by `impose` and absent from the file is an error that lists the closest headers."""
    erreurs: list[Erreur] = []
    imposes: dict[str, int] = {}
    absents: set[str] = set()
    introuvables: set[str] = set()
    for champ, cherche in (impose or {}).items():
        if champ not in PAR_CHAMP:
            erreurs.append(
                Erreur(0, str(champ)[:60], f"Champ inconnu « {str(champ)[:60]} » : {', '.join(PAR_CHAMP)}.")
            )
            continue
        if not _texte(cherche):
            absents.add(champ)
            continue
        j = _trouver(cherche, colonnes_entete)
        if j is None:
            proches = entetes_proches(cherche, colonnes_entete, champ=champ)
            message = (
                f"En-tête « {_texte(cherche)[:60]} » introuvable dans le fichier (colonne {PAR_CHAMP[champ].entete})."
            )
            if proches:
                message += f" En-têtes les plus proches : {_citer(proches)}."
            erreurs.append(Erreur(0, _texte(cherche)[:60], message))
            introuvables.add(champ)
            continue
        if j in imposes.values():
            autre = next(c for c, k in imposes.items() if k == j)
            erreurs.append(
                Erreur(
                    0,
                    _texte(cherche)[:60],
                    f"La même colonne ne peut être lue pour {PAR_CHAMP[autre].entete} et {PAR_CHAMP[champ].entete}.",
                )
            )
            continue
        imposes[champ] = j
    index: dict[str, int] = dict(imposes)
    pris = set(imposes.values())
    for i, entete in enumerate(colonnes_entete):
        champ = ALIAS.get(_cle(entete))
        if champ is None or i in pris or champ in imposes or champ in absents:
            continue
        if champ in index:
            erreurs.append(
                Erreur(1, _texte(entete)[:60], f"Colonne en double (déjà lue en colonne {index[champ] + 1}).")
            )
            continue
        index[champ] = i
    lues = set(index.values())
    ignorees = [_texte(e)[:60] for i, e in enumerate(colonnes_entete) if i not in lues and _cle(e)]
    for c in COLONNES:
        if c.obligatoire and c.champ not in index and c.champ not in introuvables:
            message = f"Colonne obligatoire absente : « {c.entete} »."
            proches = entetes_proches(
                "", [colonnes_entete[i] for i in range(len(colonnes_entete)) if i not in lues], champ=c.champ
            )
            if proches:
                message += f" En-têtes les plus proches : {_citer(proches)}."
            erreurs.append(Erreur(0, c.entete, message))
    return index, ignorees, erreurs


def propositions(entetes: list, index: dict[str, int]) -> dict[str, int]:
    """The best guess for each field not found by its aliases: the closest free header (difflib on the normalised
    keys, accent- and case-insensitive), each header given to one field at most, best scores first."""
    libres = [i for i, e in enumerate(entetes[:ENTETES_MAX]) if i not in index.values() and _cle(e)]
    paires = sorted(
        (
            (_score(c.champ, entetes[i]), c.obligatoire, c.champ, i)
            for c in COLONNES
            if c.champ not in index
            for i in libres
        ),
        key=lambda x: (-x[0], not x[1]),
    )
    choix = dict(index)
    for score, _, champ, i in paires:
        if score < SCORE_MIN:
            break
        if champ not in choix and i not in choix.values():
            choix[champ] = i
    return choix


def _valider_ligne(numero: int, cellules: dict, campagne, aujourdhui) -> tuple[Ligne | None, list[Erreur]]:
    erreurs: list[Erreur] = []

    def err(champ, message):
        erreurs.append(Erreur(numero, PAR_CHAMP[champ].entete, message))

    val = {}
    for champ, brut in cellules.items():
        texte = brut if isinstance(brut, datetime.date) else _texte(brut)
        if isinstance(texte, str):
            if len(texte) > CELLULE_MAX:
                err(champ, f"Cellule trop longue ({len(texte)} caractères, {CELLULE_MAX} au plus).")
                continue
            limite = _LONGUEURS.get(champ)
            if limite and len(texte) > limite:
                err(champ, f"Trop long : {limite} caractères au plus.")
                continue
        val[champ] = texte

    ine = str(val.get("ine", "")).upper().replace(" ", "")
    if "ine" in val and not ine:
        err("ine", "INE manquant.")
    elif "ine" in val and not ine_valide(ine):
        err("ine", f"INE invalide « {ine[:20]} » : 11 caractères, chiffres et lettres majuscules.")
    for champ in ("nom", "prenoms"):
        if champ in val and not val[champ]:
            err(champ, "Valeur obligatoire.")
    jeune: dict = {}
    for champ in ("nom", "prenoms", "adresse", "responsable_nom"):
        if isinstance(val.get(champ), str):
            jeune[champ] = " ".join(val[champ].split()) if champ != "adresse" else val[champ]
    if "nom" in jeune:
        jeune["nom"] = jeune["nom"].upper()

    if "date_naissance" in val:
        try:
            d = lire_date(cellules["date_naissance"])
            if not datetime.date(1950, 1, 1) <= d <= aujourdhui:
                raise ValueError
            jeune["date_naissance"] = d
        except (ValueError, TypeError, OverflowError):
            err("date_naissance", f"Date invalide « {str(val['date_naissance'])[:30]} » : attendu jj/mm/aaaa.")

    def choix(champ, table, cible):
        if champ not in val:
            return
        cle = _cle(val[champ])
        if cle in _VALEURS[table]:
            cible[champ] = _VALEURS[table][cle]
        else:
            err(champ, f"Valeur inconnue « {str(val[champ])[:30]} » : attendu {_LIBELLES[table]}.")

    choix("sexe", "sexe", jeune)
    choix("boursier", "booleen", jeune)
    for champ in ("telephone", "responsable_telephone"):
        if val.get(champ):
            if _TEL_RE.match(val[champ]):
                jeune[champ] = val[champ]
            else:
                err(champ, "Numéro de téléphone invalide.")
        elif champ in val:
            jeune[champ] = ""
    for champ in ("email", "responsable_email"):
        if val.get(champ):
            try:
                _email(val[champ])
                jeune[champ] = val[champ].lower()
            except ValidationError:
                err(champ, f"Adresse électronique invalide « {val[champ][:40]} ».")
        elif champ in val:
            jeune[champ] = ""

    reperage: dict = {}
    choix("diplome", "diplome", reperage)
    choix("resultat", "resultat", reperage)
    choix("parcoursup", "parcoursup", reperage)
    choix("situation_rentree", "situation_rentree", reperage)
    choix("souhaite_repreparer", "booleen", reperage)
    for champ in ("specialite", "mef_origine", "division"):
        if champ in val:
            reperage[champ] = val[champ]
    if val.get("session"):
        if _texte(val["session"]) != str(campagne.session):
            err(
                "session",
                f"Session « {val['session'][:10]} » : le fichier doit porter sur la session "
                f"{campagne.session} de la campagne (R1).",
            )
    if reperage.get("souhaite_repreparer") and reperage.get("resultat") == "admis":
        err("souhaite_repreparer", "Un candidat admis ne repréparera pas l'examen : laisser vide ou NON.")

    unites = [u.strip() for u in str(val.get("unites", "")).split("|") if u.strip()]
    if any(len(u) > _LONGUEURS["unite"] for u in unites):
        err("unites", f"Intitulé d'unité trop long : {_LONGUEURS['unite']} caractères au plus.")
    date_unites = None
    if val.get("date_unites"):
        try:
            date_unites = lire_date(cellules["date_unites"])
            if not datetime.date(2000, 1, 1) <= date_unites <= aujourdhui:
                raise ValueError
        except (ValueError, TypeError, OverflowError):
            err("date_unites", "Date invalide : attendu jj/mm/aaaa.")
    elif unites:
        err("date_unites", "Date de validation des unités manquante (jj/mm/aaaa).")

    if erreurs:
        return None, erreurs
    return Ligne(numero, jeune, reperage, unites, date_unites, ine), []


def _lire_et_valider(
    a: Analyse, lecture: Lecture, *, campagne, progression, etablissement=None, correspondance=None
) -> None:
    """Read the rows as they come: the header first (its columns checked before any data row is read), then each
    row validated at once; reading stops at the first row over LIGNES_MAX (ADR 0011).
    `correspondance`: {field: header} chosen by the user; None = the mapping the lycée saved for these headers,
    if any (ADR 0022)."""
    lignes = lecture.lignes
    debut, entete = 0, None
    for lue in lignes:  # the header: the first non-empty row
        debut += 1
        if any(_texte(c) for c in lue):
            entete = lue
            break
        if debut > LIGNES_MAX:
            break
    if entete is None:
        a.erreurs.append(Erreur(0, "", "Le fichier est vide."))
        return
    a.entetes = [_texte(e)[:ENTETE_MAX] for e in entete[:ENTETES_MAX]]
    if correspondance is None and etablissement is not None:
        from eleves.models import CorrespondanceColonnes

        enregistree = CorrespondanceColonnes.objects.filter(etablissement=etablissement, signature=a.signature).first()
        if enregistree is not None:
            correspondance = enregistree.correspondance
            a.correspondance_enregistree = True
    index, a.colonnes_ignorees, erreurs_entete = _correspondance(entete, correspondance)
    a.correspondance = {c: a.entetes[j] if j < len(a.entetes) else "" for c, j in index.items()}
    a.echantillons = [[] for _ in a.entetes]
    a.erreurs.extend(erreurs_entete)
    if a.erreur_fichier:
        # The mapping step: a guess per field and a sample of each column (the first rows only).
        a.correspondance_requise = True
        a.propositions = propositions(a.entetes, {c: j for c, j in index.items() if j < len(a.entetes)})
        return  # the samples of the mapping step are read apart (`echantillons`): no data row is read here
    if lecture.annoncees is not None and lecture.annoncees - debut > LIGNES_MAX:
        a.erreurs.append(
            Erreur(0, "", f"Trop de lignes ({lecture.annoncees - debut}) : {LIGNES_MAX} au plus par fichier.")
        )
        return
    vus: dict[str, int] = {}
    aujourdhui = timezone.localdate()
    n = max((lecture.estimation or LIGNES_MAX) - debut, 1)
    for i, brute in enumerate(lignes):
        if i >= LIGNES_MAX:
            a.erreurs.append(
                Erreur(0, "", f"Trop de lignes (plus de {LIGNES_MAX}) : {LIGNES_MAX} au plus par fichier.")
            )
            return
        numero = debut + i + 1
        if progression and i % 500 == 0:
            progression(min(int(80 * i / n), 80))
        if not any(_texte(c) for c in brute):
            continue  # empty line
        a.total += 1
        if a.total <= 50:
            _echantillonner(a, brute)
        cellules = {champ: (brute[j] if j < len(brute) else None) for champ, j in index.items()}
        ligne, erreurs = _valider_ligne(numero, cellules, campagne, aujourdhui)
        if ligne is not None and ligne.ine in vus:
            erreurs = [Erreur(numero, "INE", f"INE {ligne.ine} en double : déjà présent ligne {vus[ligne.ine]}.")]
            ligne = None
        if ligne is not None:
            vus[ligne.ine] = numero
            a.lignes.append(ligne)
        else:
            a.erreurs.extend(erreurs)
            a.lignes_en_erreur.add(numero)


def echantillons(contenu: bytes, lignes_max: int = 50) -> list[list[str]]:
    """The first values of each column (for the mapping step): the header and `lignes_max` rows at most are read."""
    a = Analyse()
    try:
        lecture = lire_lignes(contenu)
    except ErreurFichier:
        return []
    try:
        for brute in lecture.lignes:
            if any(_texte(c) for c in brute):
                a.entetes = [_texte(e)[:ENTETE_MAX] for e in brute[:ENTETES_MAX]]
                break
        a.echantillons = [[] for _ in a.entetes]
        for i, brute in enumerate(lecture.lignes):
            if i >= lignes_max:
                break
            _echantillonner(a, brute)
    except ErreurFichier:
        pass
    finally:
        lecture.lignes.close()
    return a.echantillons


def _echantillonner(a: Analyse, brute: list) -> None:
    for j, valeurs in enumerate(a.echantillons):
        if len(valeurs) < ECHANTILLON and j < len(brute):
            v = _texte(brute[j])
            if isinstance(brute[j], datetime.datetime | datetime.date):
                v = f"{brute[j]:%d/%m/%Y}"
            if v:
                valeurs.append(v[:60])


def analyser(
    contenu: bytes,
    *,
    etablissement,
    campagne,
    progression: Callable[[int], None] | None = None,
    verrouiller: bool = False,
    correspondance: dict | None = None,
) -> Analyse:
    """Read and validate the whole file and compare it with the database. Writes nothing.
    `correspondance`: {field: header of the file} (ADR 0022); None = the lycée's saved mapping for these headers."""
    a = Analyse()
    try:
        lecture = lire_lignes(contenu)
        a.encodage = lecture.encodage
        try:
            _lire_et_valider(
                a, lecture, campagne=campagne, progression=progression, etablissement=etablissement,
                correspondance=correspondance,
            )  # fmt: skip
        finally:
            lecture.lignes.close()  # stop reading (and close the workbook) where the checks stopped
    except ErreurFichier as exc:
        # Nothing read so far counts: the file is refused as a whole.
        a.lignes, a.lignes_en_erreur, a.total = [], set(), 0
        a.erreurs = [e for e in a.erreurs if e.ligne == 0] + [Erreur(0, "", str(exc))]
        return a
    if a.erreur_fichier:
        return a
    if a.total == 0:
        a.erreurs.append(Erreur(0, "", "Aucune ligne de données sous l'en-tête."))
        return a
    _comparer(a, etablissement=etablissement, campagne=campagne, verrouiller=verrouiller)
    if progression:
        progression(90)
    return a


def _comparer(a: Analyse, *, etablissement, campagne, verrouiller: bool = False) -> None:
    """Sort valid rows into new / updated / unchanged against the database (by INE). Rows are read as dicts
    (no model instances: 10,000 rows compare in a fraction of a second)."""
    ines = [ligne.ine for ligne in a.lignes]
    qs = Jeune.objects.filter(ine__in=ines)
    if verrouiller:
        qs = qs.select_for_update()
    jeunes = {j["ine"]: j for j in qs.values("pk", "ine", "etablissement_id", "champs_saisis_main", *CHAMPS_JEUNE)}
    ids = [j["pk"] for j in jeunes.values()]
    reperages = {
        r["jeune_id"]: r
        for r in Reperage.objects.filter(campagne=campagne, jeune__in=ids).values(
            "pk", "jeune_id", "typologie_forcee", *CHAMPS_REPERAGE
        )
    }
    unites = set(UniteValidee.objects.filter(jeune__in=ids).values_list("jeune_id", "intitule", "date_validation"))
    gardees = []
    for ligne in a.lignes:
        jeune = jeunes.get(ligne.ine)
        if jeune is not None and jeune["etablissement_id"] != etablissement.pk:
            a.erreurs.append(Erreur(ligne.numero, "INE", "Ce jeune est rattaché à un autre lycée : ligne ignorée."))
            a.lignes_en_erreur.add(ligne.numero)
            continue
        gardees.append(ligne)
        if jeune is not None:
            _garder_saisies_main(a, ligne, jeune)
        reperage = reperages.get(jeune["pk"]) if jeune else None
        if jeune is None or reperage is None:
            a.nouveaux += 1
            a.a_modifier.append((ligne, jeune, reperage))
            continue
        change = any(jeune[k] != v for k, v in ligne.jeune.items())
        change = change or any(reperage[k] != v for k, v in _reperage_voulu(ligne, reperage).items())
        change = change or any((jeune["pk"], u, ligne.date_unites) not in unites for u in ligne.unites)
        if change:
            a.modifies += 1
            a.a_modifier.append((ligne, jeune, reperage))
        else:
            a.inchanges += 1
    a.lignes = gardees
    a.erreurs.sort(key=lambda e: (e.ligne, e.colonne))


def _garder_saisies_main(a: Analyse, ligne: Ligne, jeune: dict) -> None:
    """ADR 0017: a field corrected by hand on the record wins over the file. The file's different value is not
    written; it is listed in the preview (who, which field, the file's value, the value kept)."""
    for champ in jeune.get("champs_saisis_main") or ():
        if champ in ligne.jeune and ligne.jeune[champ] != jeune[champ]:
            a.conserves.append(
                {
                    "ligne": ligne.numero,
                    "ine": ligne.ine,
                    "jeune": f"{jeune['nom']} {jeune['prenoms']}",
                    "champ": str(Jeune._meta.get_field(champ).verbose_name),
                    "fichier": _affichable(ligne.jeune[champ]),
                    "conserve": _affichable(jeune[champ]),
                }
            )
            del ligne.jeune[champ]


def _affichable(valeur) -> str:
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime.date):
        return f"{valeur:%d/%m/%Y}"
    return str(valeur) if valeur not in (None, "") else "—"


def _reperage_voulu(ligne: Ligne, reperage: dict) -> dict:
    """The campaign fields the file asks for, typology recomputed unless the chef set it by hand."""
    voulu = dict(ligne.reperage)
    if not reperage["typologie_forcee"]:
        voulu["typologie"] = typologie_calculee(SimpleNamespace(**{**reperage, **voulu}))
    return voulu


def _creer_en_masse(model, lignes: list[dict], *, auteur, raison: str, maintenant) -> list[int]:
    """Insert new rows (dicts of attribute names; model defaults fill the rest) and their «created» history rows;
    returns their primary keys in order. On PostgreSQL through COPY with keys drawn from the sequence beforehand
    (no model instances, no SQL compilation: ~5× cheaper than bulk_create for 10,000 rows); elsewhere through
    simple-history's bulk_create_with_history."""
    from django.db import connection
    from simple_history.utils import bulk_create_with_history

    if not lignes:
        return []
    if connection.vendor != "postgresql":
        objets = [model(**ligne) for ligne in lignes]
        bulk_create_with_history(objets, model, batch_size=1000, default_user=auteur, default_change_reason=raison)
        return [o.pk for o in objets]
    qn = connection.ops.quote_name
    table = model._meta.db_table
    champs = list(model._meta.concrete_fields)
    defauts = {f.attname: f.get_default() for f in champs if not f.primary_key}
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(lignes)]
        )
        ids = [r[0] for r in curseur.fetchall()]
        completes = []
        for pk, ligne in zip(ids, lignes, strict=True):
            complete = {**defauts, "uuid": uuid.uuid4(), **ligne, "id": pk}
            completes.append(complete)
        sql = f"COPY {qn(table)} ({', '.join(qn(f.column) for f in champs)}) FROM STDIN"
        with curseur.cursor.copy(sql) as copie:
            for c in completes:
                copie.write_row([c[f.attname] for f in champs])
        historique = model.history.model
        colonnes = [f for f in historique._meta.concrete_fields if not f.primary_key]
        fixes = {
            "history_date": maintenant,
            "history_change_reason": raison,
            "history_type": "+",
            "history_user_id": getattr(auteur, "pk", None),
        }
        sql = f"COPY {qn(historique._meta.db_table)} ({', '.join(qn(f.column) for f in colonnes)}) FROM STDIN"
        with curseur.cursor.copy(sql) as copie:
            for c in completes:
                copie.write_row([fixes[f.attname] if f.attname in fixes else c[f.attname] for f in colonnes])
    return ids


class ImportRefuse(Exception):
    def __init__(self, analyse: Analyse, message: str):
        super().__init__(message)
        self.analyse = analyse


@transaction.atomic
def appliquer(
    contenu: bytes,
    *,
    etablissement,
    campagne,
    auteur=None,
    valides_seulement: bool = False,
    progression: Callable[[int], None] | None = None,
    correspondance: dict | None = None,
) -> Analyse:
    """Analyse again and write: all rows, or none (unless `valides_seulement`). Raises ImportRefuse."""
    from simple_history.utils import bulk_update_with_history

    # Compared under a row lock: two imports of the same cohort cannot interleave.
    a2 = analyser(
        contenu, etablissement=etablissement, campagne=campagne, progression=progression, verrouiller=True,
        correspondance=correspondance,
    )  # fmt: skip
    if a2.erreur_fichier:
        raise ImportRefuse(a2, "Le fichier ne peut pas être lu : rien n'a été importé.")
    if a2.erreurs and not valides_seulement:
        raise ImportRefuse(a2, f"{a2.en_erreur} ligne(s) en erreur : rien n'a été importé.")
    maintenant = timezone.now()
    raison = "Import du fichier des résultats"

    nouveaux_jeunes, a_mettre_a_jour = [], {}
    for ligne, jeune, _ in a2.a_modifier:
        if jeune is None:
            nouveaux_jeunes.append(
                {
                    "ine": ligne.ine,
                    "etablissement_id": etablissement.pk,
                    "cree_le": maintenant,
                    "modifie_le": maintenant,
                    "recherche": normaliser_recherche(ligne.jeune["nom"], ligne.jeune["prenoms"]),
                    **ligne.jeune,
                }
            )
        elif any(jeune[k] != v for k, v in ligne.jeune.items()):
            a_mettre_a_jour[jeune["pk"]] = ligne.jeune
    try:
        ids_jeunes = _creer_en_masse(Jeune, nouveaux_jeunes, auteur=auteur, raison=raison, maintenant=maintenant)
        if progression:
            progression(93)
        jeunes_modifies = list(Jeune.objects.filter(pk__in=list(a_mettre_a_jour)))
        for j in jeunes_modifies:
            for k, v in a_mettre_a_jour[j.pk].items():
                setattr(j, k, v)
            j.recherche = normaliser_recherche(j.nom, j.prenoms)
            j.modifie_le = maintenant
        if jeunes_modifies:
            bulk_update_with_history(
                jeunes_modifies, Jeune, [*CHAMPS_JEUNE, "recherche", "modifie_le"], batch_size=1000,
                default_user=auteur, default_change_reason=raison,
            )  # fmt: skip
        par_ine = {j["ine"]: pk for j, pk in zip(nouveaux_jeunes, ids_jeunes, strict=True)}
        nouveaux_rep, reperages_voulus, nouvelles_unites = [], {}, []
        for ligne, jeune, reperage in a2.a_modifier:
            jeune_id = jeune["pk"] if jeune else par_ine[ligne.ine]
            if reperage is None:
                r = {**DEFAUTS_REPERAGE, **ligne.reperage}
                r.update(jeune_id=jeune_id, campagne_id=campagne.pk, importe_le=maintenant)
                r["typologie"] = typologie_calculee(SimpleNamespace(**r))
                nouveaux_rep.append(r)
            else:
                voulu = _reperage_voulu(ligne, reperage)
                if any(reperage[k] != v for k, v in voulu.items()):
                    reperages_voulus[reperage["pk"]] = voulu
            nouvelles_unites.extend(
                UniteValidee(jeune_id=jeune_id, intitule=u, date_validation=ligne.date_unites) for u in ligne.unites
            )
        _creer_en_masse(Reperage, nouveaux_rep, auteur=auteur, raison=raison, maintenant=maintenant)
        rep_modifies = list(Reperage.objects.filter(pk__in=list(reperages_voulus)))
        for r in rep_modifies:
            for k, v in reperages_voulus[r.pk].items():
                setattr(r, k, v)
            r.importe_le = maintenant
        if rep_modifies:
            bulk_update_with_history(
                rep_modifies, Reperage, [*CHAMPS_REPERAGE, "importe_le"], batch_size=1000, default_user=auteur,
                default_change_reason=raison,
            )  # fmt: skip
        if nouvelles_unites:
            existantes = set(
                UniteValidee.objects.filter(jeune__in=[u.jeune_id for u in nouvelles_unites]).values_list(
                    "jeune_id", "intitule", "date_validation"
                )
            )
            UniteValidee.objects.bulk_create(
                [u for u in nouvelles_unites if (u.jeune_id, u.intitule, u.date_validation) not in existantes],
                batch_size=1000,
            )
    except IntegrityError as exc:  # a concurrent import wrote the same INE first
        transaction.set_rollback(True)
        raise ImportRefuse(a2, "Un autre import a modifié les mêmes jeunes : rien n'a été importé, relancez.") from exc
    cache_ecrans.perimer([etablissement.pk])  # bulk writes: no model signal
    if progression:
        progression(100)
    return a2


# --- Template and exports ----------------------------------------------------------------------------------


def neutraliser(valeur):
    """CSV/XLSX injection: a cell that looks like a formula is written as text, prefixed with '."""
    if isinstance(valeur, str) and valeur.startswith(FORMULE):
        return "'" + valeur
    return valeur


def modele_csv() -> bytes:
    """The documented template: the headers and one example row, `;`-separated, UTF-8 with BOM."""
    sortie = io.StringIO()
    w = csv.writer(sortie, delimiter=";")
    w.writerow([c.entete for c in COLONNES])
    w.writerow(
        [
            "123456789AB",
            "MARTIN",
            "Léa",
            "14/03/2007",
            "F",
            "06 12 34 56 78",
            "lea.martin@exemple.fr",
            "3 rue des Lilas 69003 Lyon",
            "",
            "",
            "",
            "OUI",
            "CAP",
            "Cuisine",
            "50022135210",
            "TCAP1",
            "",
            "AJOURNE",
            "NON CANDIDAT",
            "SANS SOLUTION",
            "OUI",
            "UP1|UG2",
            "05/07/2026",
        ]
    )
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")
