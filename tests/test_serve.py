"""``python build.py serve``: the live preview, in-process on a free port.

Each test serves a private copy of content/, templates/ and locales/, so that
nobody else's edits of the shared folders trigger a rebuild here.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from generator.commands.cli import _parser
from generator.commands.serve import PreviewServer, script_hash
from generator.pipeline import Project

from .browser import chromium_missing
from .conftest import ROOT, TODAY, run_build

TITLE = "en: Privacy Statement MKB serviceshop"  # line of versions/2027-01-01/privacy.yaml
PRIVACY = "versions/2027-01-01/privacy.yaml"
BROKEN = "en: Privacy Statement: MKB serviceshop"  # a colon in an unquoted text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except urllib.error.URLError as error:  # not listening (yet)
        return 0, str(error)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def as_draft(content: Path, name: str = "2027-01-01") -> None:
    """Make a version the draft being edited, as 'new-version' leaves it: not released,
    not in the lock (a released version is edited only through an erratum)."""
    meta = content / "versions" / name / "version.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("status: released",
                                                             "status: draft"), encoding="utf-8")
    recorded = json.loads((content / "lock.json").read_text(encoding="utf-8"))
    del recorded["versions"][name]
    (content / "lock.json").write_text(json.dumps(recorded), encoding="utf-8")


@pytest.fixture
def project(content, tmp_path) -> Project:
    for folder in ("templates", "locales"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return Project(content=content, templates=tmp_path / "templates",
                   locales=tmp_path / "locales")


@pytest.fixture
def preview(project):
    server = PreviewServer(project, port=free_port(), today=date.fromisoformat(TODAY),
                           stream=io.StringIO()).start()
    yield server
    server.stop()


@pytest.fixture
def draft_preview(project):
    """The preview of an editing session: the newest version is the draft edited."""
    as_draft(project.content)
    server = PreviewServer(project, port=free_port(), today=date.fromisoformat(TODAY),
                           stream=io.StringIO()).start()
    yield server
    server.stop()


def test_binds_127_0_0_1_by_default(project):
    assert _parser().parse_args(["serve"]).host == "127.0.0.1"
    server = PreviewServer(project, port=free_port(), stream=io.StringIO()).start()
    try:
        assert fetch(f"http://127.0.0.1:{server.port}/")[0] == 200
        with pytest.raises(ConnectionRefusedError):  # another loopback address: not bound
            socket.create_connection(("127.0.0.2", server.port), timeout=5).close()
        assert "warning" not in server.stream.getvalue()
    finally:
        server.stop()


def test_another_address_only_when_asked_and_with_a_warning(project):
    server = PreviewServer(project, host="0.0.0.0", port=free_port(),
                           stream=io.StringIO()).start()
    try:
        socket.create_connection(("127.0.0.2", server.port), timeout=5).close()
        assert "warning: serving on 0.0.0.0, not on 127.0.0.1 only" in server.stream.getvalue()
    finally:
        server.stop()


def test_a_broken_edit_shows_every_problem_and_the_site_comes_back(preview, content):
    page = preview.url + "en/privacy/"
    assert fetch(page)[0] == 200
    privacy = content / PRIVACY
    purposes = content / "versions/2027-01-01/purposes.yaml"
    original = privacy.read_text(encoding="utf-8")
    edit(privacy, TITLE, BROKEN)
    edit(purposes, "legal_bases: [contract]", "legal_bases: [legitiem belang]")
    status, html = wait_until(lambda: (r := fetch(page))[0] == 500 and "2 problems" in r[1]
                              and r) or fetch(page)
    assert status == 500, html
    title_line = original.splitlines().index("  " + TITLE) + 1
    assert f"content/{PRIVACY}:{title_line}:" in html
    assert "content/versions/2027-01-01/purposes.yaml:" in html
    assert "legal basis &#39;legitiem belang&#39; is not one of" in html
    assert BROKEN in html  # the offending source line
    assert fetch(preview.url + "assets/privacy-docs.css")[0] == 200  # the last good build
    terminal = preview.stream.getvalue()
    assert f"content/{PRIVACY}:{title_line}:" in terminal and "2 problems found" in terminal
    privacy.write_text(original, encoding="utf-8")
    edit(purposes, "legal_bases: [legitiem belang]", "legal_bases: [contract]")
    assert wait_until(lambda: fetch(page)[0] == 200)
    assert "Privacy Statement MKB serviceshop" in fetch(page)[1]


def test_a_template_edit_is_picked_up(preview):
    template = preview.project.templates / "base.html"
    edit(template, '<footer class="site-footer">', '<footer class="site-footer">EDITED-FOOTER')
    assert wait_until(lambda: "EDITED-FOOTER" in fetch(preview.url + "en/privacy/")[1])
    edit(template, "EDITED-FOOTER", "")
    assert wait_until(lambda: "EDITED-FOOTER" not in fetch(preview.url + "en/privacy/")[1])


def test_drafts_are_shown_with_a_banner(preview, content):
    from generator.commands.new_version import new_version

    draft = new_version(preview.project, date(2027, 3, 1), date.fromisoformat(TODAY))
    edit(draft / "privacy.yaml", TITLE, TITLE + " (draft)")
    status, html = wait_until(lambda: (r := fetch(preview.url + "en/privacy/2027-03-01/"))[0]
                              == 200 and r) or (0, "")
    assert status == 200
    assert "Draft:</strong> this version has not been published" in html
    assert "Privacy Statement MKB serviceshop (draft)" in html
    current = fetch(preview.url + "en/privacy/")[1]
    assert "is being prepared and has not been published" in current
    assert 'href="2027-03-01/"' in current
    compare = fetch(preview.url + "en/privacy/2027-03-01/compare/")[1]
    assert "Draft:</strong>" in compare


def test_pages_allow_livereload_and_nothing_else(preview):
    html = fetch(preview.url + "en/privacy/")[1]
    script = re.search(r"<script[^>]*>.*?</script>", html).group(0)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert f"script-src 'self' {script_hash(script.encode())}; connect-src 'self'" in csp
    assert csp.startswith("default-src 'none';")


def test_never_writes_into_the_watched_folders(project):
    as_draft(project.content)
    before = {f: f.stat().st_mtime_ns for folder in (project.content, project.templates,
                                                   project.locales) for f in folder.rglob("*")}
    server = PreviewServer(project, port=free_port(), stream=io.StringIO()).start()
    workdir = server.workdir
    try:
        edit(project.content / PRIVACY, TITLE, TITLE + "!")
        assert wait_until(lambda: "changed: rebuilt" in server.stream.getvalue())
        for folder in (project.content, project.templates, project.locales):
            assert not workdir.resolve().is_relative_to(folder.resolve())
    finally:
        server.stop()
    after = {f: f.stat().st_mtime_ns for folder in (project.content, project.templates,
                                                  project.locales) for f in folder.rglob("*")}
    assert set(after) == set(before)
    assert [f for f in after if after[f] != before[f]] == [project.content / PRIVACY]
    assert not workdir.exists()


@pytest.mark.browser
@pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")
def test_edit_reload_break_fix_in_chromium(draft_preview, content, browser):
    preview = draft_preview
    page = browser.new_page()  # with the pages' own CSP: livereload must work under it
    console = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(preview.url + "en/privacy/2027-01-01/")  # the draft
        heading = page.locator("h1").first
        assert heading.inner_text() == "Privacy Statement MKB serviceshop"
        from livereload.handlers import LiveReloadHandler
        assert wait_until(lambda: LiveReloadHandler.waiters), "livereload.js did not connect"

        privacy = content / PRIVACY
        original = privacy.read_text(encoding="utf-8")
        # (how soon: benchmarks/serve_latency.py measures it in Chromium; the timeouts here
        # only keep a test that hangs from hanging for ever)
        edit(privacy, TITLE, TITLE + " (edited)")
        page.wait_for_function("() => document.querySelector('h1')?.textContent"
                               ".includes('(edited)')", timeout=30000)

        edit(privacy, TITLE + " (edited)", BROKEN)
        page.wait_for_selector(".pd-where", timeout=15000)
        line = original.splitlines().index("  " + TITLE) + 1
        assert f"content/{PRIVACY}:{line}:" in page.locator(".pd-where").first.inner_text()
        assert BROKEN in page.locator("pre").first.inner_text()

        privacy.write_text(original, encoding="utf-8")
        page.wait_for_function("() => document.querySelector('h1')?.textContent === "
                               "'Privacy Statement MKB serviceshop'", timeout=15000)
        assert not [text for text in console if "Content Security Policy" in text]
    finally:
        page.close()


def save_as_editors_do(path: Path, old: str, new: str) -> None:
    """Save by writing a scratch file beside it and renaming it over the file: one
    change for the watcher, however busy the machine (a write in place is a truncation
    and a write, which a long enough pause between them would make two)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    scratch = path.with_name(f".{path.name}.swp")
    scratch.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(scratch, path)


