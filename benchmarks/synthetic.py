"""Synthetic content with a long history, valid for the real validator.

Starts from the newest shipped version, widens it to 40 purposes (each a
distinct text), and writes ``versions`` monthly versions. Between two
consecutive versions about 5% of the texts change (always at least one in
the privacy and one in the cookie statement) and one cookie's expiry
changes; every tenth version adds a cookie. The result is deterministic for
a given ``versions`` and ``seed``.

    .venv/bin/python benchmarks/synthetic.py OUT_DIR [--versions 250]
"""

from __future__ import annotations

import argparse
import copy
import random
import shutil
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PURPOSES = 40
CHANGED_SHARE = 0.05
FILES = ("version.yaml", "organisation.yaml", "privacy.yaml", "purposes.yaml",
         "data_categories.yaml", "recipients.yaml", "cookies.yaml")
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
EXPIRIES = ("P1D", "P7D", "P30D", "P3M", "P6M", "P13M", "P1Y", "P2Y")


def _newest_shipped() -> tuple[dict, Path]:
    folder = sorted((ROOT / "content" / "versions").iterdir())[-1]
    files = {name: yaml.safe_load((folder / name).read_text("utf-8")) for name in FILES}
    return files, ROOT / "content" / "site.yaml"


def _is_text(value) -> bool:
    return isinstance(value, dict) and set(value) == {"nl", "en"} and all(
        isinstance(v, str) for v in value.values())


def _texts(value, out: list) -> list:
    """Every bilingual text (a {nl, en} mapping) inside ``value``, in document order."""
    if _is_text(value):
        out.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _texts(item, out)
    elif isinstance(value, list):
        for item in value:
            _texts(item, out)
    return out


def _widen(files: dict, purposes: int) -> None:
    """Clone purposes (with distinct ids and texts) until there are ``purposes`` of them."""
    groups = files["purposes.yaml"]["groups"]
    originals = [(g, p) for g in groups for p in g["purposes"]]
    count, copy_number = len(originals), 1
    while count < purposes:
        for group, purpose in originals:
            if count >= purposes:
                break
            clone = copy.deepcopy(purpose)
            clone["id"] = f"{purpose['id']}-{copy_number}"
            clone["title"] = {"nl": f"{_title(group, purpose, 'nl')} ({copy_number + 1})",
                              "en": f"{_title(group, purpose, 'en')} ({copy_number + 1})"}
            clone["description"] = {
                "nl": _first_sentence(purpose["description"]["nl"])
                + f" Dit geldt ook voor onderdeel {copy_number + 1}.",
                "en": _first_sentence(purpose["description"]["en"])
                + f" This also applies to part {copy_number + 1}."}
            group["purposes"].append(clone)
            count += 1
        copy_number += 1


def _first_sentence(text: str) -> str:
    return text.split("\n")[0].split(". ")[0].rstrip(".") + "."


def _title(group: dict, purpose: dict, lang: str) -> str:
    return (purpose.get("title") or group["title"])[lang]


def _edit(text: dict, original: dict, version: int, rng: random.Random) -> None:
    """Change a text a little: one sentence added to its original wording somewhere.

    Starting again from the original keeps every version about the same size.
    """
    added = {"nl": f"Deze passage is herzien in versie {version}.",
             "en": f"This passage was revised in version {version}."}
    position = rng.random()
    for lang in ("nl", "en"):
        sentences = original[lang].split(". ")
        at = round(position * len(sentences))
        sentences.insert(at, added[lang].rstrip(".") if at < len(sentences) else added[lang])
        text[lang] = ". ".join(sentences)


def _evolve(files: dict, originals: dict, number: int, rng: random.Random) -> None:
    privacy_texts = [t for name in FILES[:6] if name != "version.yaml"
                     for t in _texts(files[name], [])]
    privacy_texts = [t for t in privacy_texts if "\n" in t["nl"] or len(t["nl"]) > 80]
    cookie_texts = [t for t in _texts(files["cookies.yaml"], []) if len(t["nl"]) > 80]
    everything = privacy_texts + cookie_texts
    changed = {id(rng.choice(privacy_texts)): None, id(rng.choice(cookie_texts)): None}
    target = max(2, round(CHANGED_SHARE * len(everything)))
    while len(changed) < target:
        changed[id(rng.choice(everything))] = None
    for text in everything:
        if id(text) in changed:
            _edit(text, originals.setdefault(id(text), dict(text)), number, rng)
    cookies = files["cookies.yaml"]["cookies"]
    cookie = rng.choice([c for c in cookies if c["expiry"] != "session"])
    cookie["expiry"] = rng.choice([e for e in EXPIRIES if e != cookie["expiry"]])
    if number % 10 == 0:
        cookies[:] = [c for c in cookies if not c["name"].startswith("syn_")]
        new = copy.deepcopy(cookies[-1])
        new["name"] = f"syn_{number}"
        new["purpose"] = {"nl": f"Meet de werking van onderdeel {number} van de website.",
                          "en": f"Measures how part {number} of the website performs."}
        cookies.append(new)
    meta = files["version.yaml"]
    meta["summary"] = {"nl": f"Versie {number}: enkele teksten en een cookie bijgewerkt.",
                       "en": f"Version {number}: some texts and a cookie updated."}


def _effective(number: int) -> date:
    """Monthly from January 2005: 250 versions end in 2025."""
    return date(2005 + number // 12, number % 12 + 1, 1)


def generate(out: Path, versions: int = 250, seed: int = 8, purposes: int = PURPOSES) -> Path:
    """Write site.yaml and ``versions`` version folders into ``out`` (replaced)."""
    files, site_file = _newest_shipped()
    _widen(files, purposes)
    rng = random.Random(seed)
    originals: dict[int, dict] = {}
    if out.exists():
        shutil.rmtree(out)
    (out / "versions").mkdir(parents=True)
    shutil.copyfile(site_file, out / "site.yaml")
    for number in range(versions):
        if number:
            _evolve(files, originals, number, rng)
        effective = _effective(number)
        files["version.yaml"]["status"] = "released"
        files["version.yaml"]["last_changed"] = effective
        write_version(out / "versions" / effective.isoformat(), files)
    return out


def write_version(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (folder / name).write_text(yaml.dump(files[name], Dumper=DUMPER, allow_unicode=True,
                                             sort_keys=False, width=10_000), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--versions", type=int, default=250)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--purposes", type=int, default=PURPOSES)
    args = parser.parse_args(argv)
    generate(args.out, args.versions, args.seed, args.purposes)
    print(f"Wrote {args.versions} versions into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
