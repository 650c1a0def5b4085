"""Shared fixtures for tests that need a real browser or the HTML checkers.

- ``local_site``: the shipped content built with ``base_url`` pointing at a
  ThreadingHTTPServer on 127.0.0.1, so the absolute links of fragments and 404
  pages stay on this machine; fragments are also served wrapped in a minimal
  host document under ``/wrapped/``.
- ``browser``: pytest-playwright's session browser, launched from Debian's
  ``/usr/bin/chromium`` (never ``playwright install``); tests asking for it skip
  with a reason when Chromium is missing.
- ``recording_context(browser)``: a browser context that records every request
  and aborts, and lists, any that would leave 127.0.0.1.

Imported by ``tests/conftest.py``; see ../shared/TOOLING.md.
"""

from __future__ import annotations

import functools
import html
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
SITE_PREFIX = "privacy/"  # the site is served under /privacy/, as in production
WRAPPED_PREFIX = "wrapped/"


def chromium_missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} is missing: install it with "
                "`apt-get install -y --no-install-recommends chromium` (or run .ci/run)")
    return None


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 on a free port in a thread; yields 'http://127.0.0.1:N/'."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def wrap_fragment(fragment: str, lang: str, title: str, stylesheet: str) -> str:
    """A fragment inside the least a host page has: a document with its own h1 and main."""
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            f'<link rel="stylesheet" href="{html.escape(stylesheet)}">\n'
            f"</head>\n<body>\n<main>\n<h1>Host page</h1>\n{fragment}\n"
            "</main>\n</body>\n</html>\n")


def is_fragment(path: str) -> bool:
    """embed/<lang>/... files are fragments; embed/example.html is a whole host page."""
    return path.startswith("embed/") and path.count("/") >= 2


def wrap_fragments(site: Path, into: Path, stylesheet: str) -> dict[str, Path]:
    """Write every fragment of ``site`` wrapped in a document under ``into``; path -> file."""
    wrapped = {}
    for file in sorted(site.glob("embed/*/**/*.html")):
        path = file.relative_to(site).as_posix()
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wrap_fragment(file.read_text(encoding="utf-8"), path.split("/")[1],
                                        path, stylesheet), encoding="utf-8")
        wrapped[path] = target
    return wrapped


@dataclass
class LocalSite:
    """The built site as served: ``root`` on disk, ``base_url`` its address."""
    root: Path
    origin: str  # http://127.0.0.1:N/
    base_url: str  # origin + "privacy/"
    wrapped: dict[str, Path] = field(default_factory=dict)

    def html_files(self) -> list[str]:
        """Every HTML output, relative to the site root, sorted."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    def url(self, path: str) -> str:
        """The address of an output path: folders for index.html, wrappers for fragments."""
        if path in self.wrapped:
            return self.origin + WRAPPED_PREFIX + path
        return self.base_url + path.removesuffix("index.html")


@pytest.fixture(scope="session")
def local_site(tmp_path_factory) -> Iterator[LocalSite]:
    """The shipped content, built for and served at http://127.0.0.1:N/privacy/."""
    from .conftest import TODAY, relock, run_build

    work = tmp_path_factory.mktemp("local-site")
    www = work / "www"
    www.mkdir()
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    with serve(www) as origin:
        base_url = origin + SITE_PREFIX.rstrip("/")
        site_yaml = content / "site.yaml"
        lines = site_yaml.read_text(encoding="utf-8").splitlines(keepends=True)
        site_yaml.write_text("".join(f"base_url: {base_url}\n" if line.startswith("base_url:")
                                     else line for line in lines), encoding="utf-8")
        relock(content)  # base_url differs from the locked text's: released again
        out = www / SITE_PREFIX
        result = run_build("build", "--content", str(content), "--out", str(out),
                           "--today", TODAY)
        assert result.returncode == 0, result.stderr
        wrapped = wrap_fragments(out, www / WRAPPED_PREFIX,
                                 f"/{SITE_PREFIX}embed/privacy-docs-embed.css")
        yield LocalSite(out, origin, origin + SITE_PREFIX, wrapped)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium; without it, browser tests skip."""
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": LAUNCH_ARGS}


@dataclass
class RecordingContext:
    """A browser context whose every request is recorded; requests off 127.0.0.1 are aborted."""
    context: object
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def recording_context(browser, **options) -> RecordingContext:
    """``browser.new_context(**options)`` with every request recorded (close it when done)."""
    recording = RecordingContext(browser.new_context(**options))
    recording.context.route("**/*", recording._route)
    return recording