def test_each_save_is_one_rebuild_and_one_reload(draft_preview, content, monkeypatch):
    """The mechanism behind the reload (how soon it comes is measured in Chromium, by
    benchmarks/serve_latency.py): the watcher's report of a save makes one rebuild of
    what it changed, then one reload message to the open pages."""
    from livereload.handlers import LiveReloadHandler
    preview, reloads = draft_preview, []
    send = LiveReloadHandler.reload_waiters

    def counted(cls, path=None):
        reloads.append(path)
        return send(path)
    monkeypatch.setattr(LiveReloadHandler, "reload_waiters", classmethod(counted))
    builds = preview.preview.builds
    title = TITLE
    for number in range(3):
        save_as_editors_do(content / PRIVACY, title, f"{TITLE} ({number})")
        title = f"{TITLE} ({number})"
        assert wait_until(lambda n=number: len(reloads) > n, timeout=60)
        heading = f"Privacy Statement MKB serviceshop ({number})</h1>"
        assert heading in fetch(preview.url + "en/privacy/2027-01-01/")[1]
    time.sleep(0.5)  # room for a second rebuild of the same save, which must not come
    assert preview.preview.builds - builds == 3 and len(reloads) == 3
    assert preview.stream.getvalue().count("changed: rebuilt") == 3


