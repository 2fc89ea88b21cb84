"""The validation report: ``<build>/validation/index.html``, readable by an analyst.

Rendered from the plain results payload that :mod:`pipeline.validate` writes to
``results.json`` (no GX objects), as one self-contained Dutch page: inline CSS, no scripts, no
external assets. Per suite and expectation it shows pass/fail, severity, what was expected and
what was observed, the first failing rows (with area and indicator) and the snapshots checked.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from pipeline.config import DEMO_LABEL

KIND_LABELS = {
    "landing": "brontabel",
    "mart": "mart",
    "check": "kruiscontrole",
}
KIND_ORDER = {"landing": 0, "mart": 1, "check": 2}
SEVERITY_LABELS = {"blocking": "blokkerend", "warning": "waarschuwing"}
ERROR_LABELS = {
    "relation not built": "tabel ontbreekt in deze build",
    "source not ingested (no snapshot)": "bron nog niet ingelezen (geen snapshot)",
}
ROW_KEYS = (
    "relation",
    "source_id",
    "area_code",
    "gemeente_code",
    "area_name",
    "indicator_id",
    "indicator_code",
    "indicator",
    "period_label",
    "classification_year",
)
ROW_TAIL = ("status", "marker", "problem", "missing_codes", "source_file", "source_row")
MAX_ROW_COLUMNS = 11

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;color:#1d2733;background:#f4f6f8;
font-size:14px;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px}
.meta{color:#4a5866;margin:0 0 14px}.demo{display:inline-block;background:#fde68a;
color:#5b4300;padding:2px 8px;border-radius:4px;font-weight:bold}
.verdict{padding:12px 16px;border-radius:6px;font-size:16px;margin:12px 0 18px}
.verdict.ok{background:#dcf3e3;border:1px solid #58a86b}
.verdict.bad{background:#fbe0e0;border:1px solid #c94848}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:10px}
.card{background:#fff;border:1px solid #d5dbe1;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 10px}
th,td{border:1px solid #d5dbe1;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#e9eef3;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.fail td{background:#fdf0f0}tr.warn td{background:#fff8e6}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;
white-space:nowrap}.pass{background:#dcf3e3;color:#1e5a2c}.failb{background:#c94848;color:#fff}
.failw{background:#f3c460;color:#4d3800}
code{font-family:"DejaVu Sans Mono",monospace;font-size:12px;background:#eef1f4;padding:0 3px}
.rows{margin:2px 0 8px 0;overflow-x:auto;max-width:1120px}.rows table{font-size:12px}
.rows caption{text-align:left;color:#4a5866;padding:2px 0}.note{color:#4a5866;font-size:12px}
details{background:#fff;border:1px solid #d5dbe1;border-radius:6px;padding:4px 16px 10px;
margin-top:12px}summary{cursor:pointer;font-size:16px;font-weight:600;padding:6px 0}
.small{font-size:12px;color:#4a5866;font-weight:normal}td{overflow-wrap:break-word}td.sev{white-space:nowrap}
ul.failures li{margin:3px 0}
"""


def _kind(name: str) -> str:
    if name.startswith("check__"):
        return "check"
    return "landing" if "__" in name else "mart"


def _num(value: object) -> str:
    """A number the Dutch way: 49.278 and 7,25."""
    if isinstance(value, bool) or value is None:
        return _text(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}".replace(",", ".")
    if isinstance(value, float):
        text = f"{value:,.1f}" if abs(value) >= 1000 else f"{value:.4g}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return _text(value)


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _value(value: object) -> str:
    """A cell value or an unexpected value (pairs as 'a; b'), numbers rounded the Dutch way."""
    if isinstance(value, list | tuple):
        return "(" + "; ".join(_value(v) for v in value) + ")"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _num(value)
    return _text(value)


def _values(values: list, limit: int = 12) -> str:
    shown = ", ".join(_value(v) for v in values[:limit])
    return shown + (f" … (+{len(values) - limit})" if len(values) > limit else "")


