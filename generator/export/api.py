"""Machine-readable exports under ``site/api/``, made in the render stage.

- ``api/index.json``: every document and version with its dates, status, the
  fingerprints recorded in the lock, and the absolute URLs of its pages,
  fragments and exports per language;
- ``api/<document>/<date>.json``: that version's normalised model (both
  languages), for every version in the document's history;
- ``api/schema/*.schema.json``: JSON Schemas of both. The model part of the
  version schema is ``json_schema.py``'s schema of each content file, i.e. the
  same declarations the validator walks;
- the DPV JSON-LD (``dpv.py``) and the consent-manager configurations
  (``consent.py``).

Each version's exports are :data:`FORMATS`, one :class:`ExportFormat` each: adding a
format is one entry (docs/design.md, "Adding an export format").

Everything is added to the render stage's dict of output files, so it is
written atomically with the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator import json_text
from generator.content.located import LocalText
from generator.content.model import DocumentVersion, Site, to_plain
from generator.content.schema import DOCUMENT_FILES, DOCUMENTS, LANGUAGES
from generator.errors import Problems
from generator.export import consent as export_consent
from generator.export import dpv as export_dpv
from generator.export import json_schema
from generator.export import pdf as export_pdf
from generator.render import i18n, kinds
from generator.render.environment import Renderer
from generator.render.pages import emit
from generator.render.urls import embed_path, history_path, page_path, pdf_path

API = "api/"
INDEX = API + "index.json"
INDEX_SCHEMA = API + "schema/index.schema.json"
VERSION_SCHEMA = API + "schema/version.schema.json"
DIALECT = json_schema.DIALECT
STATUSES = ("current", "announced", "superseded", "draft")


def model_path(document: str, version: str) -> str:
    return f"{API}{document}/{version}.json"


def to_json(data) -> bytes:
    """Stable, readable JSON: same input, same bytes (the schemas, read by people)."""
    return json_text.indented(data) + b"\n"


def _plain(value):
    if isinstance(value, LocalText):
        return value.values
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__} as JSON")


def to_compact_json(data) -> bytes:
    """Stable, compact JSON for the exports of each version: same input, same bytes.

    Model values (texts, dates) may be given as they are, as in ``model.to_plain``.
    Without indentation the files are a quarter smaller; ``python -m json.tool``
    shows one indented.
    """
    return json_text.compact(data, _plain) + b"\n"


def file_key(content_file: str) -> str:
    """``data_categories.yaml`` -> ``data_categories``."""
    return content_file.removesuffix(".yaml")


def gettexts(locales: Path) -> dict:
    """The gettext function of each language, from the same catalog as the pages."""
    problems = Problems()  # a broken catalog is reported by the Renderer already
    return {lang: i18n.load_translations(locales, lang, problems).gettext
            for lang in LANGUAGES}


@dataclass(frozen=True)
class ExportFormat:
    """An export made for each version of the ``documents`` it names: ``add(out,
    exporting, entry)`` puts its files into ``out`` and returns the paths the API index
    names, by name. An incremental build keeps a version's files while what the format
    ``depends`` on (names in ``render/kinds.py``'s ``INPUTS``) is unchanged."""
    name: str
    documents: tuple[str, ...]
    add: Callable[[dict[str, bytes], Exporting, DocumentVersion], dict[str, str]]
    depends: tuple[str, ...] = ("version",)

    def __post_init__(self) -> None:
        kinds.check_depends(self.name, self.depends)


@dataclass
class Exporting:
    """What the formats are made with, for one build."""
    site: Site
    renderer: Renderer
    translators: dict  # the gettext function of each language (``gettexts``)
    lock: dict = field(default_factory=dict)  # content/lock.json, for the PDFs' fingerprints
    # makes PDFs from HTML (``pdf.to_pdfs``; the pipeline may hand in one that remembers)
    convert: Callable[[Iterable[str]], Iterator[bytes]] = export_pdf.to_pdfs


def _model(out: dict[str, bytes], exporting: Exporting, entry: DocumentVersion) -> dict:
    path = model_path(entry.document, entry.name)
    emit(out, path, to_compact_json(version_model(entry, plain=False)))
    return {"json": path}


def _dpv(out: dict[str, bytes], exporting: Exporting, entry: DocumentVersion) -> dict:
    return {"jsonld": export_dpv.add_jsonld(out, exporting.site, entry)}


def _consent(out: dict[str, bytes], exporting: Exporting, entry: DocumentVersion) -> dict:
    """Both configurations; the current version's also at an address without its date."""
    return export_consent.add_configs(out, exporting.site, entry, exporting.renderer,
                                      exporting.translators)


def _pdf(out: dict[str, bytes], exporting: Exporting, entry: DocumentVersion) -> dict:
    for _, part in export_pdf.make_pdfs(exporting, [entry]):
        for path, data in part.items():
            emit(out, path, data)
    return {}  # the index names each language's PDF with its pages (``_version_entry``)


# Each version's exports, in this order (the index names them so). A build makes the PDFs
# after the others, all it has to make together (``pdf.make_pdfs``): the speed wing may
# then lay them out side by side.
PDF = ExportFormat("pdf", DOCUMENTS, _pdf)
FORMATS: list[ExportFormat] = [
    ExportFormat("json", DOCUMENTS, _model),
    ExportFormat("jsonld", ("privacy",), _dpv),
    ExportFormat("consent", ("cookies",), _consent, depends=("version", "period")),
    PDF,
]


def add_version_exports(out: dict[str, bytes], site: Site, renderer: Renderer,
                        lock: dict | None = None,
                        convert: Callable[[Iterable[str]], Iterator[bytes]] | None = None
                        ) -> dict[tuple[str, str], dict[str, str]]:
    """Add each version's exports (``FORMATS``, then the PDFs) to ``out``; returns, per
    (document, version), the paths the index names (``add_index``). The pages need not be
    in ``out`` yet. ``lock``: content/lock.json; ``convert``: see ``Exporting``."""
    exporting = Exporting(site, renderer, gettexts(renderer.locales), lock or {},
                          convert or export_pdf.to_pdfs)
    kept = renderer.cache  # an incremental build takes unchanged ones from the last
    exports: dict[tuple[str, str], dict[str, str]] = {}
    for document in DOCUMENTS:
        formats = [form for form in FORMATS if document in form.documents and form is not PDF]
        for entry in site.history(document):
            named = exports[(document, entry.name)] = {}
            for form in formats:
                def produce(part: dict[str, bytes], form=form, entry=entry) -> dict[str, str]:
                    return form.add(part, exporting, entry)
                named.update(kept.exports(out, kept.entry_key(site, entry, "-", form), produce)
                             if kept else produce(out))
    # the PDFs an earlier build made under the same key taken, the others made together
    entries = [entry for document in DOCUMENTS for entry in site.history(document)]
    if kept:
        entries = [entry for entry in entries
                   if kept.reused_exports(out, kept.entry_key(site, entry, "-", PDF)) is None]
    for entry, part in export_pdf.make_pdfs(exporting, entries):
        if kept:
            kept.made_exports(out, kept.entry_key(site, entry, "-", PDF), part, {})
        else:
            for path, data in part.items():
                emit(out, path, data)
    return exports


def add_index(out: dict[str, bytes], site: Site, lock: dict,
              exports: dict[tuple[str, str], dict[str, str]]) -> None:
    """Add the schemas and the API index, which names every page in ``out``."""
    emit(out, VERSION_SCHEMA, to_json(version_schema(site)))
    emit(out, INDEX_SCHEMA, to_json(index_schema(site)))
    for name, schema in export_consent.schemas().items():
        emit(out, API + f"schema/{name}.schema.json", to_json(schema))
    emit(out, INDEX, to_compact_json(index(site, out, lock, exports)))  # long: compact


# --- one version's model ------------------------------------------------------

def version_model(entry: DocumentVersion, plain: bool = True) -> dict:
    """``api/<document>/<date>.json``; with ``plain=False`` its model values are left as
    they are, for ``to_compact_json``."""
    version = entry.version
    convert = to_plain if plain else (lambda value: value)
    return {
        "$schema": "../schema/version.schema.json",
        "document": entry.document,
        "version": entry.name,
        "effective": entry.effective.isoformat(),
        "model": {file_key(name): convert(version.files[name])
                  for name in ("version.yaml", *DOCUMENT_FILES[entry.document])},
    }


def version_schema(site: Site) -> dict:
    """The schema of ``api/<document>/<date>.json``, its model from ``json_schema.py``."""
    defs = {}
    for name in ("version.yaml", *sorted({f for files in DOCUMENT_FILES.values()
                                          for f in files})):
        schema = json_schema.file_schema(name)
        schema.pop("$schema", None)
        defs[file_key(name)] = schema
    variants = []
    for document in DOCUMENTS:
        files = [file_key(name) for name in ("version.yaml", *DOCUMENT_FILES[document])]
        variants.append({
            "properties": {
                "document": {"const": document},
                "model": {"type": "object",
                          "properties": {key: {"$ref": f"#/$defs/{key}"} for key in files},
                          "required": files, "additionalProperties": False},
            },
        })
    return {
        "$schema": DIALECT,
        "$id": site.base_url + VERSION_SCHEMA,
        "title": "One version of a privacy-docs document: its normalised model",
        "$comment": "The model's schemas are generated from generator/content/schema.py, the "
                    "declarations the build validates the content with.",
        "type": "object",
        "properties": {
            "$schema": {"type": "string"},
            "document": {"enum": list(DOCUMENTS)},
            "version": {"type": "string", "format": "date"},
            "effective": {"type": "string", "format": "date"},
            "model": {"type": "object"},
        },
        "required": ["document", "version", "effective", "model"],
        "additionalProperties": False,
        "oneOf": variants,
        "$defs": defs,
    }


# --- the index ------------------------------------------------------------------

def _urls(site: Site, out: dict[str, bytes], paths: dict[str, str]) -> dict[str, str]:
    """Absolute URLs of the paths that were rendered (``index.html`` shown as its folder)."""
    return {kind: site.base_url + path.removesuffix("index.html")
            for kind, path in paths.items() if path in out}


def _fingerprints(lock: dict, document: str, version: str) -> dict | None:
    recorded = lock.get("versions", {}).get(version)
    if not isinstance(recorded, dict):
        return None
    texts = recorded.get("documents", {}).get(document)
    return {"model": recorded.get("model"),
            "text": {lang: texts.get(lang) for lang in LANGUAGES} if texts else None}


def _version_entry(site: Site, out, lock, exports, entry: DocumentVersion) -> dict:
    document, name = entry.document, entry.name
    pages = {lang: _urls(site, out, {
        "page": page_path(lang, document, name) + "index.html",
        "compare": page_path(lang, document, name) + "compare/index.html",
        "fragment": embed_path(lang, document, name),
        "pdf": pdf_path(lang, document, name),
    }) for lang in LANGUAGES}
    return {
        "version": name,
        "effective": entry.effective.isoformat(),
        "until": entry.until.isoformat() if entry.until else None,
        "status": entry.status,
        "last_changed": entry.version.meta["last_changed"].isoformat(),
        "summary": to_plain(entry.summary),  # the document's own (``summaries``)
        "reconstructed": to_plain(entry.reconstructed),
        "fingerprints": _fingerprints(lock, document, name),
        "urls": pages,
        "exports": {kind: site.base_url + path
                    for kind, path in exports[(document, name)].items()},
    }


def index(site: Site, out: dict[str, bytes], lock: dict, exports) -> dict:
    documents = {}
    for document in DOCUMENTS:
        current = site.current(document)
        documents[document] = {
            "current": current.name if current else None,
            "urls": {lang: _urls(site, out, {
                "page": page_path(lang, document) + "index.html",
                "history": history_path(lang, document) + "index.html",
                "fragment": embed_path(lang, document),
                "feed": f"{lang}/feed.xml",
            }) for lang in LANGUAGES},
            "versions": [_version_entry(site, out, lock, exports, entry)
                         for entry in site.history(document)],
        }
    consent = {kind: site.base_url + path for kind, path in export_consent.current_paths()
               .items() if path in out}
    return {
        "$schema": "schema/index.schema.json",
        "title": to_plain(site.title),
        "base_url": site.base_url,
        "build_date": site.today.isoformat(),
        "languages": list(LANGUAGES),
        "schemas": {"index": site.base_url + INDEX_SCHEMA,
                    "version": site.base_url + VERSION_SCHEMA},
        "consent": consent,
        "documents": documents,
    }


def index_schema(site: Site) -> dict:
    url = {"type": "string", "format": "uri", "pattern": "^https?://"}
    day = {"type": "string", "format": "date"}
    text = {"type": "object", "properties": {lang: {"type": "string"} for lang in LANGUAGES},
            "required": list(LANGUAGES), "additionalProperties": False}
    urls = {"type": "object", "additionalProperties": url}
    per_language = {"type": "object", "properties": {lang: urls for lang in LANGUAGES},
                    "required": list(LANGUAGES), "additionalProperties": False}
    digest = {"type": ["string", "null"], "pattern": "^sha256:[0-9a-f]{64}$"}
    fingerprints = {
        "description": "From the lock (content/lock.json); null for a version not released "
                       "through the lock.",
        "anyOf": [{"type": "null"}, {
            "type": "object",
            "properties": {"model": digest, "text": {
                "anyOf": [{"type": "null"}, {"type": "object", "properties": {
                    lang: digest for lang in LANGUAGES}, "additionalProperties": False}]}},
            "required": ["model", "text"], "additionalProperties": False}]}
    version = {
        "type": "object",
        "properties": {
            "version": day, "effective": day,
            "until": {"description": "Last day in effect; null while open-ended",
                      "anyOf": [{"type": "null"}, day]},
            "status": {"enum": list(STATUSES)},
            "last_changed": day, "summary": text,
            "reconstructed": {"description": "The note of a version that reconstructs an "
                              "earlier publication; null for one that does not",
                              "anyOf": [{"type": "null"}, text]},
            "fingerprints": fingerprints,
            "urls": per_language, "exports": urls,
        },
        "required": ["version", "effective", "until", "status", "last_changed", "summary",
                     "reconstructed", "fingerprints", "urls", "exports"],
        "additionalProperties": False,
    }
    document = {
        "type": "object",
        "properties": {"current": {"anyOf": [{"type": "null"}, day]}, "urls": per_language,
                       "versions": {"type": "array", "items": version}},
        "required": ["current", "urls", "versions"], "additionalProperties": False,
    }
    return {
        "$schema": DIALECT,
        "$id": site.base_url + INDEX_SCHEMA,
        "title": "privacy-docs API index: every document and version",
        "type": "object",
        "properties": {
            "$schema": {"type": "string"},
            "title": text, "base_url": url, "build_date": day,
            "languages": {"type": "array", "items": {"enum": list(LANGUAGES)}},
            "schemas": urls, "consent": urls,
            "documents": {"type": "object",
                          "properties": {name: document for name in DOCUMENTS},
                          "required": list(DOCUMENTS), "additionalProperties": False},
        },
        "required": ["title", "base_url", "build_date", "languages", "schemas", "consent",
                     "documents"],
        "additionalProperties": False,
    }
