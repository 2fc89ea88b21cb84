"""Synthetic coalition self-assessments (demo) and the shipped input templates.

``python -m pipeline.demo_coalitie [out_dir]`` (default ``data/demo/coalitie_status``) writes the
demo payload; ``python -m pipeline.demo_coalitie --templates [dir]`` (default
``data/inbox/templates``) writes the empty CSV and XLSX templates and their README. Both use the
same writer, so the demo files are the template filled in. :func:`generate` is also called by
:func:`pipeline.demo.generate`.

Demo files (one per assessment year, in the formats users produce; all SYNTHETIC, labelled
"DEMO — synthetische cijfers" in a title row and in the file names):

==========================================  ====================================================
``DEMO_coalitie_zelfevaluatie_2021.csv``    UTF-8 with BOM, ``;``, dates ``15-11-2021``
``DEMO_coalitie_zelfevaluatie_2022.csv``    cp1252, ``,``, gemeente by *name only*, ISO dates
``DEMO_coalitie_zelfevaluatie_2023.csv``    UTF-8, ``;``, code and name
``DEMO_coalitie_zelfevaluatie_2024.xlsx``   the XLSX template filled in (title rows, Excel dates)
==========================================  ====================================================

Model (seed ``numpy.random.default_rng(20191)``, fixed draw order, byte-identical output;
the XLSX is written with fixed zip timestamps and document dates):

- Each gemeente has a latent *maturity* ``m = GGD effect (sd 0.6) + local effect (sd 0.8) +
  0.45 × (year − 2021)``; a requirement is ``ja`` when ``m + ease + u > 0.6``, ``deels`` when
  it is above −0.4, else ``nee``, with ``u`` a fixed per gemeente × requirement draw (sd 0.8), so
  progress is mostly monotone, and a 4% chance per cell of a fresh draw (setbacks happen).
  ``ease`` per requirement (:data:`EASE`) makes medical–social cooperation common and involving
  the target group or RIVM monitoring rarer.
- A coalition exists when ``m + 1.4 + u_c > 0``; without one every requirement is ``nee``.
- The ketenregisseur is regional: 60% of GGD-regio's have one from 2021, more join later; a
  gemeente answers ``ja`` when its region has one (3% answer otherwise).
- Interventions are offered with a probability rising with maturity (:data:`INTERVENTION_BASE`),
  and once offered stay offered.
- No assessment: 14% of gemeenten in 2021, 9% in 2022, 6% in 2023 and 18% in 2024 (the latest
  round is incomplete); in 2022 one whole GGD-regio (:data:`MISSING_GGD_INDEX` in code order:
  GG5206 GGD West-Brabant, 16 gemeenten) sent nothing. About 1% of answer cells are left empty
  (unknown), and some cells carry a remark. Every row says the DEMO label in *Opmerkingen*.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.config import REFERENCE_DIR, REPO_ROOT
from pipeline.ingest import coalitie_status as cs

SEED = 20191
DEMO_LABEL = "DEMO — synthetische cijfers"
DEFAULT_OUT_DIR = REPO_ROOT / "data" / "demo" / "coalitie_status"
TEMPLATES_DIR = REPO_ROOT / "data" / "inbox" / "templates"
TEMPLATE_STEM = "coalitie_zelfevaluatie_template"
YEARS = (2021, 2022, 2023, 2024)
NOT_ASSESSED = {2021: 0.14, 2022: 0.09, 2023: 0.06, 2024: 0.18}
MISSING_GGD_INDEX = 17  # this GGD-regio (in code order) sent no assessments in 2022
EASE = (1.6, 0.9, -0.7, 0.0, 0.4, 0.8, 0.5, 0.3, -0.4)  # eis 1 … 9
INTERVENTION_BASE = {  # landing column → probability at average maturity
    "interventie_stevig_ouderschap": 0.55,
    "interventie_centering_zwangerschap": 0.25,
    "interventie_centering_ouderschap": 0.12,
    "interventie_prenataal_huisbezoek": 0.50,
    "interventie_nu_niet_zwanger": 0.55,
    "interventie_voorzorg": 0.70,
}
REMARKS = {
    "ja": ("Vastgelegd in het convenant", "Besproken in het kernteam", "Zie jaarverslag"),
    "deels": ("In ontwikkeling", "Wordt dit jaar uitgewerkt", "Alleen voor een deel van de "
              "doelgroep", "Afspraken nog niet formeel vastgelegd"),
    "nee": ("Nog niet gestart", "Gepland voor volgend jaar", "Capaciteit ontbreekt"),
}
OTHER_INTERVENTIONS = ("Nu Niet Zwanger light", "Baby Buddy", "Samen Starten",
                       "Kansrijke Start-spreekuur", "Mamacafé")
FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2025-01-01T00:00:00Z"


# --------------------------------------------------------------------------------------------
# model


@dataclass(frozen=True)
class Gemeenten:
    """The current gemeenten (sorted by code) with the index of their GGD-regio."""

    codes: list[str]
    names: list[str]
    ggd: np.ndarray  # index into ggd_codes
    ggd_codes: list[str]  # sorted


def read_gemeenten(reference_dir: Path = REFERENCE_DIR) -> Gemeenten:
    """The 342 gemeenten of the 2025 classification, sorted by code."""
    with (reference_dir / "gemeenten_2025_ggd_provincie.csv").open(encoding="utf-8",
                                                                  newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["gemeente_code"])
    ggd_codes = sorted({r["ggd_code"] for r in rows})
    return Gemeenten([r["gemeente_code"] for r in rows], [r["gemeente_naam"] for r in rows],
                     np.array([ggd_codes.index(r["ggd_code"]) for r in rows]), ggd_codes)


@dataclass(frozen=True)
class Assessment:
    """One gemeente's synthetic self-assessment for one year (answers as template words)."""

    code: str
    name: str
    year: int
    when: date
    coalition: str
    requirements: tuple[str | None, ...]
    remarks: tuple[str | None, ...]
    ketenregisseur: str | None
    interventions: dict[str, str | None]
    other: str | None


