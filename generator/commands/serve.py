"""``python build.py serve``: a live preview for people editing the content.

The site, drafts included, is built by the same incremental pipeline as a
real build (a save re-parses and re-renders only what it changed) into a
temporary folder outside every watched folder, its cache beside it. The
``livereload`` package serves that folder and tells the browser to reload.
The kernel reports each save under ``content/``, ``templates/`` and
``locales/`` (``watchfiles``); the site is rebuilt once and every open page
reloads. When the content is broken, every page request gets an error page
listing each problem with its place, its source line and what would be right;
the terminal gets the same lines. The last good build stays on disk, and
comes back with the next good save.

livereload's own habits that matter here (see its ``server``/``handlers``):
its handler keeps class-level state, which is reset for each server; its own
watcher polls and ignores a change for 3 s after a reload, so saves come from
``watchfiles`` and the reload is sent from here right after each rebuild; it
injects an inline script before ``</head>``, which the pages'
Content-Security-Policy would block, so preview pages (never the real site)
allow exactly that script by its hash.

A PDF is not made in the save-to-reload path: laying out one takes longer than the
rest of a rebuild, and every save of a draft changes its PDFs. The preview's builds
take the PDFs made before (in this session, or by a build, from the user's store) and
leave the others a placeholder (``speed/pdf_store.py``, deferring); when the browser
asks for a PDF, that one is laid out then, and served.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import ipaddress
import logging
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2
import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

from generator import CACHE_FOLDER
from generator.content.files import display_path
from generator.errors import ContentError, Location, Problem, Problems
from generator.pipeline import FileRewrite, Project, build
from generator.speed import pdf_store
from generator.speed.session import Speedups

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SETTLE_MS = 10  # a save is reported once no more changes came for this long
_IGNORED = watchfiles.DefaultFilter()  # version control, caches, editors' swap files
_CSP_META = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')
_ERROR_PAGE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent)), autoescape=True,
    undefined=jinja2.StrictUndefined).get_template("serve_error.html")


def script_hash(script: bytes) -> str:
    """The CSP source (``'sha256-...'``) that allows one inline ``<script>`` element."""
    inner = script.split(b">", 1)[1].rsplit(b"</script>", 1)[0]
    return "'sha256-" + base64.b64encode(hashlib.sha256(inner).digest()).decode("ascii") + "'"


def allow_script(html: bytes, source: str) -> bytes:
    """A page whose CSP also allows livereload: its inline script and its websocket."""
    extra = f"; script-src 'self' {source}; connect-src 'self'".encode("ascii")
    return _CSP_META.sub(lambda m: m.group(1) + m.group(2) + extra + m.group(3), html, count=1)


def is_public(host: str) -> bool:
    """False for this computer's own addresses (loopback); True for any other, or all."""
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host != "localhost"


