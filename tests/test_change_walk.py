"""The change list derived from the declarations (issue 20, item 5): every declared field
the shipped 2026-04-01 version states, changed at random in a copy, gives at least one
line, in both languages, and the comparison of the two statements marks it (unless
the statement does not show the field: ``NOT_ON_PAGE``); an unchanged copy gives none."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import schema
from generator.content.declarations import (
    Bool,
    Date,
    Enum,
    Id,
    ListOf,
    Mapping,
    Record,
    Ref,
    Str,
    Text,
    TextList,
)
from generator.content.located import LocalText
from generator.content.model import DocumentVersion, build_site
from generator.errors import Problems
from generator.pipeline import Project, load_and_validate
from generator.render import change_walk, changes
from generator.render.environment import Renderer
from generator.render.i18n import load_translations
from generator.render.kinds import article
from generator.render.redline import compare
from generator.render.urls import Page

from .conftest import ROOT

SHIPPED = "2026-04-01"


# Fields a change list names but the statement does not show: kept for the register
# and the exports (the DPV terms), or shown only through another field.
NOT_ON_PAGE = {
    "cookies cookies.yaml:consent_tool/cookie",  # the consent exports' settings
    "cookies cookies.yaml:consent_tool/tool",
    "cookies cookies.yaml:cookies/*/low_privacy_impact",  # a claim `check` tests (C02)
    "cookies cookies.yaml:settings_link/href",  # a link's target, not its text
    "cookies organisation.yaml:address/country",  # the cookie statement gives no address
    "privacy organisation.yaml:website",  # the register and the exports
    "privacy purposes.yaml:groups/*/purposes/*/direct_marketing",  # for `check` (P12)
}


@pytest.fixture(scope="module")
def site():
    return build_site(load_and_validate(Project.at(ROOT)), date(2026, 12, 6), drafts=False)


@pytest.fixture(scope="module")
def shipped(site):
    return next(v for v in site.versions if v.name == SHIPPED)


@pytest.fixture(scope="module")
def marks(site):
    """Whether the comparison of two versions' statements marks a change, per language."""
    renderer = Renderer(ROOT / "templates", ROOT / "locales", Problems())

    def marked(document: str, old, new) -> dict[str, bool]:
        found = {}
        for lang in ("en", "nl"):
            page = Page.at(f"{lang}/{document}/compare/index.html", lang)
            texts = [article(renderer, site, page, DocumentVersion(document, v), 1)
                     for v in (old, new)]
            _, inserted, deleted = compare(*texts)
            found[lang] = inserted + deleted > 0
        return found
    return marked


@pytest.fixture(scope="module")
def gettext():
    return {lang: load_translations(ROOT / "locales", lang, Problems()).gettext
            for lang in ("en", "nl")}


def _fields(node, value, path: tuple):
    """(path, declaration) of every listed value the version states."""
    if value is None or not node.listed:
        return
    if isinstance(node, Record) and isinstance(value, dict):
        for key, declared in node.fields.items():
            yield from _fields(declared.node, value.get(key), path + (key,))
    elif isinstance(node, Mapping):
        for key in node.keys:
            yield from _fields(node.value, value.get(key), path + (key,))
    elif isinstance(node, ListOf) and isinstance(node.item, Record):
        for index, item in enumerate(value):
            yield from _fields(node.item, item, path + (index,))
    elif isinstance(node, Record) and value != node.literal:
        return
    elif not isinstance(node, (Id, Date)):
        yield path, node


def _every_field(version):
    found = []
    for document in schema.DOCUMENTS:
        for name in schema.DOCUMENT_FILES[document]:
            for path, node in _fields(schema.VERSION_FILES[name], version.files[name], ()):
                if f"{name}:{path[0]}" not in change_walk.NOT_SHOWN[document]:
                    found.append((document, name, path, node))
    return found


FIELDS = []  # filled once from the shipped version (the strategies need them at import)


def _ids(version, kind: str) -> list[str]:
    return {"recipient": list(version.recipients), "data_category": list(version.categories),
            "purpose": list(version.purposes), "cookie": list(version.cookies),
            "data_subject": list(schema.DATA_SUBJECTS)}.get(kind, [])


def _changed(node, value, version, pick):
    """Another value of the kind ``node`` declares."""
    if isinstance(node, (Text, TextList)):
        return LocalText({lang: (text + [pick(["extra", "meer"])]
                                 if isinstance(text, list) else
                                 text + pick([" Also.", " Ook."]))
                          for lang, text in value.values.items()}, value.loc, value.markdown)
    if isinstance(node, Enum):
        return pick([v for v in node.values if v != value])
    if isinstance(node, Bool):
        return not value
    if isinstance(node, Ref):
        return pick([i for i in _ids(version, node.kind) if i != value])
    if isinstance(node, ListOf):
        item = node.item
        choices = (list(item.values) if isinstance(item, Enum) else
                   _ids(version, item.kind) if isinstance(item, Ref) else [])
        extra = [c for c in choices if c not in value]
        if value and (not extra or pick([True, False])):
            return value[:-1]
        return list(value) + [pick(extra)]
    if isinstance(node, Str):
        if node.pattern == schema.COUNTRY_PATTERN:
            return pick([c for c in ("US", "EEA", "CH", "IN") if c != value])
        if node.pattern and "P(?:" in node.pattern:
            return pick([d for d in ("P2Y", "P6M", "P30D") if d != value])
        if node.pattern and node.pattern.startswith("^1[3-6]"):
            return str(13 if str(value) != "13" else 14)
        return str(value) + pick(["x", "1"])
    if isinstance(node, Record) and value == node.literal:  # 'none', now a record
        return {**dict.fromkeys(node.fields), "kind": "internal", "name": "A. Jansen",
                "email": "fg@example.nl"}
    raise AssertionError(f"no change for {node!r}")