CONDITION_WORDS = (
    (r'~relation\.str\.contains\("__"\)', "de tabel een mart is"),
    (r'relation\.str\.contains\("__"\)', "de tabel een brontabel is"),
    (r"(\w+)\.notna\(\)", r"\1 ingevuld is"),
    (r"(\w+) == True\b", r"\1 = ja"),
    (r"(\w+) == False\b", r"\1 = nee"),
    (r" == ", " = "),
    (r" != ", " ≠ "),
    (r" and ", " en "),
    (r" or ", " of "),
)


def condition_text(condition: str) -> str:
    """A pandas row condition in words (``unit == "%" and x.notna()``: unit = % en x ingevuld)."""
    for pattern, words in CONDITION_WORDS:
        condition = re.sub(pattern, words, condition)
    return condition.replace('"', "")


def _condition(kwargs: dict) -> str:
    condition = kwargs.get("row_condition")
    return f" (alleen rijen waar {condition_text(condition)})" if condition else ""


def _range(kwargs: dict) -> str:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None and high is not None:
        return f"= {_num(low)}" if low == high else f"tussen {_num(low)} en {_num(high)}"
    if low is not None:
        return f"≥ {_num(low)}"
    return f"≤ {_num(high)}" if high is not None else "elke waarde"


def describe(expectation: str, kwargs: dict) -> tuple[str, str]:
    """(what is checked, what is expected) of an expectation, in Dutch."""
    column = kwargs.get("column")
    a, b = kwargs.get("column_A"), kwargs.get("column_B")
    texts = {
        "expect_column_values_to_not_be_null": (f"{column} is ingevuld", "geen lege waarden"),
        "expect_column_values_to_be_null": (f"{column} is leeg", "alleen lege waarden"),
        "expect_column_values_to_match_regex": (
            f"{column} volgt het codepatroon", f"patroon {kwargs.get('regex')}"),
        "expect_column_values_to_be_in_set": (
            f"{column} heeft een toegestane waarde",
            f"een van: {_values(list(kwargs.get('value_set') or []))}"),
        "expect_column_values_to_be_between": (f"{column} ligt binnen het bereik",
                                               _range(kwargs)),
        "expect_column_values_to_be_unique": (f"{column} is uniek", "geen dubbele waarden"),
        "expect_compound_columns_to_be_unique": (
            "sleutel is uniek",
            f"elke combinatie van {', '.join(kwargs.get('column_list') or [])} één keer"),
        "expect_column_pair_values_a_to_be_greater_than_b": (
            f"{a} {'≥' if kwargs.get('or_equal') else '>'} {b}",
            f"{a} {'groter dan of gelijk aan' if kwargs.get('or_equal') else 'groter dan'} {b}"),
        "expect_column_pair_values_to_be_equal": (f"{a} = {b}", f"{a} gelijk aan {b}"),
        "expect_table_row_count_to_be_between": ("aantal rijen", _range(kwargs)),
        "expect_table_row_count_to_equal": ("aantal rijen", f"= {_num(kwargs.get('value'))}"),
        "expect_column_distinct_values_to_contain_set": (
            f"{column} bevat alle verwachte waarden",
            f"minstens: {_values(list(kwargs.get('value_set') or []))}"),
        "expect_column_distinct_values_to_be_in_set": (
            f"{column} heeft alleen bekende waarden",
            f"alleen: {_values(list(kwargs.get('value_set') or []))}"),
        "expect_table_columns_to_match_set": (
            "kolommen van de tabel", _values(list(kwargs.get("column_set") or []), 40)),
        "relation_exists": ("tabel is gebouwd", "tabel aanwezig"),
        "suite_exists": ("tabel heeft een suite", "suite in expectations/"),
    }
    what, expected = texts.get(expectation, (expectation, ", ".join(map(str, kwargs.items()))))
    return what, expected + _condition(kwargs)


