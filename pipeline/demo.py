"""Deterministic synthetic demo payloads, written in the formats of the real sources.

``python -m pipeline.demo [out_dir]`` (default ``data/demo``) or :func:`generate` writes:

============================  ===============================================================
``cbs_geboorten/``            CBS OData v3 pages of table 37230ned (DataProperties + paged
                              TypedDataSet JSON) — SYNTHETIC
``perined_kerncijfers/``      a Perined-style "perinatale kerncijfers per gemeente" CSV —
                              SYNTHETIC
``rivm_kansrijke_start/``     one CSV per indicator as RIVM's monitor code (rivm-syso/DIAPER)
                              writes it — SYNTHETIC
``rivm_vaccinatiegraad/``     a byte copy of the REAL RIVM file of infant MMR coverage
                              2006–2014 (``data/reference`` provenance: kostermm/HM)
``cbs_bevolking/``            CBS 03759ned pages: women 15–45 by 5-year age group — SYNTHETIC
``cbs_gebieden/``             CBS 86059NED "Gebieden in Nederland 2025" pages: the REAL
                              reference classification re-encoded in the OData shape
``cbs_laag_inkomen/``         CBS 85678NED pages: minors in low-income households — SYNTHETIC
``README.md``                 what each file is
============================  ===============================================================

Nothing here is a real figure except the vaccination file and the reference geography
(``data/reference/gemeenten_2025_ggd_provincie.csv``: 342 gemeenten, their GGD-regio and
provincie). Every JSON file carries ``"kansrijk_demo": "DEMO — synthetische cijfers"``.

Model
-----
Seed: ``numpy.random.default_rng(20181)``; all draws happen in a fixed order, numbers are
formatted explicitly, so every run writes byte-identical files.

*Births.* Each gemeente gets a base size (live births per year). A few are anchored at
realistic magnitudes (Amsterdam 9,500, Rotterdam 7,000, 's-Gravenhage 6,800, Utrecht 4,200;
about twenty other large cities at 900–2,400, Voorne aan Zee at 560 so that its three
predecessors in the 2022 file are plausible; the smallest gemeenten Schiermonnikoog,
Vlieland, Rozendaal, Ameland and Terschelling at 7–30 births); the others are lognormal
(sigma 0.7) clipped to 40–1,400 and scaled so that all sizes add up to the national targets.
Each gemeente has a growth rate; the expected births per year are scaled so that their national
sum equals the real CBS totals of live births 2015–2024 (:data:`NATIONAL_LIVE_BIRTHS`, used as
*national targets only*; the regional figures are invented) minus about 300 births without a
gemeente address; observed births are Poisson draws. The national row ``NL01`` is the sum of the
gemeenten plus 150–450 such births, as CBS delivers a national total of its own; provincies are
sums of their gemeenten. Population and deaths follow from invented birth and death rates.

*Indicators.* Every gemeente has a true rate per indicator::

    rate = national level × GGD effect × local effect × time trend

with the GGD and local effects lognormal (log-sd 0.04–0.15 per indicator) and partly driven by a
shared deprivation score (the four big cities high), normalised so that the birth-weighted
national mean equals the national level. The time trend is a slight improvement after 2018
(start of the Kansrijke Start programme) in about 40% of gemeenten (0.5–2% per year). Observed
counts are binomial draws from these rates, so small gemeenten are noisy.

National levels (:data:`LEVELS`; order of magnitude from public national figures named in
``shared/SOURCES.md``, otherwise invented but plausible): preterm < 37 wk 7.0%, SGA < p10 9.5%,
Big2 14.8% of born ≥ 24 wk, perinatal mortality 7.5‰ of all born ≥ 22 wk (stillbirths plus
deaths up to 7 days), late start of antenatal care 14% of pregnancies ≥ 24 wk; women 19–45 who
smoke 15%, parents with psychological problems 20%, parents with problematic debts 5%, multiple
vulnerability 10%, no maternity care 3.5% of live births, out-of-home placement 0–2 5 per 1000
children under 2. Preterm, SGA and Big2 are drawn coherently (Big2 = preterm ≥ 24 wk or SGA;
all births of 22–23 weeks are preterm).

Suppression follows the publishers: Perined writes a count and its percentage as ``.`` when the
count or its complement is below 10; RIVM writes both ``n_1`` and ``n_0`` as ``"<10"`` when
either is below 10; about 1% of CBS death cells are null (as suppressed cells in TypedDataSet).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline import demo_coalitie

REPO_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
DEFAULT_OUT_DIR = REPO_ROOT / "data" / "demo"
VACCINATION_NAME = "Vacc2013_BMR_zuigelingen.csv"
# The real RIVM file (byte copy of kostermm/HM data/Vacc2013_BMR_zuigelingen.csv). The first
# existing candidate is copied; on a clone without the shared reference folder, the committed
# demo copy itself is the source (so regeneration never loses it).
VACCINATION_SOURCES = (
    Path("/work/shared/reference/rivm_rvp_bmr_zuigelingen_2006_2014_gem2013.raw.csv"),
    DEFAULT_OUT_DIR / "rivm_vaccinatiegraad" / VACCINATION_NAME,
)

SEED = 20181
DEMO_LABEL = "DEMO — synthetische cijfers"
YEARS = tuple(range(2015, 2025))
# Real CBS totals of live births in the Netherlands, used as national targets only.
NATIONAL_LIVE_BIRTHS = {2015: 170510, 2016: 172520, 2017: 169836, 2018: 168525, 2019: 169680,
                        2020: 168678, 2021: 179669, 2022: 167504, 2023: 163781, 2024: 165000}
UNKNOWN_ADDRESS_BIRTHS = 300  # expected births per year without a gemeente address (NL01 only)

# Anchored base sizes (live births per year; rough magnitudes, synthetic like everything else)
ANCHORS = {
    "GM0363": 9500, "GM0599": 7000, "GM0518": 6800, "GM0344": 4200,  # the four big cities
    "GM0034": 2400, "GM0772": 2300, "GM0855": 2100, "GM0014": 2000, "GM0758": 1750,
    "GM0392": 1750, "GM0202": 1750, "GM0307": 1750, "GM0394": 1700, "GM0268": 1650,
    "GM0479": 1650, "GM0200": 1550, "GM0796": 1550, "GM0153": 1450, "GM0193": 1450,
    "GM0228": 1450, "GM0546": 1250, "GM0637": 1200, "GM0505": 1200, "GM1783": 1200,
    "GM0935": 900, "GM1992": 560,
    "GM0088": 7, "GM0096": 8, "GM0277": 12, "GM0060": 26, "GM0093": 30,  # the smallest
}
OTHER_SIZE_RANGE = (40.0, 1400.0)
# deprivation score of the big cities (others: standard normal)
DEPRIVATION = {"GM0599": 1.8, "GM0518": 1.4, "GM0363": 1.0, "GM0344": 0.3}


@dataclass(frozen=True)
class Level:
    """National level and spread of one indicator's true rates."""

    national: float  # proportion (0.07 = 7%)
    deprivation: float  # log-rate change per unit of deprivation score
    ggd_sd: float  # log-sd of the GGD effect
    local_sd: float  # log-sd of the gemeente effect
    responsive: float  # share of the programme trend this indicator follows


