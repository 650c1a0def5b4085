"""Property tests: random and mutated content either builds, or fails cleanly and located.

Hypothesis generates three kinds of input, each on top of a copy of the shipped
content, and builds it through the command line's entry point (in-process, for
speed) over a previous build:

- mutated models: the shipped YAML with keys deleted or renamed, values of
  the wrong type, strings injected, list items duplicated, ids swapped;
- random models: one content file drawn from its declaration in
  ``generator/content/schema.py`` (mostly valid, with ids and references drawn from a
  small pool, so that some resolve, some clash and some dangle);
- damaged files: the YAML text with bytes cut, inserted or replaced.

For every input: no exception escapes (no traceback), the exit code is 0 or
1; on 1 every problem is located (file:line:column, or a whole file/folder)
and the previous site is unchanged, byte for byte; on 0 the new site is
complete. Either way no staging folder is left and nothing is written
outside the output folder. The budget is fixed (``max_examples``,
``derandomize``), so the run takes seconds and is the same every time.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import hashlib
import io
import json
import shutil
import tempfile
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands.cli import main
from generator.content.schema import (
    ID_PATTERN,
    SITE,
    VERSION_FILES,
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

from .conftest import ROOT, TODAY, relock
from .test_hostile import assert_located

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NEWEST = sorted(p.name for p in (ROOT / "content" / "versions").iterdir() if p.is_dir())[-1]
# Content files as plain data, keyed by their path inside the content folder.
SHIPPED = {path.relative_to(ROOT / "content").as_posix(): path.read_bytes()
           for path in sorted((ROOT / "content").rglob("*.yaml"))
           if path.name in VERSION_FILES or path.name == "site.yaml"}
DECLARATIONS = {path: SITE if path == "site.yaml" else VERSION_FILES[path.rsplit("/", 1)[1]]
                for path in SHIPPED}
SIBLINGS_ALLOWED = {".privacy-docs-cache"}  # the incremental build's cache, beside the site
COMPLETE = {"index.html", "sitemap.xml", "nl/privacy/index.html", "en/privacy/index.html",
            "nl/cookies/index.html", "en/cookies/index.html", "nl/feed.xml", "en/feed.xml"}


def _ids_by_kind() -> dict[str, list[str]]:
    pools: dict[str, set[str]] = {}

    def walk(node, value):
        if isinstance(node, Id) and isinstance(value, str):
            pools.setdefault(node.kind, set()).add(value)
        elif isinstance(node, Record) and isinstance(value, dict):
            for key, field in node.fields.items():
                walk(field.node, value.get(key))
        elif isinstance(node, ListOf) and isinstance(value, list):
            for item in value:
                walk(node.item, item)

    for path, data in SHIPPED.items():
        walk(DECLARATIONS[path], yaml.safe_load(data))
    return {kind: sorted(ids) + ["x-unknown"] for kind, ids in pools.items()}


ID_POOLS = _ids_by_kind()

# --- strategies -----------------------------------------------------------------

HOSTILE_STRINGS = st.sampled_from([
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "../../etc/passwd", "/etc/passwd",
    "оrder-processing", "a\nb", "\x1b[31mred", "\u202eevil", "{{ 7*7 }}", "%s%n", "", " ",
    "P7Y", "session", "NL", "2020-10-01", "none", "true", "~", "null", "0", "-", "- a",
    "x" * 3000,
])
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True), st.dates(), TEXT, HOSTILE_STRINGS)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(TEXT, HOSTILE_STRINGS), inner,
                                                  max_size=3)), max_leaves=6)


def _as_dumped(data: bytes) -> str:
    return yaml.safe_dump(yaml.safe_load(data), allow_unicode=True, sort_keys=False)


class Content(dict):
    """Content files (path -> bytes) that show themselves as a diff from the shipped ones."""

    def __repr__(self) -> str:
        lines = []
        for path, data in self.items():
            if data != SHIPPED.get(path):
                old = _as_dumped(SHIPPED.get(path, b"")).splitlines()
                new = data.decode("utf-8", "replace").splitlines()
                lines += difflib.unified_diff(old, new, path, path, n=1, lineterm="")
        text = "\n".join(lines)
        return text if len(text) < 4000 else text[:4000] + "\n..."


def _paths(value, prefix=()):
    """Every path into a value: tuples of keys and indices."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _get(value, path):
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated_content(draw) -> dict[str, bytes]:
    """The shipped content with one to three mutations of its parsed YAML."""
    files = {path: yaml.safe_load(data) for path, data in SHIPPED.items()}
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(sorted(files)))
        places = [p for p in _paths(files[path]) if p]
        if not places:  # the file was emptied by an earlier mutation
            continue
        where = draw(st.sampled_from(places))
        parent, last = _get(files[path], where[:-1]), where[-1]
        action = draw(st.sampled_from(["delete", "replace", "rename", "inject", "duplicate",
                                       "swap", "empty"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(VALUES)
        elif action == "rename" and isinstance(parent, dict):
            new = draw(st.one_of(TEXT, HOSTILE_STRINGS, st.sampled_from(sorted(parent))))
            parent[new] = parent.pop(last)
        elif action == "inject" and isinstance(parent[last], str):
            text = draw(st.one_of(TEXT, HOSTILE_STRINGS))
            parent[last] = draw(st.sampled_from([text + parent[last], parent[last] + text,
                                                 text]))
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))  # a second item with the same id
        elif action == "swap" and isinstance(parent, list) and len(parent) > 1:
            other = draw(st.integers(0, len(parent) - 1))
            parent[last], parent[other] = parent[other], parent[last]
        elif action == "swap" and isinstance(parent, dict) and "id" in parent:
            pool = ID_POOLS.get("purpose", ["x"])
            parent["id"] = draw(st.sampled_from(pool))
        else:
            parent[last] = draw(st.sampled_from([None, "", [], {}]))
    return Content({path: yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
                    for path, data in files.items()})


def _from_schema(node, depth: int = 0):
    """A strategy for values of a declaration: mostly valid, sometimes not."""
    text = st.one_of(TEXT.filter(str.strip), HOSTILE_STRINGS)
    if isinstance(node, Record):
        required = {k: _from_schema(f.node, depth + 1) for k, f in node.fields.items()
                    if f.required}
        optional = {k: _from_schema(f.node, depth + 1) for k, f in node.fields.items()
                    if not f.required}
        mapping = st.fixed_dictionaries(required, optional=optional)
        return st.one_of(mapping, st.just(node.literal)) if node.literal else mapping
    if isinstance(node, ListOf):
        return st.lists(_from_schema(node.item, depth + 1), min_size=node.min_items,
                        max_size=node.min_items + (2 if depth < 3 else 0))
    if isinstance(node, Mapping):
        return st.fixed_dictionaries({k: _from_schema(node.value, depth + 1) for k in node.keys})
    if isinstance(node, Text):
        line = text.map(lambda s: s.replace("\n", " ")) if node.line else text
        return st.fixed_dictionaries({"nl": line, "en": line})
    if isinstance(node, TextList):
        return st.integers(1, 3).flatmap(lambda n: st.fixed_dictionaries(
            {"nl": st.lists(text, min_size=n, max_size=n),
             "en": st.lists(text, min_size=n, max_size=n)}))
    if isinstance(node, Str):
        if node.pattern:
            return st.one_of(st.from_regex(node.pattern, fullmatch=True), text)
        return text
    if isinstance(node, Enum):
        return st.one_of(st.sampled_from(node.values), text)
    if isinstance(node, Bool):
        return st.booleans()
    if isinstance(node, Date):
        return st.dates(date(2000, 1, 1), date(2030, 12, 31))
    if isinstance(node, Id | Ref):
        pool = ID_POOLS.get(node.kind, ["x"])
        pattern = node.pattern if isinstance(node, Id) else ID_PATTERN
        return st.one_of(st.sampled_from(pool), st.from_regex(pattern, fullmatch=True))
    return VALUES


@st.composite
def random_model(draw) -> dict[str, bytes]:
    """The shipped content with one file of the newest version drawn from its declaration."""
    name = draw(st.sampled_from(sorted(VERSION_FILES)))
    data = draw(_from_schema(VERSION_FILES[name]))
    files = Content(SHIPPED)
    files[f"versions/{NEWEST}/{name}"] = yaml.safe_dump(data, allow_unicode=True,
                                                        sort_keys=False).encode()
    return files


@st.composite
def damaged_file(draw) -> dict[str, bytes]:
    """The shipped content with a few bytes of one file cut, inserted or replaced."""
    files = Content(SHIPPED)
    path = draw(st.sampled_from(sorted(files)))
    data = bytearray(files[path])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        piece = draw(st.binary(max_size=4) | st.sampled_from(
            [b":", b"- ", b"\t", b"&a ", b"*a", b"!!python/name:os.system ", b"{", b"[", b"'",
             b'"', b"\n  ", b"<<: ", b"\xff", b"\xef\xbb\xbf", b"#"]))
        cut = draw(st.integers(0, 6))
        data[at:at + cut] = piece
    files[path] = bytes(data)
    return files


# --- the property ---------------------------------------------------------------

def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    """A site built from the shipped content: what every fuzzed build starts from."""
    work = tmp_path_factory.mktemp("fuzz-previous")
    shutil.copytree(ROOT / "content", work / "content")
    code, _, err = _build(work)
    assert code == 0, err
    return work / "site"


def _build(work: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", "--content", str(work / "content"), "--out", str(work / "site"),
                     "--today", TODAY])
    return code, out.getvalue(), err.getvalue()


