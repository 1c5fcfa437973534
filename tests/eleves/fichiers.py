"""Helpers to build cohort files the way the lycées' systems write them."""

import io

ENTETES = ["INE", "NOM", "PRENOMS", "DATE NAISSANCE", "SEXE", "TELEPHONE", "COURRIEL", "DIPLOME", "SPECIALITE",
           "DIVISION", "RESULTAT", "PARCOURSUP", "SITUATION RENTREE", "SOUHAITE REPREPARER"]  # fmt: skip


def ine(n: int) -> str:
    return f"{n:09d}ZZ"


def ligne(n: int, **changes) -> dict:
    base = {
        "INE": ine(n),
        "NOM": f"NOM{n}",
        "PRENOMS": "Éloïse" if n % 2 else "Jérôme",
        "DATE NAISSANCE": "14/03/2007",
        "SEXE": "F" if n % 2 else "M",
        "TELEPHONE": "06 12 34 56 78",
        "COURRIEL": f"jeune{n}@exemple.fr",
        "DIPLOME": "CAP" if n % 2 else "BAC PRO",
        "SPECIALITE": "Cuisine",
        "DIVISION": "TCAP1" if n % 2 else "TBAC2",
        "RESULTAT": ["ADMIS", "AJOURNE", "ABSENT"][n % 3],
        "PARCOURSUP": "AUCUNE PROPOSITION ACCEPTEE",
        "SITUATION RENTREE": "SANS SOLUTION",
        "SOUHAITE REPREPARER": "NON",
    }
    base.update(changes)
    return base


def csv_octets(lignes: list[dict], *, sep=";", encodage="utf-8", entetes=None, bom=False) -> bytes:
    entetes = entetes or list(lignes[0].keys() if lignes else ENTETES)
    texte = sep.join(entetes) + "\r\n"
    for d in lignes:
        texte += sep.join(str(d.get(e, "")) for e in entetes) + "\r\n"
    octets = texte.encode(encodage)
    return (b"\xef\xbb\xbf" + octets) if bom else octets


def xlsx_octets(lignes: list[dict]) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = openpyxl.Workbook()
    ws = wb.active
    entetes = list(lignes[0].keys())
    ws.append(entetes)
    for d in lignes:
        # a spreadsheet cannot hold control characters: the generated values are cleaned as Excel would refuse them
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", str(d.get(e, ""))) for e in entetes])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
