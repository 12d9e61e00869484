"""Benchmark: cleaning a 1,000,000-row messy violations CSV against a plain pandas.read_csv.

Run by hand: ``.venv/bin/python benchmarks/bench_clean.py [--rows N]``. Each step runs in its own
subprocess so that its peak memory (ru_maxrss) is its own; all steps run in the same session,
so the ratios are meaningful on a shared, noisy machine. The floor is the I/O that any
cleaning must do: the file read with the package's reader and the rows written to parquet
unchanged. Targets (issue 18): cleaning within 2x that floor, peak memory under 2 GiB (the
plain ``pandas.read_csv`` is printed for scale). ``--repeat N`` runs every step N times and
keeps each step's fastest run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

HEADER = ["Страна", "Дата инцидента", "Тип нарушения", "Число пострадавших", "ФИО пострадавших",
          "Публичный случай", "Отрасль", "Нарушитель", "Место", "Описание", "Источник", "Ссылка"]  # fmt: skip


def make_messy_csv(path: Path, rows: int, seed: int = 1) -> None:
    """Demo-style rows: country variants, mixed date formats, Russian/English labels, duplicates."""
    from analysis.vocab.reference import categories

    rng = np.random.default_rng(seed)
    countries = np.array(["Казахстан", "Kazakhstan", "KZ", "Киргизия", "Kyrgyz Republic", "Узбекистан",
                          "UZ", "Таджикистан", "Tajikistan", "Туркмения", "Беларусь", "Белоруссия", "Атлантида"])  # fmt: skip
    days = pd.date_range("2015-01-01", "2025-12-31", freq="D")
    pick = days[rng.integers(len(days), size=rows)]
    style = rng.integers(0, 10, size=rows)
    iso = pick.strftime("%Y-%m-%d").to_numpy(dtype=object)
    dmy = pick.strftime("%d.%m.%Y").to_numpy(dtype=object)
    month = pick.strftime("%m.%Y").to_numpy(dtype=object)
    year = pick.strftime("%Y").to_numpy(dtype=object)
    dates = np.where(style < 5, dmy, np.where(style < 8, iso, np.where(style < 9, month, year)))
    dates[rng.random(rows) < 0.002] = "31.02.2024"
    labels = categories()
    cats = np.concatenate(
        [labels["label_ru"].to_numpy(), labels["label_en"].to_numpy(), ["непонятно"]]
    )
    names = np.array(["", "", "Примеров Айбек", "Образцова Дина", "Тестов Рустам; Макетова Зарина"])
    ids = rng.integers(0, rows // 2, size=rows)  # ~half the ids repeat: cross-partner duplicates
    frame = pd.DataFrame(
        {
            "country": countries[rng.integers(len(countries), size=rows)],
            "date": dates,
            "category": cats[rng.integers(len(cats), size=rows)],
            "persons": rng.integers(1, 50, size=rows).astype(str),
            "names": names[rng.integers(len(names), size=rows)],
            "public": np.array(["да", "нет", "yes", "no", ""])[rng.integers(5, size=rows)],
            "sector": np.array(["строительство", "mining", "образование", ""])[
                rng.integers(4, size=rows)
            ],
            "perpetrator": np.array(["работодатель", "police", ""])[rng.integers(3, size=rows)],
            "location": np.array(["Алматы", "Бишкек", "Душанбе", "Минск"])[
                rng.integers(4, size=rows)
            ],
            "description": pd.Series(ids).map("Синтетический случай №{}".format),
            "source": np.array(["Партнёр А", "Partner B"])[rng.integers(2, size=rows)],
            "url": pd.Series(ids).map("https://example.org/synthetic/{}".format),
        }
    )
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("SYNTHETIC benchmark data\n")
        frame.to_csv(handle, sep=";", header=HEADER, index=False)


STEP = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    step, path, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    start = time.perf_counter()
    if step == "read":
        import pandas as pd
        frame = pd.read_csv(path, sep=";", skiprows=1, encoding="utf-8-sig")
        rows = len(frame)
    elif step == "floor":
        from analysis import storage
        from analysis.clean import read_dataset
        data = read_dataset(path.parent.parent, "violations")
        storage.write_parquet(out / "floor.parquet", data.frame)
        rows = len(data.frame)
    else:
        from analysis.clean import clean_all
        report = clean_all(path.parent.parent, out)
        rows = report["datasets"]["violations"]["rows_in"]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_bytes": peak, "rows": rows}))
    """
)


def run_step(step: str, csv_path: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", STEP, step, str(csv_path), str(out)],
                          check=True, capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "raw" / "violations" / "bench.csv"
        csv_path.parent.mkdir(parents=True)
        make_messy_csv(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        runs: dict[str, list[dict]] = {"read": [], "floor": [], "clean": []}
        for _ in range(max(1, args.repeat)):  # interleaved: a busy spell slows every step
            for step, done in runs.items():
                done.append(run_step(step, csv_path, Path(tmp) / "processed"))
        read, floor, clean = (min(runs[s], key=lambda r: r["seconds"]) for s in runs)
    print(f"rows: {read['rows']:,} ({size_mb:.0f} MB CSV)")
    for label, step in (("plain pandas.read_csv ", read), ("read + write, no clean", floor),
                        ("full cleaning         ", clean)):  # fmt: skip
        print(
            f"{label}: {step['seconds']:7.2f} s   peak {step['peak_bytes'] / 2**30:5.2f} GiB"
            f"   ({step['seconds'] / read['seconds']:5.2f}x the plain read)"
        )
    ratio = clean["seconds"] / floor["seconds"]
    peak = clean["peak_bytes"] / 2**30
    print(f"ratio clean / floor   : {ratio:7.2f}x   (target <= 2x)")
    print(f"peak of the cleaning  : {peak:7.2f} GiB (target < 2 GiB)")
    print("(floor = 'read + write, no clean': the package's reader, then the rows to parquet)")


if __name__ == "__main__":
    main()