def observed_text(outcome: dict) -> str:
    """What was observed, in Dutch."""
    if outcome.get("error"):
        return "fout: " + ERROR_LABELS.get(outcome["error"], outcome["error"])
    if outcome.get("missing_values"):
        return f"ontbreekt: {_values(outcome['missing_values'])}"
    count = outcome.get("unexpected_count")
    if count is not None:
        total = outcome.get("element_count")
        text = f"{_num(count)} van {_num(total)} rijen wijken af" if total else f"{_num(count)}"
        if count and outcome.get("unexpected_values"):
            shown = ", ".join(
                f"{_value(v)} ({_num(n)}×)" for v, n in outcome["unexpected_values"][:4]
            )
            text += f"; o.a. {shown}"
        return text if count else "alle rijen in orde"
    if outcome.get("observed") is not None:
        observed = outcome["observed"]
        if re.fullmatch(r"-?\d+(\.\d+)?", observed):
            observed = _num(float(observed))
        return f"waargenomen: {observed}"
    return "in orde" if outcome.get("success") else "niet in orde"


def _row_columns(outcome: dict) -> list[str]:
    rows = outcome["failing_rows"]
    present = list(rows[0]) if rows else []
    if _kind(outcome["suite"]) == "check":
        return present[:MAX_ROW_COLUMNS]
    kwargs = outcome.get("kwargs") or {}
    named = [kwargs.get(k) for k in ("column", "column_A", "column_B")]
    named += list(kwargs.get("column_list") or [])
    named += re.findall(r"[a-z_][a-z0-9_]*", kwargs.get("row_condition") or "")
    wanted = [*ROW_KEYS, *[c for c in named if c], *ROW_TAIL]
    ordered = list(dict.fromkeys(c for c in wanted if c in present))
    return ordered[:MAX_ROW_COLUMNS]


def _failing_rows_html(outcome: dict) -> str:
    rows = outcome.get("failing_rows") or []
    if not rows:
        return ""
    columns = _row_columns(outcome)
    total = outcome.get("unexpected_count") or len(rows)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(
            f"<td{' class=num' if isinstance(r.get(c), int | float) else ''}>"
            f"{html.escape(_num(r.get(c)))}</td>" for c in columns
        ) + "</tr>"
        for r in rows
    )
    caption = f"Eerste {len(rows)} van {_num(total)} afwijkende rijen"
    return (f'<tr class="rowsrow"><td colspan="6"><div class="rows"><table>'
            f"<caption>{caption}</caption><tr>{head}</tr>{body}</table></div></td></tr>")


def _pill(outcome: dict) -> str:
    if outcome["success"]:
        return '<span class="pill pass">geslaagd</span>'
    css = "failb" if outcome["severity"] == "blocking" else "failw"
    return f'<span class="pill {css}">mislukt</span>'


def _what(outcome: dict) -> str:
    """What an expectation checks: its own Dutch description, or one made from its type."""
    return outcome.get("description") or describe(
        outcome["expectation"], outcome.get("kwargs") or {}
    )[0]


def _expectation_row(outcome: dict) -> str:
    what = _what(outcome)
    expected = describe(outcome["expectation"], outcome.get("kwargs") or {})[1]
    css = "" if outcome["success"] else (
        ' class="fail"' if outcome["severity"] == "blocking" else ' class="warn"'
    )
    technical = f'<div class="note"><code>{html.escape(outcome["expectation"])}</code></div>'
    return (
        f'<tr{css} id="{html.escape(_anchor(outcome))}"><td>{_pill(outcome)}</td>'
        f"<td class=sev>{SEVERITY_LABELS.get(outcome['severity'], outcome['severity'])}</td>"
        f"<td>{html.escape(what)}{technical}</td><td>{html.escape(expected)}</td>"
        f"<td>{html.escape(observed_text(outcome))}</td>"
        f"<td class=note>{html.escape(outcome.get('notes') or '')}</td></tr>"
        + ("" if outcome["success"] else _failing_rows_html(outcome))
    )


