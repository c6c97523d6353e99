"""SAMPLE DATA: made-up mail subscribers, placed by population, on reserved example domains.

Most subscribe to their own municipality or station district, some to
another too, about a tenth to the whole prefecture; sign-ups grow towards
the end of the fixed year. Most read their mails in Japanese; a few chose
やさしい日本語 or another language (``MEMBER_LANGUAGE_MIX``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from anshin_lab.core import glossary
from anshin_lab.core.dates import TOKYO
from anshin_lab.core.directive import PREFECTURE
from anshin_lab.demo.draws import YEAR_END, draw, inhabited, pick, pick_areas, random_stream
from anshin_lab.demo.vocabulary import (
    EMAIL_DOMAINS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MEMBER_CATEGORY_COUNTS,
    MEMBER_CATEGORY_POPULARITY,
    MEMBER_STATUS,
)

SERVICE_START = pd.Timestamp("2013-04-01 00:00", tz=TOKYO)
WHOLE_PREFECTURE = PREFECTURE
N_MEMBERS = 12000
# The language members choose (records.members.MEMBER_LANGUAGES): Japanese mostly; やさしい日本語 for children and
# older readers; English, Vietnamese, Chinese and Korean for the prefecture's foreign residents (Vietnamese the most).
MEMBER_LANGUAGE_MIX = {"ja": 92.5, "easy": 2.5, "en": 1.5, "vi": 1.6, "zh": 1.2, "ko": 0.7}


def _email_local(given: str, family: str, number: int, style: int) -> str:
    """A plausible local part: taro.k1234, kuroki559, yuki_sato07, sato.yuki455."""
    if style == 0:
        return f"{given}.{family[0]}{number}"
    if style == 1:
        return f"{family}{number}"
    if style == 2:
        return f"{given}_{family}{number % 100:02d}"
    return f"{family}.{given}{number % 1000}"


def _email_batch(rng, n: int) -> list[str]:
    givens, families = rng.choice(GIVEN_NAMES, size=n), rng.choice(FAMILY_NAMES, size=n)
    numbers, styles = rng.integers(1, 10000, size=n), rng.integers(0, 4, size=n)
    domains = draw(rng, EMAIL_DOMAINS, n)
    return [f"{_email_local(g, f, int(x), int(y))}@{d}"
            for g, f, x, y, d in zip(givens, families, numbers, styles, domains)]


def _unique_emails(rng, n: int) -> list[str]:
    """``n`` distinct addresses on reserved example domains (clashes are redrawn)."""
    seen: set[str] = set()
    emails: list[str] = []
    while len(emails) < n:
        for email in _email_batch(rng, n - len(emails)):
            if email not in seen:
                seen.add(email)
                emails.append(email)
    return emails


def _member_categories(rng, n: int) -> list[str]:
    """1-5 category codes each, threat most popular, in the glossary's order."""
    codes = list(glossary.CATEGORIES)
    weights = np.asarray([MEMBER_CATEGORY_POPULARITY[c] for c in codes], dtype=float)
    counts = draw(rng, MEMBER_CATEGORY_COUNTS, n).astype(int)
    # Weighted sampling without replacement: keep the k largest U ** (1 / weight).
    keys = rng.random((n, len(codes))) ** (1 / weights)
    rank = (-keys).argsort(axis=1).argsort(axis=1)
    chosen = rank < counts[:, None]
    return [";".join(c for c, keep in zip(codes, row) if keep) for row in chosen]


def _member_areas(rng, city: str, station: str, all_cities: np.ndarray) -> str:
    """Own municipality (or station) mostly; sometimes another too; ~10% the whole prefecture."""
    roll = rng.random()
    if roll < 0.10:
        return WHOLE_PREFECTURE
    chosen = [city if roll < 0.80 else station]
    if rng.random() < 0.15:
        other = pick(rng, all_cities)
        if other not in chosen:
            chosen.append(other)
    return ";".join(chosen)


def _opted_in(rng, statuses: np.ndarray) -> pd.Series:
    """Sign-up times, more of them recent; pending ones in the last two weeks."""
    end = YEAR_END.floor("D") - pd.Timedelta(minutes=1)  # strictly before 2026-11-30
    span = (end - SERVICE_START).total_seconds()
    seconds = span * np.sqrt(rng.random(len(statuses)))
    recent = (end - pd.Timedelta(days=14) - SERVICE_START).total_seconds() + rng.random(len(statuses)) * 14 * 86400
    seconds = np.where(statuses == "pending", recent, seconds)
    return pd.Series(SERVICE_START + pd.to_timedelta(np.floor(seconds), unit="s"))


def generate_members(small_areas: gpd.GeoDataFrame, seed: int) -> pd.DataFrame:
    """Mail subscribers placed by population, on example domains only."""
    rng = random_stream(seed, "members")
    areas = inhabited(small_areas)
    rows = pick_areas(rng, areas, N_MEMBERS)
    cities, stations = areas["city"].to_numpy()[rows], areas["station"].astype(str).to_numpy()[rows]
    all_cities = np.asarray(sorted(areas["city"].unique()), dtype=object)
    statuses = draw(rng, MEMBER_STATUS, N_MEMBERS)
    return pd.DataFrame({
        "member_id": [f"M{i:06d}" for i in range(1, N_MEMBERS + 1)],
        "email": _unique_emails(rng, N_MEMBERS),
        "categories": _member_categories(rng, N_MEMBERS),
        "areas": [_member_areas(rng, c, s, all_cities) for c, s in zip(cities, stations)],
        "status": statuses,
        "opted_in_at": _opted_in(rng, statuses),
        "is_staff": rng.random(N_MEMBERS) < 0.03,
        "language": draw(rng, MEMBER_LANGUAGE_MIX, N_MEMBERS),  # drawn last: the columns above stay as they were
    })
