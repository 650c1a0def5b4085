"""Compiled templates and catalogs kept between processes, as Python keeps its bytecode.

A build compiles every template it renders; the incremental build keeps them in its
cache, but a build without one (``--no-cache``, or the first into a folder) compiled
them again each time. :class:`StoredTemplates` keeps each compiled template in a
folder of the user's own (``$XDG_CACHE_HOME/privacy-docs``, by default
``~/.cache/privacy-docs``), named by a digest of the code that decides how a
template compiles (``render/environment.py``, ``speed/jinja_tweaks.py``) and of
the Jinja and Python versions. Jinja stores each with its source's checksum and
compiles an edited template again, so what is kept only saves work. The message
catalogs compiled from ``locales/`` are kept there too (:class:`StoredCatalogs`), by
their ``.po`` bytes.

What is kept there is code, run by the build: the folder is used only when it is
the user's own and no one else may write to it (not a link, not group- or
world-writable), like the cache folder (docs/security.md). Anything that fails
there (a read-only home, a full disk) leaves the templates compiled in memory.
``--plain`` uses none.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
import tempfile
from pathlib import Path

import jinja2

from generator.incremental.version_cache import TemplateStore

_GENERATOR = Path(__file__).resolve().parents[1]
_DECIDES = (_GENERATOR / "render" / "environment.py", _GENERATOR / "speed" / "jinja_tweaks.py")


def code_digest() -> str:
    """What decides how a template compiles, as a digest."""
    digest = hashlib.sha256(f"{jinja2.__version__} {sys.version}".encode())
    for path in _DECIDES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def user_folder(name: str | None = None) -> Path | None:
    """This user's folder of compiled templates for this code (or the folder ``name``
    beside it), made if missing; None when there is none to be had that only this user
    may write."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "privacy-docs" / (name or f"templates-{code_digest()}")
    try:
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or \
            info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder


class StoredTemplates(TemplateStore):
    """Compiled templates by Jinja's key, in memory and in ``folder`` (the client of a
    ``MemcachedBytecodeCache``)."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__()
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / hashlib.sha256(key.encode()).hexdigest()

    def get(self, key, default=None):
        found = dict.get(self, key)
        if found is None and self.folder is not None:
            try:
                found = self[key] = self._path(key).read_bytes()
            except OSError:
                return default
        return default if found is None else found

    def set(self, key, value, timeout=None):
        self[key] = value
        if self.folder is not None:
            _write(self._path(key), value)


class StoredCatalogs:
    """Compiled message catalogs (``.mo`` bytes) kept in ``folder`` by a digest of their
    language and ``.po`` bytes, for ``i18n.load_translations`` (its ``COMPILED``) to
    take instead of compiling the catalog with Babel again."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, lang: str, source: bytes) -> Path:
        return self.folder / ("catalog-" + hashlib.sha256(lang.encode() + b"\0" + source)
                              .hexdigest() + ".mo")

    def fill(self, locales: Path) -> None:
        """The catalogs under ``locales`` compiled before, into ``i18n.COMPILED``."""
        if self.folder is None:
            return
        from babel.support import Translations

        from generator.content.schema import LANGUAGES
        from generator.render import i18n
        for lang in LANGUAGES:
            try:
                source = i18n.catalog_path(locales, lang).read_bytes()
                compiled = self._path(lang, source).read_bytes()
                Translations(io.BytesIO(compiled))  # a catalog gettext reads, or none
            except Exception:  # missing, unreadable or damaged: compiled as before
                continue
            i18n.COMPILED.setdefault((lang, source), compiled)

    def keep(self) -> None:
        """Keep what ``i18n.COMPILED`` holds that the folder does not."""
        if self.folder is None:
            return
        from generator.render import i18n
        for (lang, source), compiled in list(i18n.COMPILED.items()):
            path = self._path(lang, source)
            if not path.exists():
                _write(path, compiled)


def _write(path: Path, data: bytes) -> None:
    """``data`` at ``path``, whole under a temporary name and then renamed: never half a
    file; nothing when it cannot be written."""
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as stream:
            stream.write(data)
        os.replace(stream.name, path)
    except OSError:
        try:
            os.unlink(stream.name)
        except (OSError, NameError):
            pass