def _suites(payload: dict) -> dict[str, list[dict]]:
    suites: dict[str, list[dict]] = {}
    for outcome in payload["outcomes"]:
        suites.setdefault(outcome["suite"], []).append(outcome)
    return dict(sorted(suites.items(), key=lambda kv: (KIND_ORDER[_kind(kv[0])], kv[0])))


def _counts(outcomes: list[dict]) -> tuple[int, int, int]:
    passed = sum(o["success"] for o in outcomes)
    blocking = sum(not o["success"] and o["severity"] == "blocking" for o in outcomes)
    return passed, blocking, len(outcomes) - passed - blocking


def _suite_table(payload: dict, suites: dict[str, list[dict]]) -> str:
    rows = []
    for name, outcomes in suites.items():
        passed, blocking, warning = _counts(outcomes)
        css = ' class="fail"' if blocking else (' class="warn"' if warning else "")
        n_rows = payload.get("relation_rows", {}).get(name)
        rows.append(
            f"<tr{css}><td><a href=\"#{html.escape(name)}\">{html.escape(name)}</a></td>"
            f"<td>{KIND_LABELS[_kind(name)]}</td><td class=num>{_num(n_rows)}</td>"
            f"<td class=num>{len(outcomes)}</td><td class=num>{passed}</td>"
            f"<td class=num>{blocking}</td><td class=num>{warning}</td></tr>"
        )
    return (
        "<table><tr><th>Suite (tabel)</th><th>Soort</th><th>Rijen</th><th>Controles</th>"
        "<th>Geslaagd</th><th>Blokkerend mislukt</th><th>Waarschuwingen</th></tr>"
        + "".join(rows) + "</table>"
    )


def _snapshot_table(payload: dict) -> str:
    snapshots = payload.get("snapshots") or {}
    if not snapshots:
        return "<p class=note>Geen snapshotgegevens (geen _build.json bij deze build).</p>"
    rows = "".join(
        f"<tr><td>{html.escape(source)}</td>"
        + (
            f"<td><code>{html.escape(snap.get('snapshot_id', ''))}</code></td>"
            f"<td>{html.escape(str(snap.get('fetched_at', '')))}</td>"
            f"<td>{_text(snap.get('is_demo'))}</td>"
            if snap else "<td colspan=3>geen snapshot (bron nog niet ingelezen)</td>"
        ) + "</tr>"
        for source, snap in snapshots.items()
    )
    return ("<table><tr><th>Bron</th><th>Snapshot</th><th>Opgehaald (UTC)</th><th>Demo</th></tr>"
            f"{rows}</table>")


def _anchor(outcome: dict) -> str:
    return f"{outcome['suite']}-{outcome.get('index', 0)}"


def _suite_section(name: str, outcomes: list[dict], payload: dict) -> str:
    description = payload.get("suite_descriptions", {}).get(name) or ""
    passed, blocking, warning = _counts(outcomes)
    status = f"{blocking} blokkerend mislukt" if blocking else "alle blokkerende controles in orde"
    status += f", {warning} waarschuwing(en)" if warning else ""
    failed_first = sorted(outcomes, key=lambda o: (o["success"], o["severity"] != "blocking"))
    rows = "".join(_expectation_row(o) for o in failed_first)
    return (
        f'<details id="{html.escape(name)}"{" open" if blocking or warning else ""}>'
        f"<summary>{html.escape(name)} <span class=small>({KIND_LABELS[_kind(name)]}; "
        f"{passed}/{len(outcomes)} geslaagd; {status})</span></summary>"
        + (f"<p class=small>{html.escape(description)}</p>" if description else "")
        + "<table><tr><th>Uitkomst</th><th>Ernst</th><th>Controle</th><th>Verwacht</th>"
        "<th>Waargenomen</th><th>Toelichting</th></tr>" + rows + "</table></details>"
    )