def _afresh(*versions) -> None:
    """Drop the model's derived lookups, so that they are made again from the files."""
    for version in versions:
        for cached in ("purposes", "categories", "recipients", "cookies", "groups"):
            version.__dict__.pop(cached, None)


def _set(files: dict, name: str, path: tuple, value) -> None:
    target = files[name]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _get(files: dict, name: str, path: tuple):
    target = files[name]
    for key in path:
        target = target[key]
    return target


def test_the_shipped_version_declares_fields_of_every_kind(shipped):
    kinds = {type(node) for *_, node in _every_field(shipped)}
    assert {Text, TextList, Enum, Bool, Ref, ListOf, Str} <= kinds


def test_an_unchanged_copy_gives_no_line(shipped):
    for document in schema.DOCUMENTS:
        assert changes.document_changes(document, shipped, copy.deepcopy(shipped)) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(data=st.data())
def test_a_changed_field_gives_a_line_in_both_languages(shipped, gettext, marks, data):
    """For any declared field the shipped version states, a different value in a copy
    gives a line in English and in Dutch, in the history of each document that holds
    its file."""
    fields = FIELDS or FIELDS.extend(_every_field(shipped)) or FIELDS
    field = fields[data.draw(st.integers(0, len(fields) - 1), label="field")]
    _assert_lines(shipped, gettext, marks, field,
                  lambda xs: data.draw(st.sampled_from(list(xs))))


def test_every_field_of_the_shipped_version_gives_a_line(shipped, gettext, marks):
    """The same for each field in turn, with its first other value."""
    fields = _every_field(shipped)
    assert len(fields) > 250
    for field in fields:
        _assert_lines(shipped, gettext, marks, field, lambda xs: list(xs)[0])


def _assert_lines(shipped, gettext, marks, field, pick) -> None:
    document, name, path, node = field
    changed = copy.deepcopy(shipped)
    value = _get(changed.files, name, path)
    _set(changed.files, name, path, _changed(node, value, changed, pick))
    _afresh(shipped, changed)
    found = change_walk.document_changes(document, shipped, changed)
    where = f"{name}:{'/'.join(map(str, path))} ({type(node).__name__})"
    assert found, f"no line for {where}"
    for lang in ("en", "nl"):
        lines = [changes.describe(c, lang, gettext[lang]) for c in found]
        assert all(line.strip() and "->" not in line for line in lines), (where, lines)
    shown = marks(document, shipped, changed)
    generic = "/".join(str(p) if not isinstance(p, int) else "*" for p in path)
    if f"{document} {name}:{generic}" in NOT_ON_PAGE:
        assert not any(shown.values()), f"{where} is on the page: remove it from NOT_ON_PAGE"
    else:
        assert all(shown.values()), f"the comparison does not mark {where}: {shown}"


def _lines(document, old, new, gettext, lang):
    _afresh(old, new)
    return [changes.describe(c, lang, gettext[lang])
            for c in changes.document_changes(document, old, new)]


def test_a_recipient_renamed_and_moved_and_the_controller_s_facts(shipped, gettext):
    """The issue's cases: a recipient keeping its id while its name and country change,
    the DPO stated, the Chamber of Commerce number changed; in both languages, and in
    the cookie history only what the cookie statement shows of the controller."""
    changed = copy.deepcopy(shipped)
    carriers = next(r for r in changed.files["recipients.yaml"]["recipients"]
                    if r["id"] == "carriers")
    carriers["name"] = LocalText({"nl": "Pakketdiensten", "en": "Parcel services"},
                                 carriers["name"].loc, False)
    carriers["country"] = "CH"
    organisation = changed.files["organisation.yaml"]
    organisation["dpo"] = {"kind": "internal", "name": "A. Jansen", "email": "fg@example.nl"}
    organisation["chamber_of_commerce"] = "99999999"
    organisation["email"] = "privacy@example.nl"
    en = _lines("privacy", shipped, changed, gettext, "en")
    assert "Where Parcel services processes the data: the European Economic Area → " \
           "Switzerland" in en
    assert "Recipient ‘Parcel services’ — name: Carriers → Parcel services" in en
    assert "Controller — data protection officer: none appointed → A. Jansen" in en
    assert "Controller — Chamber of Commerce number: not stated → 99999999" in en
    nl = _lines("privacy", shipped, changed, gettext, "nl")
    assert "Verwerkingsverantwoordelijke — functionaris voor gegevensbescherming: " \
           "niet aangesteld → A. Jansen" in nl
    assert "Ontvanger ‘Pakketdiensten’ — naam: Vervoerders → Pakketdiensten" in nl
    cookies = _lines("cookies", shipped, changed, gettext, "en")
    assert [line for line in cookies if line.startswith("Controller")] == [
        f"Controller — e-mail address: {shipped.organisation['email']} → privacy@example.nl"]


def test_a_purpose_whose_bases_are_covered_in_part_renders(shipped, marks):
    """``basis_covers`` may name some of a purpose's bases (P05 asks for the rest): the
    page shows those parts and the bare name of the others (it failed to render)."""
    changed = copy.deepcopy(shipped)
    purpose = next(p for g in changed.files["purposes.yaml"]["groups"] for p in g["purposes"]
                   if p.get("basis_covers") and len(p["legal_bases"]) == 2)
    first, second = purpose["legal_bases"]
    del purpose["basis_covers"][second]
    _afresh(shipped, changed)
    assert marks("privacy", shipped, changed) == {"en": True, "nl": True}
