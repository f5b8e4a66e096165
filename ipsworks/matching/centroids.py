"""Loading postcode centroids: the ONS Postcode Directory (ONSPD), or synthetic ones for the demo.

The ONSPD is the openly licensed file (Open Government Licence; "Contains OS data © Crown
copyright and database right" and ONS attributions apply) a service downloads from the ONS
Open Geography Portal as a zip of CSV files. Four of its columns are read (docs/adr/0006):

* ``pcds``: the postcode in its variable-length form, "LS6 2AB";
* ``lat``, ``long``: the centroid in WGS84 decimal degrees; the ONSPD gives 99.999999 and
  0.000000 for a postcode it cannot place, and those rows are skipped;
* ``doterm``: the month the postcode was terminated (yyyymm), empty while it is live;
  terminated postcodes are skipped.

The file (about 2.7 million rows, 1.4 GB unzipped) is streamed row by row and written in
batches with ``bulk_create``; the whole load is one transaction, so pages see the old table or
the new one, never half of each.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from ipsworks.core.csvfiles import open_csv_or_zip
from ipsworks.core.validators import normalise_postcode
from ipsworks.matching.models import CentroidDataset, PostcodeCentroid

BATCH_SIZE = 5000
NO_GRID_REFERENCE_LAT = 99.999999
# The demo's synthetic postcodes are in the area "AA", which Royal Mail does not use
# (ipsworks/demo/synthetic.py), so synthetic coordinates can never stand in for a real place.
SYNTHETIC_AREA = "AA"
# A made-up patch of ground for them: district n sits on a 10 x 10 grid about 3.5 miles apart.
_SYNTHETIC_ORIGIN = (53.40, -1.95)
_SYNTHETIC_STEP = (0.05, 0.08)


@dataclass
class LoadReport:
    loaded: int = 0
    terminated: int = 0
    unplaced: int = 0
    invalid: int = 0


def read_onspd(handle: Iterable[str], report: LoadReport) -> Iterator[PostcodeCentroid]:
    reader = csv.DictReader(handle)
    names = {name.strip().lower(): name for name in reader.fieldnames or []}
    missing = [c for c in ("pcds", "lat", "long", "doterm") if c not in names]
    if missing:
        raise ValueError(
            "This does not look like the ONS Postcode Directory: no column " + ", ".join(missing)
        )
    pcds, lat, lon, doterm = (names[c] for c in ("pcds", "lat", "long", "doterm"))
    for row in reader:
        if (row.get(doterm) or "").strip():
            report.terminated += 1
            continue
        try:
            latitude = float(row[lat])
            longitude = float(row[lon])
        except (TypeError, ValueError):
            report.invalid += 1
            continue
        if abs(latitude - NO_GRID_REFERENCE_LAT) < 1e-6 or not -90 <= latitude <= 90:
            report.unplaced += 1
            continue
        postcode = " ".join((row.get(pcds) or "").upper().split())
        if not postcode or len(postcode) > 8:
            report.invalid += 1
            continue
        yield PostcodeCentroid(postcode=postcode, latitude=latitude, longitude=longitude)


def _write(centroids: Iterable[PostcodeCentroid], report: LoadReport) -> None:
    batch: list[PostcodeCentroid] = []
    for centroid in centroids:
        batch.append(centroid)
        if len(batch) >= BATCH_SIZE:
            PostcodeCentroid.objects.bulk_create(batch, ignore_conflicts=True)
            report.loaded += len(batch)
            batch = []
    if batch:
        PostcodeCentroid.objects.bulk_create(batch, ignore_conflicts=True)
        report.loaded += len(batch)


def load_onspd(path: Path) -> LoadReport:
    """Replace the centroid table with the live postcodes in an ONSPD file (CSV or zip)."""
    report = LoadReport()
    with transaction.atomic():
        PostcodeCentroid.objects.all().delete()
        for handle in open_csv_or_zip(path):
            _write(read_onspd(handle, report), report)
        CentroidDataset.objects.create(
            source=path.name[:300], rows=report.loaded, terminated_skipped=report.terminated
        )
    return report


def synthetic_centroid(postcode: str) -> tuple[float, float]:
    """Made-up, repeatable coordinates for a synthetic "AA" postcode."""
    outward = postcode.split(" ")[0]
    district = int("".join(ch for ch in outward[2:] if ch.isdigit()) or "1")
    row, col = divmod((district - 1) % 100, 10)
    digest = hashlib.sha256(postcode.encode()).digest()
    jitter_lat = (digest[0] / 255 - 0.5) * 0.03
    jitter_lon = (digest[1] / 255 - 0.5) * 0.045
    return (
        round(_SYNTHETIC_ORIGIN[0] + row * _SYNTHETIC_STEP[0] + jitter_lat, 6),
        round(_SYNTHETIC_ORIGIN[1] + col * _SYNTHETIC_STEP[1] + jitter_lon, 6),
    )


def _synthetic_postcodes_in_use() -> set[str]:
    from ipsworks.employers.models import Employer
    from ipsworks.matching.models import Vacancy
    from ipsworks.people.models import Person

    found: set[str] = set()
    for model in (Person, Employer, Vacancy):
        values = model.objects.filter(postcode__startswith=SYNTHETIC_AREA).values_list(
            "postcode", flat=True
        )
        for value in values.distinct().iterator(chunk_size=5000):
            try:
                found.add(normalise_postcode(value))
            except ValidationError:  # a malformed synthetic postcode is just skipped
                continue
    return {p for p in found if p.startswith(SYNTHETIC_AREA) and p[2:3].isdigit()}


def load_synthetic(postcodes: Iterable[str] | None = None) -> LoadReport:
    """Centroids for the synthetic postcodes the database uses (the demo's "AA" area).

    Real centroids already loaded are kept; synthetic ones are replaced.
    """
    report = LoadReport()
    wanted = sorted(set(postcodes) if postcodes is not None else _synthetic_postcodes_in_use())
    with transaction.atomic():
        PostcodeCentroid.objects.filter(postcode__startswith=SYNTHETIC_AREA).delete()
        _write(
            (
                PostcodeCentroid(postcode=p, latitude=lat, longitude=lon)
                for p in wanted
                for lat, lon in [synthetic_centroid(p)]
            ),
            report,
        )
        CentroidDataset.objects.create(source="synthetic", rows=report.loaded, synthetic=True)
    return report