LEVELS = {
    "vroeggeboorte": Level(0.070, 0.05, 0.04, 0.06, 0.3),
    "sga": Level(0.095, 0.08, 0.05, 0.07, 0.3),
    "perinatale_sterfte": Level(0.0075, 0.10, 0.06, 0.08, 0.3),
    "late_start_zorg": Level(0.14, 0.25, 0.10, 0.15, 1.0),
    "roken_vrouwen_19_45": Level(0.15, 0.20, 0.08, 0.12, 1.0),
    "psychische_problemen_ouders": Level(0.20, 0.12, 0.06, 0.10, 0.5),
    "problematische_schulden_ouders": Level(0.05, 0.45, 0.10, 0.15, 0.5),
    "meervoudige_kwetsbaarheid": Level(0.10, 0.35, 0.08, 0.12, 0.5),
    "geen_kraamzorg": Level(0.035, 0.45, 0.12, 0.15, 0.5),
    "uithuisplaatsing_0_2": Level(0.005, 0.35, 0.10, 0.15, 0.5),
}
BIG2_NATIONAL = 0.148
BIRTHS_22_23_WEEKS = 0.003  # share of all born ≥ 22 wk born at 22–23 weeks (all preterm)
SGA_AMONG_PRETERM = 0.20
STILLBIRTH_SHARE = 0.6  # share of perinatal deaths that are stillbirths
SECOND_TWIN_SHARE = 0.016  # births ≥ 24 wk that are not a separate pregnancy

# 2022 classification (debts file): GM1992 Voorne aan Zee was three gemeenten, Weesp was separate
SPLIT_2022 = {
    "GM1992": [("GM0501", "Brielle", 0.243, 0.9), ("GM0530", "Hellevoetsluis", 0.556, 1.25),
               ("GM0614", "Westvoorne", 0.201, 0.15)],
    "GM0363": [("GM0363", "Amsterdam", 0.98, 1.0), ("GM0457", "Weesp", 0.02, 0.6)],
}  # successor → [(code, name, share of births, rate factor)]

CBS_ROOT = "https://opendata.cbs.nl/ODataApi/odata/37230ned"
CBS_PAGE_SIZE = 1000
PERINED_FILE = "DEMO_perined_kerncijfers_gemeenten_2015-2024.csv"
PERINED_POOLED = ("2016-2018", "2019-2021", "2022-2024")
NL_UNKNOWN_ADDRESS_SHARE = 0.002  # RIVM's NL01 includes parents without a gemeente address
PERINED_POOL_BELOW = 100  # gemeenten with fewer births a year also get pooled 3-year rows
PERINED_HEADER = [
    "Gemeentecode", "Gemeentenaam", "Periode", "Totaal geboren (>= 22 wk)",
    "Vroeggeboorte < 37 wk (n)", "Vroeggeboorte < 37 wk (%)", "SGA < p10 (n)", "SGA < p10 (%)",
    "Geboren >= 24 wk (n)", "Big2 (n)", "Big2 (%)", "Perinatale sterfte (n)",
    "Perinatale sterfte (promille)", "Zwangerschappen >= 24 wk (n)", "Start zorg na 10 wk (n)",
    "Start zorg na 10 wk (%)",
]


# --------------------------------------------------------------------------------------------
# reference


@dataclass(frozen=True)
class Gemeenten:
    codes: list[str]
    names: list[str]
    ggd: np.ndarray  # index into the sorted GGD codes
    provincie: list[str]
    ggd_codes: list[str]  # sorted GGD codes (index target of ``ggd``)
    ggd_names: list[str]


def read_gemeenten(reference_dir: Path = REFERENCE_DIR) -> Gemeenten:
    """The 342 gemeenten of the 2025 classification, sorted by code."""
    with (reference_dir / "gemeenten_2025_ggd_provincie.csv").open(encoding="utf-8",
                                                                  newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["gemeente_code"])
    ggd_codes = sorted({r["ggd_code"] for r in rows})
    return Gemeenten(
        codes=[r["gemeente_code"] for r in rows],
        names=[r["gemeente_naam"] for r in rows],
        ggd=np.array([ggd_codes.index(r["ggd_code"]) for r in rows]),
        provincie=[r["provincie_code"] for r in rows],
        ggd_codes=ggd_codes,
        ggd_names=[next(r["ggd_naam"] for r in rows if r["ggd_code"] == c) for c in ggd_codes],
    )


# --------------------------------------------------------------------------------------------
# model


@dataclass
class Model:
    """The simulated truth and counts (gemeente × year arrays, years = :data:`YEARS`)."""

    gemeenten: Gemeenten
    base: np.ndarray  # base size (births a year)
    births: np.ndarray  # observed live births
    unknown_births: np.ndarray  # per year, births without a gemeente address
    population: np.ndarray
    deaths: np.ndarray
    deaths_null: np.ndarray  # bool: the CBS cell is suppressed (null)
    rates: dict[str, np.ndarray]  # true rates per indicator (gemeente × year)
    perined: dict[str, np.ndarray]  # Perined counts per column key


def _scale_sizes(raw: np.ndarray, target: float) -> np.ndarray:
    """Scale ``raw`` and clip it to :data:`OTHER_SIZE_RANGE` so that it sums to ``target``."""
    lo, hi = 0.0, 10.0 * target / raw.sum()
    for _ in range(80):
        mid = (lo + hi) / 2
        if np.clip(raw * mid, *OTHER_SIZE_RANGE).sum() < target:
            lo = mid
        else:
            hi = mid
    return np.clip(raw * (lo + hi) / 2, *OTHER_SIZE_RANGE)