def _failures_list(outcomes: list[dict]) -> str:
    failed = sorted(
        (o for o in outcomes if not o["success"]), key=lambda o: o["severity"] != "blocking"
    )
    if not failed:
        return ""
    items = "".join(
        f'<li><span class="pill {"failb" if o["severity"] == "blocking" else "failw"}">'
        f"{SEVERITY_LABELS.get(o['severity'], o['severity'])}</span> "
        f'<a href="#{html.escape(_anchor(o))}">{html.escape(o["suite"])}</a>: '
        f"{html.escape(_what(o))}"
        f" — {html.escape(observed_text(o))}</li>"
        for o in failed
    )
    return f"<h2>Mislukte controles</h2><ul class=failures>{items}</ul>"


def _header(payload: dict, outcomes: list[dict]) -> str:
    passed, blocking, warning = _counts(outcomes)
    demo = f' <span class="demo">{DEMO_LABEL}</span>' if payload.get("is_demo") else ""
    verdict = (
        '<div class="verdict ok"><b>Geslaagd:</b> alle blokkerende controles zijn in orde.'
        + (f" Er zijn {warning} waarschuwing(en)." if warning else "") + "</div>"
        if not blocking else
        f'<div class="verdict bad"><b>Mislukt:</b> {blocking} blokkerende controle(s) niet in '
        "orde. Een build met blokkerende fouten wordt niet gepubliceerd; de vorige "
        "gepubliceerde versie blijft ongewijzigd.</div>"
    )
    return (
        "<h1>Validatierapport Kansrijk Monitor</h1>"
        f"<p class=meta>Build <code>{html.escape(str(payload.get('build_id')))}</code> · modus "
        f"{html.escape(str(payload.get('mode')))}{demo} · gecontroleerd op "
        f"{html.escape(str(payload.get('validated_at')))} (UTC) · duur "
        f"{_num(payload.get('seconds'))} s</p>" + verdict
        + '<div class="cards">'
        f"<div class=card><b>{len(outcomes)}</b>controles</div>"
        f"<div class=card><b>{passed}</b>geslaagd</div>"
        f"<div class=card><b>{blocking}</b>blokkerend mislukt</div>"
        f"<div class=card><b>{warning}</b>waarschuwingen</div></div>"
    )


EXPLANATION = (
    "<h2>Uitleg</h2><p class=small><b>Blokkerend</b>: als deze controle mislukt, wordt de build "
    "niet gepubliceerd en blijven de vorige cijfers staan. <b>Waarschuwing</b>: de build wordt "
    "wel gepubliceerd, maar iemand moet ernaar kijken. Een <b>brontabel</b> is een bestand zoals "
    "de bron het levert (codes en indeling van de bron); een <b>mart</b> is een eindtabel; een "
    "<b>kruiscontrole</b> vergelijkt tabellen met elkaar of met de referentielijsten (gemeenten "
    "per indeling, GGD-regio's, provincies, het bronnenregister). Onder een mislukte controle "
    "staan de eerste 20 afwijkende rijen. Versoepelde drempels hebben een gedateerde toelichting."
    "</p>"
)


def render(payload: dict) -> str:
    """The report page for a results payload (see ``ValidationReport.payload``)."""
    suites = _suites(payload)
    body = (
        _header(payload, payload["outcomes"])
        + _failures_list(payload["outcomes"])
        + "<h2>Overzicht per suite</h2>" + _suite_table(payload, suites)
        + "<h2>Gecontroleerde snapshots</h2>" + _snapshot_table(payload)
        + "<h2>Controles per suite</h2><p class=small>Klik op een suite om haar controles te "
        "zien; suites met een mislukte controle staan open.</p>"
        + "".join(_suite_section(name, outcomes, payload) for name, outcomes in suites.items())
        + EXPLANATION
    )
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Validatierapport Kansrijk Monitor</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def write_report(payload: dict, path: Path) -> Path:
    """Write the report page to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(payload), encoding="utf-8")
    return path