def _band(score: np.ndarray) -> np.ndarray:
    return np.where(score > 0.6, "ja", np.where(score > -0.4, "deels", "nee"))


def _latent(rng: np.random.Generator, gm: Gemeenten) -> dict[str, np.ndarray]:
    """Per gemeente × year maturity and the fixed per-cell draws (draw order is fixed)."""
    n, n_ggd, t = len(gm.codes), len(gm.ggd_codes), np.array(YEARS) - YEARS[0]
    maturity = (rng.normal(0.0, 0.6, n_ggd)[gm.ggd] + rng.normal(0.0, 0.8, n))[:, None] \
        + 0.45 * t[None, :]
    fixed = rng.normal(0.0, 0.8, (n, len(EASE)))
    fresh = rng.normal(0.0, 0.8, (n, len(YEARS), len(EASE)))
    use_fresh = rng.random((n, len(YEARS), len(EASE))) < 0.04
    noise = np.where(use_fresh, fresh, fixed[:, None, :])
    scores = maturity[:, :, None] + np.array(EASE)[None, None, :] + noise
    coalition = maturity + 1.4 + rng.normal(0.0, 0.7, n)[:, None] > 0
    regional = rng.random(n_ggd) < 0.6
    joins = rng.integers(1, len(YEARS) + 2, n_ggd)  # year index the region gets a coordinator
    has_regisseur = (regional[:, None] | (np.arange(len(YEARS))[None, :] >= joins[:, None]))
    regisseur = has_regisseur[gm.ggd] ^ (rng.random((n, len(YEARS))) < 0.03)
    return {"maturity": maturity, "scores": scores, "coalition": coalition,
            "regisseur": regisseur}


def _interventions(rng: np.random.Generator, maturity: np.ndarray) -> dict[str, np.ndarray]:
    """Offered (bool, gemeente × year); once offered stays offered."""
    out = {}
    for column, base in INTERVENTION_BASE.items():
        logit = np.log(base / (1 - base)) + 0.8 * (maturity - maturity.mean())
        draws = rng.random(maturity.shape) < 1 / (1 + np.exp(-logit))
        out[column] = np.logical_or.accumulate(draws, axis=1)
    return out


def _assessed(rng: np.random.Generator, gm: Gemeenten) -> np.ndarray:
    """Bool gemeente × year: an assessment was submitted."""
    shares = np.array([NOT_ASSESSED[y] for y in YEARS])
    assessed = rng.random((len(gm.codes), len(YEARS))) >= shares[None, :]
    assessed[gm.ggd == MISSING_GGD_INDEX, YEARS.index(2022)] = False
    return assessed