def _births(rng: np.random.Generator, gm: Gemeenten) -> tuple[np.ndarray, ...]:
    n = len(gm.codes)
    anchored = np.array([c in ANCHORS for c in gm.codes])
    base = np.array([float(ANCHORS.get(c, 0)) for c in gm.codes])
    mean_target = np.mean(list(NATIONAL_LIVE_BIRTHS.values())) - UNKNOWN_ADDRESS_BIRTHS
    raw = rng.lognormal(0.0, 0.7, size=n)
    base[~anchored] = _scale_sizes(raw[~anchored], mean_target - base[anchored].sum())
    growth = rng.normal(0.003, 0.006, size=n)
    growth[[gm.codes.index(c) for c in DEPRIVATION]] = 0.008
    t = np.array(YEARS) - 2020
    expected = base[:, None] * np.exp(growth[:, None] * t[None, :])
    targets = np.array([NATIONAL_LIVE_BIRTHS[y] for y in YEARS]) - UNKNOWN_ADDRESS_BIRTHS
    expected *= targets / expected.sum(axis=0)
    births = rng.poisson(expected)
    unknown = rng.integers(150, 451, size=len(YEARS))
    birth_rate = rng.lognormal(np.log(0.0098), 0.12, size=n)
    for code, pop in {"GM0363": 872757, "GM0599": 651446, "GM0518": 545838, "GM0344": 357179,
                      "GM0088": 932, "GM0096": 1132, "GM0060": 3708, "GM0093": 4906,
                      "GM0277": 1714}.items():
        birth_rate[gm.codes.index(code)] = ANCHORS[code] / pop
    population = np.rint(base[:, None] / birth_rate[:, None]
                         * np.exp(growth[:, None] * t[None, :])).astype(np.int64)
    death_rate = rng.lognormal(np.log(0.0088), 0.15, size=n)
    covid = np.array([1.08 if y in (2020, 2021, 2022) else 1.0 for y in YEARS])
    ageing = 1 + 0.01 * (np.array(YEARS) - 2015)
    deaths = rng.poisson(population * death_rate[:, None] * (covid * ageing)[None, :])
    deaths_null = rng.random(size=deaths.shape) < 0.01
    return base, births, unknown, population, deaths, deaths_null


def _rates(rng: np.random.Generator, gm: Gemeenten, base: np.ndarray) -> dict[str, np.ndarray]:
    n, n_ggd = len(gm.codes), int(gm.ggd.max()) + 1
    deprivation = rng.normal(0.0, 1.0, size=n)
    for code, score in DEPRIVATION.items():
        deprivation[gm.codes.index(code)] = score
    active = rng.random(size=n) < 0.4
    slope = np.where(active, rng.uniform(0.005, 0.02, size=n), 0.0)
    after = np.maximum(np.array(YEARS) - 2018, 0)
    rates = {}
    for code, level in LEVELS.items():
        ggd_effect = rng.normal(0.0, level.ggd_sd, size=n_ggd)[gm.ggd]
        local = rng.normal(0.0, level.local_sd, size=n)
        relative = np.exp(level.deprivation * deprivation + ggd_effect + local)
        relative /= np.average(relative, weights=base)
        trend = np.exp(-level.responsive * slope[:, None] * after[None, :])
        rates[code] = np.minimum(level.national * relative[:, None] * trend, 0.9)
    return rates