@dataclass
class Preview:
    """Builds the site into ``out`` and remembers the outcome of the last build."""
    project: Project
    out: Path
    today: date | None = None  # None: the day of each build
    stream: object = field(default=sys.stderr)
    script_source: str = "'none'"
    problems: list[Problem] = field(default_factory=list)
    builds: int = 0
    last_seconds: float = 0.0
    # the speedups and what they keep from one rebuild to the next, for this session; a
    # PDF not made before is made when asked for (``pdf``)
    speed: Speedups = field(default_factory=lambda: Speedups(pdfs=pdf_store.folder(),
                                                             defer_pdfs=True))

    @property
    def cache(self) -> Path:
        """The incremental build's cache: beside the preview's folder, removed with it."""
        return self.out.parent / CACHE_FOLDER

    def _finish(self) -> FileRewrite:
        """Preview pages allow livereload's script; keyed by it, so that the incremental
        build reuses only pages finished for this server."""
        source = self.script_source

        def apply(path: str, data: bytes) -> bytes:
            return allow_script(data, source) if path.endswith(".html") else data
        return FileRewrite(source, apply)

    def build(self) -> bool:
        """Rebuild; True when the site was written, False when the problems were recorded.
        The same incremental build as ``build.py build``: only what a save changed is
        parsed and rendered again."""
        started = time.perf_counter()
        problems = Problems()
        try:
            build(self.project, self.out, self.today or date.today(), drafts=True,
                  cache=self.cache, finish=self._finish(), speed=self.speed)
        except ContentError as error:
            problems = error.problems
        except OSError as error:
            problems.add(Location(str(self.out)), f"cannot write the preview: {error}")
        except Exception as error:  # a bug must not stop the preview; say what it was
            problems.add(Location("build.py"), "internal error, please report it: "
                         f"{type(error).__name__}: {error}")
        self.builds += 1
        self.last_seconds = time.perf_counter() - started
        self.problems = problems.sorted()
        for problem in self.problems:
            print(problem, file=self.stream)
        if self.problems:
            count = len(self.problems)
            print(f"{count} problem{'s' if count != 1 else ''} found; the browser shows "
                  f"{'them' if count != 1 else 'it'} until the next good save.",
                  file=self.stream, flush=True)
        return not self.problems

    def pdf(self, path: str, again: bool = True) -> bytes | None:
        """The PDF at ``path`` in the preview, laid out now if the build left it to be
        made on request; None when there is none (or not the file of a build)."""
        file = (self.out / path).resolve()
        if not file.is_relative_to(self.out.resolve()) or not file.is_file():
            return None
        data = file.read_bytes()
        key = pdf_store.placeholder_key(data)
        if key is None:
            return data
        made = self.speed.pdf_store.make(key)
        if made is None and again:  # its HTML no longer held: a build whose cache finds
            file.unlink()  # the file missing makes it again, and holds its HTML
            return self.pdf(path, again=False) if self.build() else None
        return made

    def error_page(self) -> bytes | None:
        """The page shown instead of every page while the content is broken."""
        if not self.problems:
            return None
        items = []
        for problem in self.problems:
            items.append({"location": str(problem.location), "message": problem.message,
                          "line": problem.location.line, "column": problem.location.column,
                          "source": problem.source_line()})
        html = _ERROR_PAGE.render(problems=items, content=display_path(self.project.content))
        return allow_script(html.encode("utf-8"), self.script_source)


class _SourceWatcher(Watcher):
    """Rebuilds once per save, then reloads the browsers. The kernel reports the save
    (``watchfiles``: inotify on Linux; set WATCHFILES_FORCE_POLLING=1 on a file system
    without it); a thread waits for the reports and hands each batch to the server's loop.
    Only the livereload ``Watcher`` interface is kept, so livereload does not poll."""

    def __init__(self, folders: list[Path], on_change):
        super().__init__()
        self.folders = [folder for folder in folders if folder.is_dir()]
        self.on_change = on_change
        self._stop = threading.Event()
        for folder in self.folders:
            self.watch(str(folder))  # livereload watches the working folder if none

    def start(self, callback) -> bool:
        loop = IOLoop.current()

        def wait_for_saves() -> None:
            for changes in watchfiles.watch(
                    *self.folders, watch_filter=_is_source, step=SETTLE_MS,
                    stop_event=self._stop, raise_interrupt=False):
                loop.add_callback(self.on_change, min(path for _, path in changes))
        threading.Thread(target=wait_for_saves, name="privacy-docs-watch", daemon=True).start()
        return True

    def stop(self) -> None:
        self._stop.set()

    def examine(self):
        return None, None  # saves are reported by the thread above


def _is_source(change, path: str) -> bool:
    return not _editor_scratch(path) and _IGNORED(change, path)


def _editor_scratch(path: str) -> bool:
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp"))


class _PreviewFiles(StaticFileHandler):
    """The built site, or the error page for every page while the content is broken."""

    def initialize(self, path, default_filename=None, preview=None):
        super().initialize(path, default_filename)
        self.preview = preview
        self.absolute_path = None  # (a PDF made on request has no file behind it)

    def set_extra_headers(self, path):
        self.set_header("Cache-Control", "no-store")

    def compute_etag(self):
        return None if self.absolute_path is None else super().compute_etag()

    async def get(self, path, include_body=True):
        page = self.preview.error_page()
        if page is not None and (not path or path.endswith(("/", ".html"))):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(page)
            return
        if path.endswith(".pdf") and page is None:
            data = self.preview.pdf(path)  # a draft's, laid out now
            if data is not None:
                self.set_header("Content-Type", "application/pdf")
                self.set_header("Cache-Control", "no-store")
                self.finish(data if include_body else b"")
                return
        await super().get(path, include_body)


class _LiveServer(Server):
    def __init__(self, preview: Preview, watcher: Watcher):
        super().__init__(watcher=watcher)
        self.preview = preview

    def get_web_handlers(self, script):
        self.preview.script_source = script_hash(script)
        return [(r"/(.*)", _PreviewFiles, {"path": str(self.preview.out),
                                            "default_filename": "index.html",
                                            "preview": self.preview})]


