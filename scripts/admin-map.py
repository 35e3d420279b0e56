#!/usr/bin/env python3
"""Builds crates/danvan-domain/data/admin-map.tsv, the map of Vietnam's administrative units
that danvan embeds, from two MIT-licensed packages on the Python registry:

- vietnam-provinces 2025.10.1 (Nguyễn Hồng Quân, https://github.com/sunshine-tech/VietnamProvinces):
  the 34 provinces and 3,321 communes of 01/07/2025 with their codes (Quyết định 19/2025/QĐ-TTg),
  names and kinds.
- vietnamadminunits 1.0.4 (Hieu Tran, https://github.com/tranngocminhhieu/vietnamadminunits):
  the 63 provinces, 696 districts and about 10,000 communes before 2025 with their codes
  (Quyết định 124/2004/QĐ-TTg), and which former communes each new commune was formed from
  (the 2025 resolutions of the Standing Committee of the National Assembly).

The two packages disagree on the 2025 code of some communes; the codes and names are taken from
vietnam-provinces (which follows the published list) and vietnamadminunits' lineage is joined to
them by province and name.

Usage: scripts/admin-map.py [DOWNLOAD_DIR]   (downloads the wheels with pip when missing)

Output lines, tab-separated, in this order:
  P  code  name  kind                          a province from 01/07/2025
  W  code  province  name  kind  formed_from   a commune from 01/07/2025; formed_from lists the
                                               former communes' codes (or "D" + a former district's
                                               code for a district without communes), each with
                                               "*" when only part of it went here
  p  code  name  kind  successor              a province before 01/07/2025, with its successor
  d  code  province  name  kind              a district before 01/07/2025
  w  code  district  name  kind              a commune before 01/07/2025
"""
import collections
import glob
import json
import os
import sqlite3
import subprocess
import sys
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "danvan-domain", "data", "admin-map.tsv")
PACKAGES = ["vietnam-provinces==2025.10.1", "vietnamadminunits==1.0.4"]


def wheels(folder):
    os.makedirs(folder, exist_ok=True)
    if len(glob.glob(os.path.join(folder, "*.whl"))) < 2:
        subprocess.run(["pip", "download", "--no-deps", "-d", folder, *PACKAGES], check=True)
    (vp,) = glob.glob(os.path.join(folder, "vietnam_provinces-2025.10.1-*.whl"))
    (va,) = glob.glob(os.path.join(folder, "vietnamadminunits-1.0.4-*.whl"))
    return vp, va


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def name_key(name):
    """A name without regard to where its tone mark sits ("Thuỷ" and "Thủy" are one name) or to
    spaces and punctuation: its letters with their vowel marks, then its tone marks in order."""
    decomposed = unicodedata.normalize("NFD", name.lower())
    letters = "".join(c for c in decomposed if c not in TONES and (c.isalnum() or unicodedata.combining(c)))
    tones = "".join(c for c in decomposed if c in TONES)
    return unicodedata.normalize("NFC", letters) + "|" + tones


def clean(text):
    text = unicodedata.normalize("NFC", text).strip()
    assert "\t" not in text and "\n" not in text, text
    return text


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join("/tmp", "danvan-admin-map")
    vp_wheel, va_wheel = wheels(folder)
    with zipfile.ZipFile(vp_wheel) as z:
        nested = json.loads(z.read("vietnam_provinces/data/nested-divisions.json"))
    with zipfile.ZipFile(va_wheel) as z:
        converter = json.loads(z.read("vietnamadminunits/data/converter_2025.json"))
        db_path = os.path.join(folder, "dataset.db")
        with open(db_path, "wb") as f:
            f.write(z.read("vietnamadminunits/data/dataset.db"))
    db = sqlite3.connect(db_path)

    # Former units, by code and by vietnamadminunits' key.
    old_provinces, old_districts, old_wards = {}, {}, {}
    by_old_key = {}
    for row in db.execute(
        "select provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode,"
        " province, district, ward, districtType, wardType from admin_units_legacy"
    ):
        pk, dk, wk, pc, dc, wc, pn, dn, wn, dt, wt = row
        old_provinces[pc] = (clean(pn), pk)
        old_districts[dc] = (pc, clean(dn), clean(dt))
        if wc:
            old_wards[wc] = (dc, clean(wn), clean(wt))
            by_old_key[f"{pk}_{dk}_{wk}"] = wc
        else:
            by_old_key[f"{pk}_{dk}_"] = "D" + dc

    # New communes: vietnam-provinces' codes, joined to vietnamadminunits' keys by name.
    new_key_to_code = {}
    va_new = collections.defaultdict(dict)
    for pk, wk, pc, wn in db.execute("select provinceKey, wardKey, provinceCode, ward from admin_units"):
        va_new[int(pc)][name_key(wn)] = wk
        province_key_of = va_new.setdefault("_keys", {})
        province_key_of[int(pc)] = pk
    for province in nested:
        pcode = province["code"]
        for ward in province["wards"]:
            key = va_new[pcode].get(name_key(ward["name"]))
            assert key, ("no lineage for", ward["name"])
            new_key_to_code[(va_new["_keys"][pcode], key)] = ward["code"]
    assert len(new_key_to_code) == sum(len(p["wards"]) for p in nested), "names not unique"

    formed_from = collections.defaultdict(list)
    for pk, items in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, olds in items.items():
            code = new_key_to_code[(pk, wk)]
            formed_from[code].extend(by_old_key[o] for o in olds)
    for pk, items in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in items.items():
            for new in news:
                code = new_key_to_code[(pk, new["newWardKey"])]
                formed_from[code].append(by_old_key[old] + "*")

    new_province_of_old = {}
    for new_pk, olds in converter["DICT_PROVINCE"].items():
        for old_pk in olds:
            new_province_of_old[old_pk] = new_pk
    new_province_code = {va_new["_keys"][c]: c for c in va_new["_keys"]}

    lines = []
    for province in nested:
        # vietnam-provinces writes "Thành phố Hà Nội" but "Lâm Đồng": every name gets its kind.
        name = clean(province["name"])
        if province["division_type"] == "tỉnh" and not name.startswith("Tỉnh "):
            name = "Tỉnh " + name
        assert name.startswith(("Tỉnh ", "Thành phố ")), name
        lines.append(f"P\t{province['code']:02}\t{name}\t{province['division_type']}")
    for province in nested:
        for ward in province["wards"]:
            sources = ",".join(sorted(set(formed_from[ward["code"]])))
            lines.append(
                f"W\t{ward['code']:05}\t{province['code']:02}\t{clean(ward['name'])}\t{ward['division_type']}\t{sources}"
            )
    for code in sorted(old_provinces):
        name, key = old_provinces[code]
        kind = "thành phố trung ương" if name.startswith("Thành phố") else "tỉnh"
        successor = new_province_code[new_province_of_old[key]]
        lines.append(f"p\t{code}\t{name}\t{kind}\t{successor:02}")
    for code in sorted(old_districts):
        pc, name, kind = old_districts[code]
        lines.append(f"d\t{code}\t{pc}\t{name}\t{kind.lower()}")
    for code in sorted(old_wards):
        dc, name, kind = old_wards[code]
        lines.append(f"w\t{code}\t{dc}\t{name}\t{kind.lower()}")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# Generated by scripts/admin-map.py from vietnam-provinces 2025.10.1 and vietnamadminunits 1.0.4 (MIT); see data/README.md\n")
        f.write("\n".join(lines) + "\n")
    print(f"{OUT}: {len(lines)} lines")


if __name__ == "__main__":
    main()
