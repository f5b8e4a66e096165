"""Distance between postcodes: centroids and the haversine formula, or districts and areas.

With the ONS Postcode Directory loaded (``manage.py load_postcode_centroids``) the distance is
the great-circle distance between postcode centroids, in miles. Until then, or for a postcode
the directory does not hold, matching falls back to comparing postcode districts ("LS6") and
areas ("LS"), and the pages say so.
"""

from __future__ import annotations

import re

import numpy as np

EARTH_RADIUS_MILES = 3958.8
_AREA = re.compile(r"^[A-Z]{1,2}")


def district_of(postcode: str) -> str:
    """The outward code: 'LS6 2AB' -> 'LS6'. Empty for an empty or pseudo postcode."""
    postcode = (postcode or "").strip().upper()
    if not postcode or postcode.startswith("ZZ99"):
        return ""
    return postcode.split()[0] if " " in postcode else postcode[:-3]


def area_of(postcode: str) -> str:
    """The letters that start the postcode: 'LS6 2AB' -> 'LS'."""
    match = _AREA.match(district_of(postcode))
    return match.group(0) if match else ""


def haversine_miles(lat1, lon1, lat2, lon2):
    """Great-circle distance in miles between points given in degrees (arrays broadcast)."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (lat1, lon1, lat2, lon2)
    )
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    a = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
