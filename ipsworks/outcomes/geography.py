"""Loading where people live, for the national breakdowns: sub-ICB location, ICB and
deprivation by postcode, and the populations rates are per 100,000 of.

NHS England's IPS dashboard breaks its figures down by the sub-ICB location and ICB of
residence and by deprivation quintile (nhsengland/MHSDS ``IPS Dashboard/IPS Dashboard``:
``OrgIDCCGRes`` with its ``STP_Code``, and ``DeprivationQuintile`` from the IMD 2019 decile of
the person's LSOA, deciles 1 and 2 making quintile 1, the most deprived). IPS Works does the
same from the person's postcode, with three loads an installation makes
(``manage.py load_areas``):

* the **ONS Postcode Directory** (the same file as the postcode centroids): ``pcds``,
  ``doterm`` (terminated postcodes are skipped), ``sicbl`` (sub-ICB location; ``ccg`` in
  files before 2022), ``icb`` (``stp`` before), ``ctry`` and ``imd``, the rank of the
  postcode's LSOA in its own country's index. For England (``ctry`` E92000001) the rank
  becomes the IMD 2019 decile over England's 32,844 LSOAs; other countries' indices are not
  comparable, so their postcodes get no decile;
* a **population** CSV with the columns ``level`` (``sub_icb`` or ``icb``), ``code``,
  ``name`` and ``population``, and optionally ``source`` (which estimate, which ages): for
  example ONS mid-year estimates aggregated to sub-ICB locations;
* for the demo, **synthetic** areas for its "AA" postcodes, which no real place uses.

Each load replaces what it loads in one transaction, and a population file with any bad row
is refused whole, naming the rows.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from ipsworks.core.csvfiles import open_csv_or_zip
from ipsworks.core.validators import normalise_postcode
from ipsworks.outcomes.models import Area, PostcodeArea

BATCH_SIZE = 5000
ENGLAND = "E92000001"
#: LSOAs (2011) ranked by the English Indices of Deprivation 2019.
ENGLAND_LSOAS_IMD_2019 = 32_844
SYNTHETIC_AREA = "AA"  # the demo's postcode area (ipsworks/demo/synthetic.py)


@dataclass
class LoadReport:
    loaded: int = 0
    terminated: int = 0
    invalid: int = 0
    problems: list[str] = field(default_factory=list)


def imd_decile(rank: int) -> int:
    """The decile (1 most deprived) of an IMD 2019 rank among England's LSOAs."""
    if not 1 <= rank <= ENGLAND_LSOAS_IMD_2019:
        raise ValueError(f"{rank} is not an IMD 2019 rank in England")
    return math.ceil(rank * 10 / ENGLAND_LSOAS_IMD_2019)


def quintile(decile: int | None) -> int | None:
    """Deciles 1 and 2 are quintile 1, and so on (NHS England's ``DeprivationQuintile``)."""
    return None if decile is None else (decile + 1) // 2


def _column(names: dict[str, str], *choices: str) -> str | None:
    return next((names[c] for c in choices if c in names), None)


def read_onspd(handle: Iterable[str], report: LoadReport) -> Iterator[PostcodeArea]:
    reader = csv.DictReader(handle)
    names = {name.strip().lower(): name for name in reader.fieldnames or []}
    pcds, doterm = _column(names, "pcds"), _column(names, "doterm")
    sub_icb, icb = _column(names, "sicbl", "ccg"), _column(names, "icb", "stp")
    country, rank = _column(names, "ctry"), _column(names, "imd")
    missing = [n for n, c in (("pcds", pcds), ("sicbl", sub_icb), ("icb", icb)) if c is None]
    if missing or doterm is None:
        raise ValueError(
            "This does not look like the ONS Postcode Directory: no column "
            + ", ".join(missing or ["doterm"])
        )
    for row in reader:
        if (row.get(doterm) or "").strip():
            report.terminated += 1
            continue
        try:
            postcode = normalise_postcode(row.get(pcds) or "")
        except ValidationError:
            report.invalid += 1
            continue
        decile = None
        text = (row.get(rank) or "").strip() if rank else ""
        if text.isdigit() and country and (row.get(country) or "").strip() == ENGLAND:
            try:
                decile = imd_decile(int(text))
            except ValueError:
                report.invalid += 1
                continue
        yield PostcodeArea(
            postcode=postcode,
            sub_icb=(row.get(sub_icb) or "").strip()[:9],
            icb=(row.get(icb) or "").strip()[:9],
            imd_decile=decile,
        )


def _write(rows: Iterable[PostcodeArea], report: LoadReport) -> None:
    batch: list[PostcodeArea] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            PostcodeArea.objects.bulk_create(batch, ignore_conflicts=True)
            report.loaded += len(batch)
            batch = []
    if batch:
        PostcodeArea.objects.bulk_create(batch, ignore_conflicts=True)
        report.loaded += len(batch)


