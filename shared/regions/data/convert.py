#!/usr/bin/env python3
"""Writes regions.tsv from the CSV files of the npm package idn-area-data.

    npm pack idn-area-data@4.0.1 && tar xzf idn-area-data-4.0.1.tgz
    python3 convert.py package/data > regions.tsv

One line per region, `code<TAB>name`, sorted by code: provinces (`11`), regencies and cities
(`11.01`), districts (`11.01.01`) and villages (`11.01.01.2001`). A region's parent is its code
without the last segment, so the parent columns of the CSV files are not kept.
"""

import csv
import sys
from pathlib import Path

folder = Path(sys.argv[1])
rows = []
for name in ["provinces", "regencies", "districts", "villages"]:
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code, text = row["code"].strip(), " ".join(row["name"].split())
            if "\t" in text or "\n" in text or not code:
                sys.exit(f"unexpected row in {name}.csv: {row}")
            rows.append((code, text))
rows.sort()
out = sys.stdout
for code, text in rows:
    out.write(f"{code}\t{text}\n")