def test_the_command_serves_until_stopped_and_leaves_nothing_behind(content, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
               "--port", str(port), "--today", TODAY]
    process = subprocess.Popen(command, env={**os.environ, "TMPDIR": str(scratch)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(lambda: fetch(f"http://127.0.0.1:{port}/en/privacy/")[0] == 200)
        assert [p.name[:19] for p in scratch.iterdir()] == ["privacy-docs-serve-"]
        busy = run_build("serve", "--content", str(content), "--port", str(port))
        assert busy.returncode == 2
        assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in busy.stderr
    finally:
        process.send_signal(signal.SIGTERM)  # handled like Ctrl+C
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert f"Serving it on http://127.0.0.1:{port}/" in errors and "Stopped." in errors
    assert "Traceback" not in errors
    assert list(scratch.iterdir()) == []


def test_a_session_keeps_no_more_after_each_save(project, tmp_path):
    """What a serve session keeps between rebuilds is bounded: after a few saves, more
    saves of the draft leave the number of objects the collector tracks as it was
    (each save used to keep a YAML node and two marks, and every version of the
    edited file's bytes). ``benchmarks/serve_memory.py`` measures 500 saves."""
    import gc

    from generator.commands.serve import Preview
    as_draft(project.content)
    statement = project.content / "versions" / "2027-01-01" / "privacy.yaml"
    preview = Preview(project, tmp_path / "preview" / "site", date.fromisoformat(TODAY),
                      io.StringIO())
    text = statement.read_text(encoding="utf-8")
    counts = []
    for save in range(24):
        statement.write_text(text.replace("Als u klant bent", f"Als u klant ({save}) bent", 1),
                             encoding="utf-8")
        assert preview.build(), preview.problems
        if save in (8, 23):
            gc.collect()
            counts.append(len(gc.get_objects()))
    assert counts[1] - counts[0] < 15, counts  # three a save before: 45 over these 15


def test_a_pdf_is_made_when_the_browser_asks_for_it_not_on_each_save(draft_preview, content,
                                                                        monkeypatch):
    """A save rebuilds without laying out a PDF (the draft's is a placeholder on disk);
    the browser asking for it gets the PDF, laid out then, that one only."""
    from generator.export import pdf as export_pdf
    from generator.speed import pdf_store
    made: list[str] = []
    real = export_pdf.to_pdf
    monkeypatch.setattr(export_pdf, "to_pdf", lambda html: made.append(html) or real(html))
    monkeypatch.setattr(pdf_store, "lay_out", lambda htmls: made.extend(htmls) or [])
    preview, builds = draft_preview, draft_preview.preview.builds
    save_as_editors_do(content / PRIVACY, TITLE, f"{TITLE} (saved)")
    assert wait_until(lambda: preview.preview.builds > builds, timeout=60)
    name = "en/privacy/2027-01-01/privacy-2027-01-01-en.pdf"  # the draft edited
    assert made == []
    assert pdf_store.placeholder_key((preview.preview.out / name).read_bytes())
    with urllib.request.urlopen(preview.url + name, timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")
    assert len(made) == 1 and "(saved)" in made[0]