def _perined(rng: np.random.Generator, births: np.ndarray,
             rates: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Coherent Perined counts from live births and the true rates."""
    pm = rates["perinatale_sterfte"]
    still = rng.binomial(births, np.minimum(pm * STILLBIRTH_SHARE, 0.5))
    total = births + still
    early = rng.binomial(births, pm * (1 - STILLBIRTH_SHARE))
    very_early = rng.binomial(total, BIRTHS_22_23_WEEKS)
    born24 = total - very_early
    preterm24 = rng.binomial(born24, np.maximum(rates["vroeggeboorte"] - BIRTHS_22_23_WEEKS, 0))
    sga_share_term = (BIG2_NATIONAL - LEVELS["vroeggeboorte"].national + BIRTHS_22_23_WEEKS) / (
        1 - LEVELS["vroeggeboorte"].national + BIRTHS_22_23_WEEKS)
    sga_relative = rates["sga"] / LEVELS["sga"].national
    sga_term = rng.binomial(born24 - preterm24, np.minimum(sga_share_term * sga_relative, 0.9))
    sga_preterm = rng.binomial(preterm24, SGA_AMONG_PRETERM)
    pregnancies24 = born24 - rng.binomial(born24, SECOND_TWIN_SHARE)
    late = rng.binomial(pregnancies24, rates["late_start_zorg"])
    return {"total": total, "preterm": preterm24 + very_early, "sga": sga_term + sga_preterm,
            "born24": born24, "big2": preterm24 + sga_term, "perinatal_deaths": still + early,
            "pregnancies24": pregnancies24, "late_start": late}


def build_model(reference_dir: Path = REFERENCE_DIR,
                rng: np.random.Generator | None = None) -> Model:
    """Simulate births, deaths, true rates and Perined counts.

    Deterministic: without ``rng`` a fresh ``default_rng(SEED)`` is used.
    """
    rng = np.random.default_rng(SEED) if rng is None else rng
    gm = read_gemeenten(reference_dir)
    base, births, unknown, population, deaths, deaths_null = _births(rng, gm)
    rates = _rates(rng, gm, base)
    perined = _perined(rng, births, rates)
    return Model(gm, base, births, unknown, population, deaths, deaths_null, rates, perined)


# --------------------------------------------------------------------------------------------
# writers


def _json_bytes(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _data_properties() -> dict:
    def topic(id_: int, key: str, title: str, description: str) -> dict:
        return {"odata.type": "Cbs.OData.Topic", "ID": id_, "Position": id_, "ParentID": None,
                "Type": "Topic", "Key": key, "Title": title, "Description": description,
                "Datatype": "Long", "Unit": "aantal", "Decimals": 0, "Default": "Impossible",
                "PresentationType": "Absolute"}

    return {
        "odata.metadata": f"{CBS_ROOT}/$metadata#Cbs.OData.WebAPI.DataProperties",
        "kansrijk_demo": DEMO_LABEL,
        "value": [
            {"odata.type": "Cbs.OData.GeoDimension", "ID": 0, "Position": 0, "ParentID": None,
             "Type": "GeoDimension", "Key": "RegioS", "Title": "Regio's",
             "Description": "Gemeenten, provincies en Nederland (indeling 2025).",
             "ReleasePolicy": False, "MapYear": "2025"},
            {"odata.type": "Cbs.OData.TimeDimension", "ID": 1, "Position": 1, "ParentID": None,
             "Type": "TimeDimension", "Key": "Perioden", "Title": "Perioden",
             "Description": "", "ReleasePolicy": True},
            topic(2, "BevolkingAanHetBeginVanDePeriode_1",
                  "Bevolking aan het begin van de periode",
                  "Inwoners op de eerste dag van de periode."),
            topic(3, "LevendGeborenKinderen_2", "Levend geboren kinderen",
                  "Levend geboren kinderen van moeders die in Nederland wonen."),
            topic(4, "Overledenen_3", "Overledenen", "Overleden inwoners."),
        ],
    }


def _cbs_records(model: Model) -> list[dict]:
    gm = model.gemeenten
    provincies = sorted(set(gm.provincie))
    pv = np.array([provincies.index(p) for p in gm.provincie])
    regions: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    regions.append(("NL01", model.population.sum(axis=0),
                    model.births.sum(axis=0) + model.unknown_births,
                    model.deaths.sum(axis=0), np.zeros(len(YEARS), dtype=bool)))
    for i, code in enumerate(provincies):
        rows = pv == i
        regions.append((code, model.population[rows].sum(axis=0), model.births[rows].sum(axis=0),
                        model.deaths[rows].sum(axis=0), np.zeros(len(YEARS), dtype=bool)))
    for i, code in enumerate(gm.codes):
        regions.append((code, model.population[i], model.births[i], model.deaths[i],
                        model.deaths_null[i]))
    records = []
    for code, population, births, deaths, deaths_null in regions:
        for j, year in enumerate(YEARS):
            records.append({
                "ID": len(records), "RegioS": code.ljust(10), "Perioden": f"{year}JJ00",
                "BevolkingAanHetBeginVanDePeriode_1": int(population[j]),
                "LevendGeborenKinderen_2": int(births[j]),
                "Overledenen_3": None if bool(deaths_null[j]) else int(deaths[j]),
            })
    return records


def write_cbs(model: Model, folder: Path) -> list[Path]:
    """DataProperties.json and TypedDataSet_skipNNNNN.json pages (1000 rows each)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "DataProperties.json"]
    written[0].write_bytes(_json_bytes(_data_properties()))
    records = _cbs_records(model)
    for skip in range(0, len(records), CBS_PAGE_SIZE):
        body: dict = {"odata.metadata": f"{CBS_ROOT}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
                      "kansrijk_demo": DEMO_LABEL,
                      "value": records[skip:skip + CBS_PAGE_SIZE]}
        if skip + CBS_PAGE_SIZE < len(records):
            body["odata.nextLink"] = (f"{CBS_ROOT}/TypedDataSet?$format=json"
                                      f"&$skip={skip + CBS_PAGE_SIZE}")
        path = folder / f"TypedDataSet_skip{skip:05d}.json"
        path.write_bytes(_json_bytes(body))
        written.append(path)
    return written