def load_onspd(path: Path) -> LoadReport:
    """Replace the postcode areas with the live postcodes of an ONSPD file (CSV or zip)."""
    report = LoadReport()
    with transaction.atomic():
        PostcodeArea.objects.all().delete()
        for handle in open_csv_or_zip(path):
            _write(read_onspd(handle, report), report)
    return report


def load_population(path: Path) -> LoadReport:
    """Areas and their populations from a CSV; any bad row refuses the whole file."""
    report = LoadReport()
    areas: list[Area] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        names = {name.strip().lower(): name for name in reader.fieldnames or []}
        missing = [c for c in ("level", "code", "name", "population") if c not in names]
        if missing:
            raise ValueError("The population file has no column " + ", ".join(missing))
        for number, row in enumerate(reader, start=2):

            def cell(column: str, row=row) -> str:
                return (row.get(names[column]) or "").strip() if column in names else ""

            level, code, name, people = (cell(c) for c in ("level", "code", "name", "population"))
            if level not in Area.Level.values:
                report.problems.append(f"Row {number}: level must be sub_icb or icb")
            elif not (len(code) == 9 and code[0].isalpha() and code[1:].isdigit()):
                report.problems.append(f"Row {number}: {code!r} is not an ONS area code")
            elif not name:
                report.problems.append(f"Row {number}: the area has no name")
            elif not people.replace(",", "").isdigit() or int(people.replace(",", "")) == 0:
                report.problems.append(f"Row {number}: the population must be a whole number")
            else:
                areas.append(
                    Area(
                        code=code,
                        level=level,
                        name=name[:200],
                        population=int(people.replace(",", "")),
                        population_source=cell("source")[:200],
                    )
                )
    if report.problems:
        raise ValueError("; ".join(report.problems[:10]))
    with transaction.atomic():
        Area.objects.filter(pk__in=[a.code for a in areas]).delete()
        Area.objects.bulk_create(areas)
    report.loaded = len(areas)
    return report


# --- the demo's synthetic areas -------------------------------------------------------------

SYNTHETIC_SUB_ICBS = [
    ("X38000001", "Synthetic North sub-ICB location (demo)", 212_000, "X54000001"),
    ("X38000002", "Synthetic Riverside sub-ICB location (demo)", 168_000, "X54000001"),
    ("X38000003", "Synthetic Hills sub-ICB location (demo)", 241_000, "X54000002"),
    ("X38000004", "Synthetic Coast sub-ICB location (demo)", 129_000, "X54000002"),
]
SYNTHETIC_ICBS = [
    ("X54000001", "Synthetic North and Riverside ICB (demo)"),
    ("X54000002", "Synthetic Hills and Coast ICB (demo)"),
]
SYNTHETIC_SOURCE = "Synthetic, for the demo: aged 16 to 64"


def synthetic_area(postcode: str) -> PostcodeArea:
    """Repeatable made-up areas for a synthetic "AA" postcode: district n in sub-ICB location
    (n - 1) mod 4, and a decile from the postcode's hash."""
    outward = postcode.split(" ")[0]
    district = int("".join(ch for ch in outward[2:] if ch.isdigit()) or "1")
    code, _, _, icb = SYNTHETIC_SUB_ICBS[(district - 1) % len(SYNTHETIC_SUB_ICBS)]
    decile = hashlib.sha256(postcode.encode()).digest()[0] % 10 + 1
    return PostcodeArea(postcode=postcode, sub_icb=code, icb=icb, imd_decile=decile)


def load_synthetic() -> LoadReport:
    """Synthetic areas and populations for the synthetic postcodes people have (demo only).
    Real postcodes and areas already loaded are kept."""
    from ipsworks.people.models import Person

    report = LoadReport()
    found = set()
    values = Person.objects.filter(postcode__startswith=SYNTHETIC_AREA).values_list(
        "postcode", flat=True
    )
    for value in values.distinct().iterator(chunk_size=5000):
        try:
            found.add(normalise_postcode(value))
        except ValidationError:
            continue
    icb_people = {code: 0 for code, _ in SYNTHETIC_ICBS}
    for _, _, people, icb in SYNTHETIC_SUB_ICBS:
        icb_people[icb] += people
    with transaction.atomic():
        PostcodeArea.objects.filter(postcode__startswith=SYNTHETIC_AREA).delete()
        _write((synthetic_area(p) for p in sorted(found) if p[2:3].isdigit()), report)
        Area.objects.filter(code__startswith="X").delete()
        Area.objects.bulk_create(
            [
                Area(
                    code=c,
                    level=Area.Level.SUB_ICB,
                    name=n,
                    population=p,
                    population_source=SYNTHETIC_SOURCE,
                )
                for c, n, p, _ in SYNTHETIC_SUB_ICBS
            ]
            + [
                Area(
                    code=c,
                    level=Area.Level.ICB,
                    name=n,
                    population=icb_people[c],
                    population_source=SYNTHETIC_SOURCE,
                )
                for c, n in SYNTHETIC_ICBS
            ]
        )
    return report