def _listening_port(loop: IOLoop, asked: int) -> int:
    """The port the server listens on, to announce (the system chooses it for port 0):
    livereload keeps no hold of its server, but tornado's loop holds the listening
    socket."""
    for fileobj, _ in getattr(loop, "handlers", {}).values():
        if isinstance(fileobj, socket.socket):
            return fileobj.getsockname()[1]
    return asked


class PreviewServer:
    """The preview on ``host:port``; ``run()`` blocks, or ``start()`` runs it in a thread."""

    def __init__(self, project: Project, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 today: date | None = None, stream=sys.stderr):
        self.project, self.host, self.port, self.stream = project, host, port, stream
        self.folders = [project.content, project.templates, project.locales]
        self.workdir = Path(tempfile.mkdtemp(prefix="privacy-docs-serve-"))
        for folder in self.folders:
            if self.workdir.resolve().is_relative_to(folder.resolve()):
                shutil.rmtree(self.workdir)
                raise OSError(f"the temporary folder {self.workdir} lies inside {folder}; "
                              "set TMPDIR to a folder outside it")
        self.preview = Preview(project, self.workdir / "site", today, stream)
        self.reload_seconds: list[float] = []  # per change: save -> browsers told to reload
        self._loop: IOLoop | None = None
        self._watcher: _SourceWatcher | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def _changed(self, path: str) -> None:
        saved = Path(path).stat().st_mtime if Path(path).exists() else time.time()
        ok = self.preview.build()
        LiveReloadHandler.reload_waiters()
        self.reload_seconds.append(time.time() - saved)
        where = display_path(Path(path))
        outcome = "rebuilt" if ok else "could not rebuild"
        print(f"{where} changed: {outcome} in {self.preview.last_seconds:.2f} s; browser "
              f"reloaded {self.reload_seconds[-1]:.2f} s after the save.", file=self.stream,
              flush=True)

    def run(self) -> None:
        """Build, serve and watch until ``stop()`` (or Ctrl+C in the terminal)."""
        asyncio.set_event_loop(asyncio.new_event_loop())  # the calling thread's own loop
        self._loop = IOLoop.current()
        LiveReloadHandler.waiters = set()
        LiveReloadHandler._last_reload_time = None
        access = logging.getLogger("tornado.access")  # one line per request: noise here
        if not access.handlers:
            access.addHandler(logging.NullHandler())
        self._watcher = _SourceWatcher(self.folders, self._changed)
        server = _LiveServer(self.preview, self._watcher)
        server.root = str(self.preview.out)
        server.default_filename = "index.html"
        try:
            server.application(self.port, self.host, debug=False)
            self.port = _listening_port(self._loop, self.port)
            if is_public(self.host):
                print(f"warning: serving on {self.host or 'every address'}, not on 127.0.0.1 "
                      f"only: anyone who can reach this machine on port {self.port} can read "
                      "the preview, drafts included.", file=self.stream)
            ok = self.preview.build()
            print(f"{'Built' if ok else 'Could not build'} the preview in "
                  f"{self.preview.last_seconds:.2f} s. Serving it on {self.url} (drafts "
                  "included); saving a file under "
                  f"{', '.join(display_path(f) + '/' for f in self.folders)} rebuilds it. "
                  "Press Ctrl+C to stop.", file=self.stream, flush=True)
            LiveReloadHandler.start_tasks()
        except BaseException as error:
            self.error = error
            self._ready.set()
            self._close()
            raise
        self._ready.set()
        try:
            self._loop.start()
        finally:
            self._close()

    def _close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        self._loop.close(all_fds=True)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self) -> PreviewServer:
        """Run in a background thread; returns once the server listens (or failed)."""
        def target():
            try:
                self.run()
            except BaseException:  # kept in self.error for the caller
                pass
        self._thread = threading.Thread(target=target, name="privacy-docs-serve", daemon=True)
        self._thread.start()
        self._ready.wait(60)
        if self.error is not None:
            raise self.error
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.add_callback(self._loop.stop)
        if self._thread is not None:
            self._thread.join(30)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(project: Project, host: str, port: int, today: date | None) -> int:
    """The command: serve until Ctrl+C. Exit code 2 when the address cannot be used."""
    try:
        server = PreviewServer(project, host, port, today)
    except OSError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl+C: the folder is removed
    try:
        server.run()
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    except OSError as error:
        print(f"build.py: cannot serve on {host}:{port}: {error.strerror or error}; choose "
              "another port with --port", file=sys.stderr)
        return 2
    return 0