def build_assessments(reference_dir: Path = REFERENCE_DIR,
                      seed: int = SEED) -> list[Assessment]:
    """Every synthetic assessment (gemeenten without one that year are left out)."""
    rng = np.random.default_rng(seed)
    gm = read_gemeenten(reference_dir)
    latent = _latent(rng, gm)
    offered = _interventions(rng, latent["maturity"])
    assessed = _assessed(rng, gm)
    blank = rng.random((len(gm.codes), len(YEARS), len(EASE) + 2)) < 0.01
    remark_draw = rng.random((len(gm.codes), len(YEARS), len(EASE)))
    remark_pick = rng.integers(0, 12, (len(gm.codes), len(YEARS), len(EASE)))
    day = rng.integers(0, 150, (len(gm.codes), len(YEARS)))
    other = rng.integers(-12, len(OTHER_INTERVENTIONS), (len(gm.codes), len(YEARS)))
    out = []
    for g, (code, name) in enumerate(zip(gm.codes, gm.names, strict=True)):
        for y, year in enumerate(YEARS):
            if not assessed[g, y]:
                continue
            has_coalition = bool(latent["coalition"][g, y])
            bands = _band(latent["scores"][g, y]) if has_coalition else ["nee"] * len(EASE)
            answers = tuple(None if blank[g, y, r] else str(b) for r, b in enumerate(bands))
            remarks = tuple(
                REMARKS[a][remark_pick[g, y, r] % len(REMARKS[a])]
                if a is not None and remark_draw[g, y, r] < (0.25 if a == "deels" else 0.06)
                else None for r, a in enumerate(answers))
            out.append(Assessment(
                code=code, name=name, year=year,
                when=date(year, 10, 1) + timedelta(days=int(day[g, y])),
                coalition="ja" if has_coalition else ("deels" if day[g, y] % 3 == 0 else "nee"),
                requirements=answers, remarks=remarks,
                ketenregisseur=None if blank[g, y, -1] else
                ("ja" if latent["regisseur"][g, y] else "nee"),
                interventions={c: None if blank[g, y, -2] else ("ja" if v[g, y] else "nee")
                               for c, v in offered.items()},
                other=OTHER_INTERVENTIONS[other[g, y]] if other[g, y] >= 0 else None,
            ))
    return out


# --------------------------------------------------------------------------------------------
# writers


def _row(a: Assessment, date_format: str, with_code: bool = True) -> list[str]:
    reqs = [v for answer, remark in zip(a.requirements, a.remarks, strict=True)
            for v in (answer or "", remark or "")]
    return [a.code if with_code else "", a.name, str(a.year), a.when.strftime(date_format),
            a.coalition, *reqs, a.ketenregisseur or "",
            *[a.interventions[c] or "" for c in cs.INTERVENTIONS], a.other or "",
            DEMO_LABEL]


def csv_text(rows: list[list[str]], sep: str, title: str | None = None) -> str:
    """The template as delimited text (header, then ``rows``), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    if title:
        writer.writerow([title])
    writer.writerow(cs.template_headers())
    writer.writerows(rows)
    return buffer.getvalue()


def _deterministic(data: bytes) -> bytes:
    """Rewrite an XLSX zip with fixed entry times and fixed document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + FIXED_DOC_TIME.encode(), body)
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME), body,
                          compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _explanation_lines() -> list[tuple[str, str]]:
    reqs = [(f"Eis {n}", text) for n, text in enumerate(cs.REQUIREMENT_TEXTS, start=1)]
    return [
        ("Toets minimale eisen lokale coalitie Kansrijke Start", ""),
        ("Waarvoor", "Zelfevaluatie per gemeente per jaar; de Kansrijk Monitor toont per "
                     "gemeente, GGD-regio, provincie en eigen regio hoeveel gemeenten aan elke "
                     "eis voldoen."),
        ("Eén rij", "Per gemeente per jaar precies één rij. Gemeentecode (CBS, indeling 2025, "
                    "bijv. GM0363) en/of Gemeentenaam zoals CBS die schrijft."),
        ("Jaar", "Het jaar waarover de beoordeling gaat (bijv. 2024)."),
        ("Datum beoordeling", "Datum van de zelfevaluatie (bijv. 15-03-2025), uiterlijk een "
                              "jaar voor of na het Jaar."),
        ("Antwoorden", "Lokale coalitie en de negen eisen: ja / deels / nee. Ketenregisseur en "
                       "interventies: ja / nee. Leeg of 'onbekend' = niet ingevuld; dat telt "
                       "nooit als 'nee'."),
        ("Voldoet", "Alleen 'ja' telt als voldaan; 'deels' wordt apart geteld en telt niet "
                    "als voldaan."),
        *reqs,
        ("Toelichting eis N", "Vrije tekst bij eis N (optioneel)."),
        ("Regionale ketenregisseur", "Is er een regionale ketenregisseur Kansrijke Start?"),
        ("Interventies", "Per interventie: wordt die in de gemeente aangeboden? (Stevig "
                         "Ouderschap, CenteringZwangerschap, CenteringOuderschap, Prenataal "
                         "huisbezoek, Nu Niet Zwanger, VoorZorg). Andere: 'Overige "
                         "interventies'."),
        ("Bestand", "Sla op als .xlsx (dit tabblad mag blijven) of als .csv (; of ,; UTF-8 "
                    "of Windows-1252). Zet het in data/inbox/ en ververs in live-modus "
                    "(make refresh ARGS=\"--mode live\"), of gebruik kansrijk ingest "
                    "--mode live --source coalitie_status --file PAD."),
    ]