def _nl(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _suppressible(n: int, d: int, multiplier: int) -> tuple[str, str]:
    """Perined cells (count, rate) with suppression of counts or complements below 10."""
    if n < 10 or d - n < 10:
        return ".", "."
    return str(n), _nl(multiplier * n / d)


def _perined_row(code: str, name: str, period: str, c: dict[str, int]) -> list[str]:
    total = c["total"]
    return [
        code, name, period, str(total),
        *_suppressible(c["preterm"], total, 100),
        *_suppressible(c["sga"], total, 100),
        str(c["born24"]), *_suppressible(c["big2"], c["born24"], 100),
        *_suppressible(c["perinatal_deaths"], total, 1000),
        str(c["pregnancies24"]), *_suppressible(c["late_start"], c["pregnancies24"], 100),
    ]


def write_perined(model: Model, folder: Path) -> list[Path]:
    """One CSV: UTF-8 with BOM, ';', decimal comma, CRLF; yearly and pooled 3-year rows."""
    folder.mkdir(parents=True, exist_ok=True)
    gm, counts = model.gemeenten, model.perined
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(PERINED_HEADER)
    for i, code in enumerate(gm.codes):
        for j, year in enumerate(YEARS):
            row = {k: int(v[i, j]) for k, v in counts.items()}
            writer.writerow(_perined_row(code, gm.names[i], str(year), row))
        if model.base[i] < PERINED_POOL_BELOW:
            for period in PERINED_POOLED:
                first, last = (int(p) for p in period.split("-"))
                cols = [YEARS.index(y) for y in range(first, last + 1)]
                row = {k: int(v[i, cols].sum()) for k, v in counts.items()}
                writer.writerow(_perined_row(code, gm.names[i], period, row))
    _write_perined_regions(writer, model)
    path = folder / PERINED_FILE
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return [path]


def _write_perined_regions(writer: csv.writer, model: Model) -> None:  # type: ignore[valid-type]
    """Region rows as Perined publishes them beside the gemeenten: each GGD-regio and NL01.

    Their counts are the sums of the *unsuppressed* gemeente counts, so a region total stays
    known even where small member gemeenten are suppressed in the file.
    """
    gm, counts = model.gemeenten, model.perined
    regions = [(code, name, gm.ggd == k) for k, (code, name)
               in enumerate(zip(gm.ggd_codes, gm.ggd_names, strict=True))]
    regions.append(("NL01", "Nederland", np.ones(len(gm.codes), dtype=bool)))
    for code, name, members in regions:
        for j, year in enumerate(YEARS):
            row = {k: int(v[members, j].sum()) for k, v in counts.items()}
            writer.writerow(_perined_row(code, name, str(year), row))


# --------------------------------------------------------------------------------------------
# RIVM Kansrijke Start (DIAPER layout)


@dataclass(frozen=True)
class RivmFile:
    """One indicator file and the physical format it is written in."""

    indicator: str
    gem_column: str  # gem2023 or gem2022
    style: str  # 'write.csv', 'write.csv2' or 'plain'
    numeric_codes: bool
    periods: tuple[str, ...]


def _five_year(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{y}-{y + 4}" for y in range(first, last - 3))


RIVM_FILES = (
    RivmFile("roken_vrouwen_19_45", "gem2023", "write.csv", False,
             tuple(str(y) for y in range(2016, 2025))),
    RivmFile("psychische_problemen_ouders", "gem2023", "write.csv2", True,
             tuple(str(y) for y in range(2015, 2024))),
    RivmFile("problematische_schulden_ouders", "gem2022", "write.csv", True,
             _five_year(2015, 2022)),
    RivmFile("meervoudige_kwetsbaarheid", "gem2023", "write.csv2", False,
             tuple(str(y) for y in range(2015, 2024))),
    RivmFile("geen_kraamzorg", "gem2023", "plain", True,
             tuple(str(y) for y in range(2015, 2024))),
    RivmFile("uithuisplaatsing_0_2", "gem2023", "write.csv2", False, _five_year(2015, 2023)),
)


def _denominators(rng: np.random.Generator, indicator: str, births: np.ndarray) -> np.ndarray:
    """Yearly denominators per gemeente (rows) for a RIVM indicator."""
    if indicator == "roken_vrouwen_19_45":  # survey-like sample of women 19–45
        return rng.poisson(4.0 * births)
    if indicator in ("psychische_problemen_ouders", "problematische_schulden_ouders"):
        return rng.binomial(2 * births, 0.95)  # parents of children born ≥ 24 weeks
    if indicator == "uithuisplaatsing_0_2":  # children under 2 (two birth cohorts)
        return rng.binomial(2 * births, 0.99)
    return births  # children born / live births


def _units_2022(rng: np.random.Generator, model: Model, rates: np.ndarray):  # noqa: ANN202
    """Codes, births and rates of the 345 gemeenten of the 2022 classification."""
    gm = model.gemeenten
    codes, births, unit_rates = [], [], []
    for i, code in enumerate(gm.codes):
        if code not in SPLIT_2022:
            codes.append(code)
            births.append(model.births[i])
            unit_rates.append(rates[i])
            continue
        parts = SPLIT_2022[code]
        shares = np.array([p[2] for p in parts])
        split = np.array([rng.multinomial(b, shares / shares.sum()) for b in model.births[i]])
        for k, (part_code, _, _, factor) in enumerate(parts):
            codes.append(part_code)
            births.append(split[:, k])
            unit_rates.append(np.minimum(rates[i] * factor, 0.9))
    order = np.argsort(codes, kind="stable")
    return ([codes[k] for k in order], np.array(births)[order], np.array(unit_rates)[order])


def _rivm_counts(rng: np.random.Generator, model: Model,
                 spec: RivmFile) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """(codes, periods, n_1, n_0) with periods as columns."""
    rates = model.rates[spec.indicator]
    if spec.gem_column == "gem2022":
        codes, births, rates = _units_2022(rng, model, rates)
    else:
        codes, births = list(model.gemeenten.codes), model.births
    denominators = _denominators(rng, spec.indicator, births)
    events = rng.binomial(denominators, rates)
    n1, n0 = [], []
    for period in spec.periods:
        first, _, last = period.partition("-")
        cols = [YEARS.index(y) for y in range(int(first), int(last or first) + 1)]
        n1.append(events[:, cols].sum(axis=1))
        n0.append((denominators - events)[:, cols].sum(axis=1))
    n1_arr, n0_arr = np.array(n1).T, np.array(n0).T
    # RIVM computes the national total (NL01) separately; it includes parents without a
    # gemeente address, so it is slightly larger than the sum of the gemeenten.
    extra = 1.0 + NL_UNKNOWN_ADDRESS_SHARE
    nl1 = np.rint(n1_arr.sum(axis=0) * extra).astype(n1_arr.dtype)
    nl0 = np.rint(n0_arr.sum(axis=0) * extra).astype(n0_arr.dtype)
    return ([*codes, "NL01"], list(spec.periods), np.vstack([n1_arr, nl1]),
            np.vstack([n0_arr, nl0]))


def _rivm_text(spec: RivmFile, codes: list[str], periods: list[str], n1: np.ndarray,
               n0: np.ndarray) -> str:
    """The file text in the physical style R (or a plain writer) would produce."""
    sep = ";" if spec.style == "write.csv2" else ","
    quoted = spec.style != "plain"
    eol = "\r\n" if spec.style == "write.csv2" else "\n"

    def q(text: str, is_string: bool = True) -> str:
        return f'"{text}"' if quoted and is_string else text

    header = [spec.gem_column, "jaar", "n_1", "n_0"]
    lines = [sep.join(([q("")] if quoted else []) + [q(h) for h in header])]
    rows = sorted(((int(c[2:]) if spec.numeric_codes else c, i) for i, c in enumerate(codes)
                   if c != "NL01"))
    rows += [("NL01", i) for i, c in enumerate(codes) if c == "NL01"]
    counts_are_text = bool(((n1 < 10) | (n0 < 10)).any())  # R then writes the column quoted
    number = 0
    for code, i in rows:
        for j, period in enumerate(periods):
            number += 1
            suppressed = n1[i, j] < 10 or n0[i, j] < 10
            a, b = ("<10", "<10") if suppressed else (str(n1[i, j]), str(n0[i, j]))
            cells = [q(str(code), isinstance(code, str)), q(period, "-" in period),
                     q(a, counts_are_text), q(b, counts_are_text)]
            lines.append(sep.join(([q(str(number))] if quoted else []) + cells))
    return eol.join(lines) + eol


def write_rivm(model: Model, folder: Path, rng: np.random.Generator) -> list[Path]:
    """One file per indicator (see :data:`RIVM_FILES`), plain ASCII; counts drawn from ``rng``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in RIVM_FILES:
        codes, periods, n1, n0 = _rivm_counts(rng, model, spec)
        path = folder / f"DEMO_{spec.indicator}_{spec.gem_column}.csv"
        path.write_bytes(_rivm_text(spec, codes, periods, n1, n0).encode("ascii"))
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------
# CBS: population denominators (03759ned), Gebieden in Nederland (86059NED), low income
# (85678NED). Each draws from its own generator (seed SEED + n), so the payloads above stay
# byte-identical whatever is added here.

CBS_TABLES = {"cbs_bevolking": "03759ned", "cbs_gebieden": "86059NED",
              "cbs_laag_inkomen": "85678NED"}
POPULATION_SEED, INCOME_SEED = SEED + 1, SEED + 2
# 03759ned: women by 5-year age group; share of the population per group (synthetic)
AGE_GROUPS = (("51300", "15 tot 20 jaar", 0.029), ("51400", "20 tot 25 jaar", 0.032),
              ("51500", "25 tot 30 jaar", 0.033), ("51600", "30 tot 35 jaar", 0.031),
              ("51700", "35 tot 40 jaar", 0.030), ("51800", "40 tot 45 jaar", 0.030))
OTHER_AGES = (("10000", "Totaal"), ("70100", "0 tot 5 jaar"), ("51900", "45 tot 50 jaar"))
SEXES = (("T001038", "Totaal mannen en vrouwen"), ("3000", "Mannen"), ("4000", "Vrouwen"))
INCOME_YEARS = tuple(range(2015, 2024))
INCOME_NATIONAL = 0.068  # share of minors in a low-income household around 2015 (synthetic)
INCOME_ANCHORS = {"GM0599": 2.1, "GM0518": 1.8, "GM0363": 1.6, "GM0344": 1.1}  # × national
# "Gebieden in Nederland": topic keys as laid out in the 2024/2025 tables (shift per year)
GEBIEDEN_GROUPS = (("Codes en namen van gemeenten", "Code_1", "Naam_2"),
                   ("GGD-regio's", "Code_16", "Naam_17"),
                   ("Provincies", "Code_28", "Naam_29"))


def _odata_pages(folder: Path, table: str, records: list[dict]) -> list[Path]:
    """TypedDataSet_skipNNNNN.json pages of :data:`CBS_PAGE_SIZE` rows linked by nextLink."""
    root = f"https://opendata.cbs.nl/ODataApi/odata/{table}"
    written = []
    for skip in range(0, len(records), CBS_PAGE_SIZE):
        body: dict = {"odata.metadata": f"{root}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
                      "kansrijk_demo": DEMO_LABEL, "value": records[skip:skip + CBS_PAGE_SIZE]}
        if skip + CBS_PAGE_SIZE < len(records):
            body["odata.nextLink"] = (f"{root}/TypedDataSet?$format=json"
                                      f"&$skip={skip + CBS_PAGE_SIZE}")
        path = folder / f"TypedDataSet_skip{skip:05d}.json"
        path.write_bytes(_json_bytes(body))
        written.append(path)
    return written


def _odata_file(path: Path, table: str, kind: str, rows: list[dict]) -> Path:
    """A metadata or code-list response (``{"odata.metadata": …, "value": rows}``)."""
    root = f"https://opendata.cbs.nl/ODataApi/odata/{table}"
    path.write_bytes(_json_bytes({"odata.metadata": f"{root}/$metadata#Cbs.OData.WebAPI.{kind}",
                                  "kansrijk_demo": DEMO_LABEL, "value": rows}))
    return path


def _dimension(id_: int, key: str, title: str, kind: str = "Dimension") -> dict:
    return {"odata.type": f"Cbs.OData.{kind}", "ID": id_, "Position": id_, "ParentID": None,
            "Type": kind, "Key": key, "Title": title, "Description": ""}


def _topic(id_: int, key: str, title: str, unit: str, parent: int | None = None,
           datatype: str = "Long", decimals: int = 0) -> dict:
    return {"odata.type": "Cbs.OData.Topic", "ID": id_, "Position": id_, "ParentID": parent,
            "Type": "Topic", "Key": key, "Title": title, "Description": "",
            "Datatype": datatype, "Unit": unit, "Decimals": decimals, "Default": "Impossible",
            "PresentationType": "Absolute" if unit != "%" else "Relative"}


def _group(id_: int, title: str) -> dict:
    return {"odata.type": "Cbs.OData.TopicGroup", "ID": id_, "Position": id_, "ParentID": None,
            "Type": "TopicGroup", "Key": "", "Title": title, "Description": ""}


def _regions(model: Model) -> list[tuple[str, np.ndarray]]:
    """(code, member mask) for NL01, the provincies and each gemeente, in CBS order."""
    gm = model.gemeenten
    provincies = sorted(set(gm.provincie))
    n = len(gm.codes)
    regions = [("NL01", np.ones(n, dtype=bool))]
    regions += [(p, np.array([x == p for x in gm.provincie])) for p in provincies]
    regions += [(c, np.arange(n) == i) for i, c in enumerate(gm.codes)]
    return regions


def write_cbs_bevolking(model: Model, folder: Path) -> list[Path]:
    """03759ned: women per 5-year age group 15–45 on 1 January (SYNTHETIC), OData v3 shape."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(POPULATION_SEED)
    table = CBS_TABLES["cbs_bevolking"]
    n = len(model.gemeenten.codes)
    young = rng.lognormal(0.0, 0.08, size=n)  # relative share of young adults per gemeente
    for code, factor in {"GM0363": 1.25, "GM0344": 1.3, "GM0599": 1.15, "GM0518": 1.15}.items():
        young[model.gemeenten.codes.index(code)] = factor
    women = {key: rng.poisson(model.population * share * young[:, None])
             for key, _, share in AGE_GROUPS}
    records = []
    for code, members in _regions(model):
        for key, _, _ in AGE_GROUPS:
            for j, year in enumerate(YEARS):
                records.append({"ID": len(records), "Geslacht": "4000".ljust(7),
                                "Leeftijd": key.ljust(5), "RegioS": code.ljust(10),
                                "Perioden": f"{year}JJ00",
                                "BevolkingOp1Januari_1": int(women[key][members, j].sum())})
    props = [_dimension(0, "Geslacht", "Geslacht"), _dimension(1, "Leeftijd", "Leeftijd"),
             _dimension(2, "RegioS", "Regio's", "GeoDimension"),
             _dimension(3, "Perioden", "Perioden", "TimeDimension"),
             _topic(4, "BevolkingOp1Januari_1", "Bevolking op 1 januari", "aantal")]
    return [_odata_file(folder / "DataProperties.json", table, "DataProperties", props),
            _odata_file(folder / "Geslacht.json", table, "Geslacht",
                        [{"Key": k.ljust(7), "Title": t, "Description": ""} for k, t in SEXES]),
            _odata_file(folder / "Leeftijd.json", table, "Leeftijd",
                        [{"Key": k, "Title": t, "Description": ""} for k, t in
                         [*OTHER_AGES, *((k, t) for k, t, _ in AGE_GROUPS)]]),
            *_odata_pages(folder, table, records)]


def write_cbs_gebieden(model: Model, folder: Path,
                       reference_dir: Path = REFERENCE_DIR) -> list[Path]:
    """86059NED: the bundled reference classification (REAL, CBS) in the OData v3 shape."""
    folder.mkdir(parents=True, exist_ok=True)
    table = CBS_TABLES["cbs_gebieden"]
    with (reference_dir / "gemeenten_2025_ggd_provincie.csv").open(encoding="utf-8",
                                                                  newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["gemeente_code"])
    props = [_dimension(0, "RegioS", "Regio's", "GeoDimension")]
    for number, (title, code_key, name_key) in enumerate(GEBIEDEN_GROUPS):
        group_id = 1 + 3 * number
        props += [_group(group_id, title),
                  _topic(group_id + 1, code_key, "Code", "", group_id, "String"),
                  _topic(group_id + 2, name_key, "Naam", "", group_id, "String")]
    records = [{"ID": i, "RegioS": r["gemeente_code"].ljust(10),
                "Code_1": r["gemeente_code"].ljust(10), "Naam_2": r["gemeente_naam"].ljust(40),
                "Code_16": r["ggd_code"].ljust(10), "Naam_17": r["ggd_naam"].ljust(40),
                "Code_28": r["provincie_code"].ljust(10), "Naam_29": r["provincie_naam"].ljust(40)}
               for i, r in enumerate(rows)]
    return [_odata_file(folder / "DataProperties.json", table, "DataProperties", props),
            *_odata_pages(folder, table, records)]


def write_cbs_laag_inkomen(model: Model, folder: Path) -> list[Path]:
    """85678NED: share of minors in a low-income household (SYNTHETIC), OData v3 shape.

    Each gemeente has a level (lognormal around :data:`INCOME_NATIONAL`, the big cities
    higher) that declines by 2–6% a year; the five smallest gemeenten are suppressed (null).
    National and provincial shares are the minors-weighted means of their gemeenten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(INCOME_SEED)
    table = CBS_TABLES["cbs_laag_inkomen"]
    gm = model.gemeenten
    level = INCOME_NATIONAL * rng.lognormal(0.0, 0.3, size=len(gm.codes))
    for code, factor in INCOME_ANCHORS.items():
        level[gm.codes.index(code)] = INCOME_NATIONAL * factor
    decline = rng.uniform(0.02, 0.06, size=len(gm.codes))
    t = np.array(INCOME_YEARS) - INCOME_YEARS[0]
    share = np.clip(level[:, None] * np.exp(-decline[:, None] * t[None, :]), 0.005, 0.4)
    minors = 18.0 * model.base[:, None] * np.ones(len(INCOME_YEARS))[None, :]
    smallest = model.base < 40
    records = []
    for code, members in _regions(model):
        for j, year in enumerate(INCOME_YEARS):
            weight = minors[members, j].sum()
            pct = float(100 * (share[members, j] * minors[members, j]).sum() / weight)
            hidden = members.sum() == 1 and bool(smallest[members][0])
            records.append({
                "ID": len(records), "RegioS": code.ljust(10), "Perioden": f"{year}JJ00",
                "Aantal_1": None if hidden else round(pct / 100 * weight / 1000, 1),
                "Relatief_2": None if hidden else round(pct, 1)})
    props = [_dimension(0, "RegioS", "Regio's", "GeoDimension"),
             _dimension(1, "Perioden", "Perioden", "TimeDimension"),
             _group(2, "Minderjarige kinderen met laag inkomen"),
             _topic(3, "Aantal_1", "Aantal", "x 1 000", 2, "Double", 1),
             _topic(4, "Relatief_2", "Relatief", "%", 2, "Double", 1)]
    return [_odata_file(folder / "DataProperties.json", table, "DataProperties", props),
            *_odata_pages(folder, table, records)]


# --------------------------------------------------------------------------------------------
# README and entry point


def _readme(counts: dict[str, int]) -> str:
    rows = "\n".join(f"| `{name}` | {n} |" for name, n in sorted(counts.items()))
    return f"""# Demo payloads — {DEMO_LABEL}

Written by `python -m pipeline.demo` (module `pipeline/demo.py`, which documents the model).
Seed `numpy.random.default_rng({SEED})`; every run writes byte-identical files. Regenerate
rather than edit.

**Everything here is SYNTHETIC except `rivm_vaccinatiegraad/{VACCINATION_NAME}`**, which is a
byte copy of a real RIVM file. The gemeenten, their GGD-regio and provincie are real (2025
classification, `data/reference/gemeenten_2025_ggd_provincie.csv`); the national totals of live
births 2015–2024 are the real CBS totals, used only as targets for the synthetic national sum.
No figure for a gemeente, provincie or GGD-regio is real.

## `cbs_geboorten/` — CBS StatLine 37230ned, OData v3 (SYNTHETIC)
- `DataProperties.json`: dimensions `RegioS` (GeoDimension) and `Perioden` (TimeDimension);
  topics *Bevolking aan het begin van de periode* (`BevolkingAanHetBeginVanDePeriode_1`),
  *Levend geboren kinderen* (`LevendGeborenKinderen_2`), *Overledenen* (`Overledenen_3`).
- `TypedDataSet_skipNNNNN.json`: `TypedDataSet` pages of {CBS_PAGE_SIZE} rows; `odata.nextLink`
  points to the next page and is absent on the last. Keys padded to 10 characters
  (`"GM0363    "`), periods `2015JJ00`…`2024JJ00`. Regions: `NL01` (the sum of the gemeenten
  plus a few hundred births without a gemeente address, as CBS delivers its own national
  total), the 12 provincies `PV20`…`PV31` (sums of their gemeenten) and the 342 gemeenten.
  About 1% of the `Overledenen_3` cells are null (suppressed cells in TypedDataSet).
- Every JSON file has one extra top-level key, `"kansrijk_demo": "{DEMO_LABEL}"`.

## `cbs_bevolking/` — CBS StatLine 03759ned, OData v3 (SYNTHETIC)
- `DataProperties.json` (dimensions `Geslacht`, `Leeftijd`, `RegioS`, `Perioden`; topic
  *Bevolking op 1 januari*), code lists `Geslacht.json` and `Leeftijd.json`, and
  `TypedDataSet_skipNNNNN.json` pages holding what the live `$filter` selects: women
  (`Vrouwen`) in the six 5-year age groups 15–45, for NL01, the provincies and the gemeenten,
  2015–2024. Counts follow the synthetic population of `cbs_geboorten` (seed {POPULATION_SEED}).

## `cbs_gebieden/` — CBS "Gebieden in Nederland 2025", 86059NED, OData v3 (REAL classification)
- The bundled reference `data/reference/gemeenten_2025_ggd_provincie.csv` (real CBS
  classification: gemeente → GGD-regio, provincie) re-encoded in the table's OData shape:
  topic groups *Codes en namen van gemeenten*, *GGD-regio's*, *Provincies* with topics
  *Code*/*Naam* under the shifted keys of the 2024/2025 tables (`Code_16`, `Code_28` …),
  values padded as CBS pads them. No figures.

## `cbs_laag_inkomen/` — CBS StatLine 85678NED, OData v3 (SYNTHETIC)
- Topic group *Minderjarige kinderen met laag inkomen* with *Aantal* (x 1 000) and *Relatief*
  (%), per region and year 2015–2023 (seed {INCOME_SEED}); the five smallest gemeenten are null
  (suppressed), as CBS suppresses small numbers.

## `perined_kerncijfers/` — Perined perinatale kerncijfers per gemeente (SYNTHETIC)
- `{PERINED_FILE}`: UTF-8 with BOM, `;`, decimal comma, CRLF, Dutch headers.
- One row per gemeente (2025 codes) and year 2015–2024, plus pooled rows `2016-2018`,
  `2019-2021`, `2022-2024` for gemeenten with fewer than {PERINED_POOL_BELOW} births a year.
- A count and its percentage are `.` when the count or its complement is below 10; the totals
  are never suppressed. Perinatal mortality: stillbirths from 22 weeks plus deaths up to 7 days,
  per 1000 born from 22 weeks. Big2: born from 24 weeks with < p10 and/or < 37 weeks.

## `rivm_kansrijke_start/` — RIVM Lokale Monitoring Kansrijke Start (SYNTHETIC)
- `DEMO_<indicator>_gemYYYY.csv`, as RIVM's monitor code (rivm-syso/DIAPER) writes them:
  `gemYYYY`, `jaar`, `n_1` (meets the criterion), `n_0` (does not); both are `"<10"` when
  either is below 10.
- The physical format varies as real downloads do: R `write.csv` (comma, quoted, a leading
  row-name column `""`), R `write.csv2` (`;`, CRLF), a plain comma file; codes `GM0363` or
  numeric `363`.
- `problematische_schulden_ouders` is in the 2022 classification (345 gemeenten: Brielle,
  Hellevoetsluis, Westvoorne and Weesp separate); it and `uithuisplaatsing_0_2` have 5-year
  periods (`2015-2019` …); the others are yearly.

## `rivm_vaccinatiegraad/` — RIVM vaccination coverage (REAL)
- `{VACCINATION_NAME}`: RIVM infant MMR (BMR) vaccination coverage per gemeente 2006–2014,
  2013 classification, cp850, `;`, decimal comma (`gemnr;Gemnaam;2006;…;2014`). A byte copy of
  the real file; provenance in `data/reference/README.md` (kostermm/HM, commit fb6c982).

## Data rows per file

| file | rows |
|---|---|
{rows}
"""


def _clear(folder: Path, keep: str = "") -> None:
    """Remove the files a previous run wrote in a generator-owned folder."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.name != keep:
                path.unlink()


def _copy_vaccination(sources: tuple[Path, ...], dest: Path) -> Path:
    """Copy the real RIVM vaccination file byte for byte (see :data:`VACCINATION_SOURCES`)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    for source in sources:
        if source.is_file():
            if not dest.exists() or not source.samefile(dest):
                shutil.copyfile(source, dest)
            return dest
    raise FileNotFoundError(f"the real RIVM vaccination file was not found at any of "
                            f"{[str(s) for s in sources]}")


def _data_rows(path: Path) -> int:
    if path.suffix == ".json":
        return len(json.loads(path.read_bytes())["value"])
    return len(path.read_bytes().splitlines()) - 1


def generate(out_dir: Path = DEFAULT_OUT_DIR, reference_dir: Path = REFERENCE_DIR,
             vaccination_sources: tuple[Path, ...] = VACCINATION_SOURCES) -> list[Path]:
    """Write all demo payloads into ``out_dir``; return the written paths (sorted).

    Files a previous run left in the four payload folders are removed first (they are owned by
    this generator), so a shrunk payload never leaves stale pages behind.
    """
    out_dir = Path(out_dir)
    rng = np.random.default_rng(SEED)
    model = build_model(reference_dir, rng)
    folders = {name: out_dir / name for name in ("cbs_geboorten", "perined_kerncijfers",
                                                  "rivm_kansrijke_start", "rivm_vaccinatiegraad",
                                                  *CBS_TABLES)}
    for name, folder in folders.items():
        _clear(folder, keep=VACCINATION_NAME if name == "rivm_vaccinatiegraad" else "")
    written = write_cbs(model, folders["cbs_geboorten"])
    written += write_perined(model, folders["perined_kerncijfers"])
    written += write_rivm(model, folders["rivm_kansrijke_start"], rng)
    written.append(_copy_vaccination(tuple(vaccination_sources),
                                     folders["rivm_vaccinatiegraad"] / VACCINATION_NAME))
    written += write_cbs_bevolking(model, folders["cbs_bevolking"])
    written += write_cbs_gebieden(model, folders["cbs_gebieden"], reference_dir)
    written += write_cbs_laag_inkomen(model, folders["cbs_laag_inkomen"])
    counts = {p.relative_to(out_dir).as_posix(): _data_rows(p) for p in written
              if p.name.startswith(("TypedDataSet", "DEMO_", "Vacc"))}
    readme = out_dir / "README.md"
    readme.write_bytes(_readme(counts).encode("utf-8"))
    written.append(readme)
    written += demo_coalitie.generate(out_dir / "coalitie_status", reference_dir)
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else DEFAULT_OUT_DIR
    written = generate(out_dir)
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} demo files ({total:,} bytes) to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
