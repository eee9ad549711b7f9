"""Rebuild espace/core/data/codes_postaux.tsv.gz from the npm package ``codes-postaux``.

That package (MIT, published by the Base Adresse Nationale team of Etalab) holds the French postal
codes and the communes each one serves, built from INSEE's Code officiel géographique and the
DGFiP's FIMOCT (both under the Licence Ouverte / Etalab). The app ships the derived file, so no
network is needed at run time. To refresh it:

    npm pack codes-postaux            # in a scratch folder: codes-postaux-<version>.tgz
    tar xzf codes-postaux-*.tgz
    python scripts/postal_codes.py package/codes-postaux.json

The file has one line per (postal code, commune): ``code<TAB>commune<TAB>routing label``, sorted.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

TARGET = (
    Path(__file__).resolve().parent.parent / "espace" / "core" / "data" / "codes_postaux.tsv.gz"
)


def main(source: str) -> None:
    rows = sorted(
        {
            (r["codePostal"], r["nomCommune"], r.get("libelleAcheminement", ""))
            for r in json.loads(Path(source).read_text(encoding="utf-8"))
        }
    )
    text = "".join("\t".join(row) + "\n" for row in rows)
    # mtime=0: the same input gives the same bytes (no spurious diff on a rebuild).
    TARGET.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{len(rows)} lines, {len({r[0] for r in rows})} postal codes -> {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])