def workbook_bytes(rows: list[list[object]], title: str) -> bytes:
    """The XLSX template (title rows, header, answer drop-downs, explanation sheet), filled."""
    wb = openpyxl.Workbook()
    wb.properties.creator = "Kansrijk Monitor"
    ws = wb.active
    ws.title = "Zelfevaluatie"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Eén rij per gemeente per jaar. Antwoorden: ja / deels / nee (leeg = onbekend). "
               "Zie het tabblad Toelichting."])
    ws.append([])
    headers = cs.template_headers()
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    last = header_row + max(len(rows), 400)
    lists = {'"ja,deels,nee"': [cs.COALITION, *cs.REQUIREMENT_HEADERS],
             '"ja,nee"': [cs.KETENREGISSEUR, *cs.INTERVENTIONS.values()]}
    for formula, names in lists.items():
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        ws.add_data_validation(validation)
        for name in names:
            letter = get_column_letter(headers.index(name) + 1)
            validation.add(f"{letter}{header_row + 1}:{letter}{last}")
    for i, name in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 14 if len(name) < 14 else 22
    info = wb.create_sheet("Toelichting")
    for key, text in _explanation_lines():
        info.append([key, text])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 110
    buffer = io.BytesIO()
    wb.save(buffer)
    return _deterministic(buffer.getvalue())


def _excel_row(a: Assessment) -> list[object]:
    row: list[object] = _row(a, "%Y-%m-%d")
    row[2] = a.year
    row[3] = a.when  # a real Excel date
    return [v if v != "" else None for v in row]


# --------------------------------------------------------------------------------------------
# entry points


def _readme(counts: dict[str, int]) -> str:
    rows = "\n".join(f"| `{name}` | {n} |" for name, n in sorted(counts.items()))
    return f"""# coalitie_status — {DEMO_LABEL}

Written by `python -m pipeline.demo_coalitie` (module `pipeline/demo_coalitie.py`, which
documents the model; seed {SEED}). **All assessments are SYNTHETIC**: no gemeente filled these
in. The files are the template of `data/inbox/templates/` filled in, in the formats users
produce (CSV with `;` or `,`, UTF-8 with/without BOM or cp1252, XLSX with title rows; the 2022
file identifies gemeenten by name only). Gemeenten without a row in a year have no assessment
that year (in 2022 a whole GGD-regio sent nothing).

| file | rows |
|---|---|
{rows}
"""


