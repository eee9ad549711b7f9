"""Rating engine speed: p50/p95 of ``price()`` over N (default 1 000) varied homes, random but
seeded. Target p95 < 20 ms. No assertion: targets are read by people.

Run: .venv/bin/python bench/bench_tariff.py [--n 1000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from espace.contracts.rating import RatingError, RatingInput  # noqa: E402
from espace.contracts.tariff import price  # noqa: E402
from espace.contracts.tariff_data import CURRENT  # noqa: E402

POSTAL_CODES = [
    "69006",
    "75011",
    "13001",
    "23000",
    "56340",
    "20000",
    "20200",
    "97110",
    "97400",
    "21000",
    "33000",
    "59000",
    "31000",
    "44000",
    "85100",
    "29200",
    "67000",
    "06000",
    "38000",
    "48000",
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def random_input(rng: random.Random) -> RatingInput:
    rooms = rng.randint(1, 10)
    kind = rng.choice(["flat", "house"])
    occupancy = rng.choice(["owner", "tenant", "landlord"])
    formula = rng.choice(list(CURRENT["base_cents"]))
    options = {code for code in CURRENT["options"] if rng.random() < 0.3}
    return RatingInput(
        postal_code=rng.choice(POSTAL_CODES),
        property_type=kind,
        rooms=rooms,
        surface_m2=max(9, rooms * rng.randint(9, 35)),
        occupancy=occupancy,
        formula=formula,
        furniture_capital_cents=rng.randrange(500_000, 15_000_001, 100_000),
        deductible_cents=rng.choice(list(CURRENT["deductible_coef_bp"])),
        options=frozenset(options),
        claims_last_3_years=rng.choice([0, 0, 0, 1, 2, 3]),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    inputs, refused = [], 0
    while (
        len(inputs) < args.n
    ):  # keep homes that can be priced (e.g. no Jardin et piscine for a flat)
        data = random_input(rng)
        try:
            price(data)  # also warms up
        except RatingError:
            refused += 1
            continue
        inputs.append(data)
    times = []
    for data in inputs:
        start = time.perf_counter()
        price(data)
        times.append((time.perf_counter() - start) * 1000)
    result = {"n": len(times), "p50": round(pct(times, 50), 4), "p95": round(pct(times, 95), 4)}
    print("tariff_price_ms", result)
    print(f"({refused} generated inputs refused by validation and replaced)")


if __name__ == "__main__":
    main()