def check_build(files: dict[str, bytes], previous_site: Path, keep_lock: bool = False) -> str:
    """Build ``files`` over a copy of ``previous_site``, assert the property; 'built'/'refused'."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as temp:
        outer = Path(temp)
        work = outer / "work"
        content = work / "content"
        for path, data in files.items():
            (content / path).parent.mkdir(parents=True, exist_ok=True)
            (content / path).write_bytes(data)
        lock = ROOT / "content" / "lock.json"
        if keep_lock and lock.exists():  # the shipped lock: edits of released text fail it
            shutil.copy(lock, content / "lock.json")
        else:  # the versions as they are here, released (else every build is refused)
            relock(content)
        shutil.copytree(previous_site, work / "site")
        before = _tree(work / "site")
        content_before = _tree(content)

        code, _, err = _build(work)  # an exception here is the traceback an editor would see

        assert code in (0, 1), err
        assert "Traceback" not in err
        after = _tree(work / "site")
        if code == 1:
            assert_located(err.splitlines(), work)
            assert after == before, "a failed build changed the previous site"
        else:
            assert COMPLETE <= set(after), sorted(COMPLETE - set(after))
            for file in (work / "site").rglob("*"):
                if file.is_file():
                    assert file.stat().st_size, f"{file.name} is empty"
                    if file.suffix == ".xml":  # a feed must stay well-formed, whatever a text held
                        ElementTree.fromstring(file.read_bytes())
                    elif file.suffix in (".json", ".jsonld"):
                        json.loads(file.read_bytes())
        siblings = {p.name for p in work.iterdir()} - {"content", "site"}
        assert siblings <= SIBLINGS_ALLOWED, f"written beside the site: {siblings}"
        assert [p.name for p in outer.iterdir()] == ["work"], "written outside the work folder"
        assert _tree(content) == content_before, "the build changed its content"
        return "built" if code == 0 else "refused"


@settings(max_examples=20, **SETTINGS)
@given(files=mutated_content(), keep_lock=st.booleans())
def test_mutated_models(files, keep_lock, previous_site):
    check_build(files, previous_site, keep_lock)


@settings(max_examples=12, **SETTINGS)
@given(files=random_model())
def test_random_models(files, previous_site):
    check_build(files, previous_site)


@settings(max_examples=12, **SETTINGS)
@given(files=damaged_file())
def test_damaged_files(files, previous_site):
    check_build(files, previous_site)


def test_the_shipped_content_builds_under_the_property(previous_site):
    """The property's success branch is reachable: unchanged content builds."""
    assert check_build(dict(SHIPPED), previous_site) == "built"