def generate(out_dir: Path = DEFAULT_OUT_DIR, reference_dir: Path = REFERENCE_DIR) -> list[Path]:
    """Write the demo payload into ``out_dir`` (previous files removed); return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if old.is_file():
            old.unlink()
    assessments = build_assessments(reference_dir)
    by_year = {y: [a for a in assessments if a.year == y] for y in YEARS}
    stem = "DEMO_coalitie_zelfevaluatie"
    files = {
        f"{stem}_2021.csv": ("\ufeff" + csv_text([_row(a, "%d-%m-%Y") for a in by_year[2021]],
                                                 ";", DEMO_LABEL)).encode("utf-8"),
        f"{stem}_2022.csv": csv_text([_row(a, "%Y-%m-%d", with_code=False)
                                      for a in by_year[2022]], ",", DEMO_LABEL).encode("cp1252"),
        f"{stem}_2023.csv": csv_text([_row(a, "%d/%m/%Y") for a in by_year[2023]], ";",
                                     DEMO_LABEL).encode("utf-8"),
        f"{stem}_2024.xlsx": workbook_bytes([_excel_row(a) for a in by_year[2024]],
                                            f"Zelfevaluatie coalitie Kansrijke Start — "
                                            f"{DEMO_LABEL}"),
    }
    written = []
    for name, body in files.items():
        (out_dir / name).write_bytes(body)
        written.append(out_dir / name)
    counts = {name: len(by_year[int(Path(name).stem[-4:])]) for name in files}
    (out_dir / "README.md").write_bytes(_readme(counts).encode("utf-8"))
    written.append(out_dir / "README.md")
    return sorted(written)


TEMPLATE_README = """# Invoersjabloon: zelfevaluatie lokale coalitie Kansrijke Start

Twee gelijke sjablonen: `{stem}.xlsx` (met keuzelijsten en een tabblad *Toelichting*) en
`{stem}.csv` (puntkomma, UTF-8 met BOM). Vul per gemeente per jaar één rij in, zet het bestand
in `data/inbox/` (of `kansrijk ingest --mode live --source coalitie_status --file PAD`) en
ververs in live-modus (`make refresh ARGS="--mode live"`).

- **Gemeentecode** en/of **Gemeentenaam**: CBS-code van de indeling 2025 (bijv. `GM0363`)
  en/of de naam zoals CBS die schrijft; minstens één van beide.
- **Jaar**: het jaar waarover de beoordeling gaat.
- **Datum beoordeling**: bijv. `15-03-2025` of `2025-03-15`; hoogstens een jaar voor of na
  *Jaar*.
- **Lokale coalitie**: `ja` / `deels` / `nee`.
- **Eis 1 … Eis 9**: `ja` / `deels` / `nee`; de kolomnaam moet beginnen met `Eis N`.
- **Toelichting eis N**: vrije tekst (optioneel).
- **Regionale ketenregisseur**: `ja` / `nee`.
- **Stevig Ouderschap, CenteringZwangerschap, CenteringOuderschap, Prenataal huisbezoek,
  Nu Niet Zwanger, VoorZorg**: `ja` / `nee`: wordt de interventie in de gemeente aangeboden.
- **Overige interventies**, **Opmerkingen**: vrije tekst.

Leeg of `onbekend` betekent *niet ingevuld* en telt nooit als `nee`. Alleen `ja` telt als
voldaan; `deels` wordt apart geteld. Een gemeente zonder rij in een jaar heet in de monitor
*geen beoordeling*.

De negen minimale eisen (Toets minimale eisen lokale coalitie Kansrijke Start):

{requirements}

Kolomnamen mogen in hoofd- of kleine letters en met andere spaties; titelregels boven de
kolomkoppen mogen blijven staan. Een onbekende gemeente, een ongeldig antwoord, een onleesbare
datum of een tweede rij voor dezelfde gemeente en hetzelfde jaar stopt de verversing met één
regel die bestand, rij en kolom noemt.
"""


def write_templates(folder: Path = TEMPLATES_DIR) -> list[Path]:
    """Write the empty CSV and XLSX templates and their README into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    requirements = "\n".join(f"{n}. {text}" for n, text in
                             enumerate(cs.REQUIREMENT_TEXTS, start=1))
    files = {
        f"{TEMPLATE_STEM}.csv": ("\ufeff" + csv_text([], ";")).encode("utf-8"),
        f"{TEMPLATE_STEM}.xlsx": workbook_bytes(
            [], "Toets minimale eisen lokale coalitie Kansrijke Start — zelfevaluatie"),
        "README.md": TEMPLATE_README.format(stem=TEMPLATE_STEM,
                                            requirements=requirements).encode("utf-8"),
    }
    for name, body in files.items():
        (folder / name).write_bytes(body)
    return sorted(folder / name for name in files)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--templates"]:
        written = write_templates(Path(args[1]) if len(args) > 1 else TEMPLATES_DIR)
    else:
        written = generate(Path(args[0]) if args else DEFAULT_OUT_DIR)
    print(f"wrote {len(written)} files to {written[0].parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
