"""Synthetic content with a long history, valid for the real validator.

Issue 8 asks for versions "of about the seed's size with 40 purposes": the
benchmark is set against other generators building 1000 pages of ~18 KB, and
the seed (the customer's statement) is 18.5 KB of text with 7 purposes. Each
synthetic version aims at that: its Dutch privacy statement reads about
21-22 KB of text (English about 19-20 KB), its cookie statement about 6 KB.

Starts from the newest shipped version. Its 7 purposes stay whole; 33 short
purposes modelled on them are added (a title, one sentence, one legal basis,
one data category, each text distinct). To make room for them, every text
outside the purposes (sections, data categories, recipients) keeps only its
first sentence: with them whole, the newest shipped version alone reads
24.5 KB in Dutch, and 40 purposes would not fit. Then ``versions`` monthly
versions are written. Between two consecutive versions about 5% of the
longer texts change (always at least one in the privacy and one in the
cookie statement; an edit adds a version number to one sentence, so the
size stays put) and one cookie's expiry changes; every tenth version adds
a cookie. Every version is released and recorded in ``lock.json``, as
``release`` records it (a build publishes no released version its lock does
not record). The result is deterministic for a given ``versions`` and
``seed``.

    .venv/bin/python benchmarks/synthetic.py OUT_DIR [--versions 250]
"""

from __future__ import annotations

import argparse
import copy
import random
import re
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


def _shorten(files: dict) -> None:
    """Cut the texts outside the purposes to their first sentence, to make room for 40 purposes."""
    for name in ("organisation.yaml", "privacy.yaml", "data_categories.yaml", "recipients.yaml"):
        for text in _texts(files[name], []):
            for lang in ("nl", "en"):
                text[lang] = _SENTENCE_END.split(text[lang].split("\n")[0], 1)[0]


# Between two sentences of a paragraph (a paragraph break is not one).
_SENTENCE_END = re.compile(r"(?<=[.?!]) (?=[A-Z“‘(])")


def _widen(files: dict, purposes: int) -> None:
    """Add short purposes (distinct ids and texts) until there are ``purposes`` of them.

    Each is modelled on a shipped purpose, taken in turn, but short: a title, one
    sentence, one legal basis (with the first clause of the interest or law that
    basis needs) and one data category. The shipped purposes stay whole.
    """
    groups = files["purposes.yaml"]["groups"]
    originals = [(g, p) for g in groups for p in g["purposes"]]
    count, part = len(originals), 2
    while count < purposes:
        for group, purpose in originals:
            if count >= purposes:
                break
            group["purposes"].append(_short_purpose(group, purpose, part))
            count += 1
        part += 1


def _short_purpose(group: dict, purpose: dict, part: int) -> dict:
    """Part ``part`` (2, 3, ...) of ``purpose``: a short purpose with its own texts."""
    name = {lang: _short_title(group, purpose, lang) for lang in ("nl", "en")}
    basis = purpose["legal_bases"][0]
    short = {"id": f"{purpose['id']}-{part - 1}",
             "title": {lang: f"{name[lang]} {part}" for lang in name},
             "description": {
                 "nl": f"Alleen voor onderdeel {part} van {_lower(name['nl'])}.",
                 "en": f"Only for part {part} of {_lower(name['en'])}."},
             "legal_bases": [basis]}
    needs = {"legitimate_interests": "legitimate_interest", "legal_obligation": "legal_reference"}
    if needs.get(basis) in purpose:
        short[needs[basis]] = {lang: _first_clause(text)
                               for lang, text in purpose[needs[basis]].items()}
    categories = purpose["data_categories"]
    short["data_categories"] = [categories[part % len(categories)]]
    for key in ("direct_marketing", "dpv"):
        if key in purpose:
            short[key] = purpose[key]
    return short


def _short_title(group: dict, purpose: dict, lang: str) -> str:
    """The purpose's (or its group's) title up to a first ' en ', ' and ' or comma."""
    return re.split(r" en | and |, ", (purpose.get("title") or group["title"])[lang])[0]


def _first_clause(text: str) -> str:
    return re.split(r", | en | and ", text)[0].rstrip(".") + "."


def _lower(title: str) -> str:
    return title if title[:2].isupper() else title[0].lower() + title[1:]


def _edit(text: dict, original: dict, version: int, rng: random.Random) -> None:
    """Change a text a little: one sentence of its original wording gets a version number.

    Starting again from the original keeps every version about the same size.
    """
    position = rng.random()
    for lang, marker in (("nl", f"versie {version}"), ("en", f"version {version}")):
        sentences = _SENTENCE_END.split(original[lang])
        at = min(int(position * len(sentences)), len(sentences) - 1)
        sentence = sentences[at]
        end = len(sentence.rstrip(".?!:;"))
        sentences[at] = f"{sentence[:end]} ({marker}){sentence[end:]}"
        text[lang] = " ".join(sentences)


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


def generate(out: Path, versions: int = 250, seed: int = 8, purposes: int = PURPOSES,
             locked: bool = True) -> Path:
    """Write site.yaml and ``versions`` version folders into ``out`` (replaced)."""
    files, site_file = _newest_shipped()
    _shorten(files)
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
    if locked:
        lock_released(out)
    return out


def lock_released(content: Path, today: date = date(2026, 11, 25), project=None) -> None:
    """Record every released version of ``content`` in its lock as it now reads: what
    ``python build.py release VERSION`` records for one, for all of them at once (the
    fingerprints only: the PDFs are left to the builds, as the lock reads the fragments).
    Content that does not validate is left as it is (a build will say why)."""
    from generator.content import lock
    from generator.content.model import build_site
    from generator.errors import ContentError
    from generator.pipeline import Project, load_and_validate, render
    from generator.speed.session import Speedups

    project = project or Project.at(ROOT, content=content)
    try:
        site = build_site(load_and_validate(project), today, drafts=False)
        files, _ = render(project, site, speed=Speedups(defer_pdfs=True))
    except ContentError:
        return
    entries = {version.name: lock.entry_for(site, files, version) for version in site.versions}
    lock.write_lock(project.content, {"versions": entries})


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
