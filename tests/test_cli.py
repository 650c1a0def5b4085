"""The command line's dispatch: one handler per command, errors reported in one place."""

from __future__ import annotations

import gc
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from generator import __version__
from generator.commands import cli
from generator.commands.cli import COMMANDS, _parser, main
from generator.commands.serve import PreviewServer
from generator.pipeline import Project

from .conftest import ROOT, TODAY, run_build


@pytest.fixture(autouse=True)
def gc_threshold_restored():
    """main() tunes the garbage collector for a build; other tests get the default back."""
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)


def test_every_command_has_a_handler_and_is_documented():
    assert set(COMMANDS) == set(command_parsers())
    for name in COMMANDS:
        assert f"``{name}``" in cli.__doc__, name


def test_unknown_option_is_a_usage_error_of_build(capsys):
    """An option first means the build: its usage, which lists the options, not the
    top-level one, which lists none."""
    assert main(["--frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: build.py build [-h] ")
    assert err.endswith("build.py build: error: unrecognized arguments: --frobnicate\n")


def test_an_unknown_option_of_build_shows_builds_usage():
    result = run_build("build", "--bogus")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("usage: build.py build [-h] ")
    assert "--no-cache" in result.stderr
    assert result.stderr.endswith("build.py build: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize("command", ["check", "release", "lock", "register", "schema",
                                     "serve", "new-version", "init"])
def test_each_command_reports_its_own_unknown_arguments(command, capsys):
    needed = {"lock": ["2020-10-01"], "init": ["folder"]}.get(command, [])
    assert main([command, *needed, "--bogus", "--other=1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: build.py {command} [-h] ")
    assert err.endswith(f"build.py {command}: error: unrecognized arguments: --bogus --other=1\n")


def test_version_is_printed_from_the_package():
    result = run_build("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"build.py (privacy-docs) {__version__}\n"
    assert result.stderr == ""


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1", "eighty", "80.0"])
def test_a_port_outside_1_to_65535_is_refused_before_serving(port, capsys):
    """The system takes a port modulo 65536: 99999 was announced and 34463 listened on."""
    assert main(["serve", "--port", port]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: build.py serve ")
    assert err.endswith(f"build.py serve: error: argument --port: '{port}' is not a port; "
                        "use a number from 1 to 65535\n")


@pytest.mark.parametrize("port", ["1", "8000", "65535"])
def test_a_port_from_1_to_65535_is_taken(port):
    assert _parser().parse_args(["serve", "--port", port]).port == int(port)


def test_serve_announces_the_port_it_listens_on():
    """Asked for port 0, the system chooses one: the server announces that one."""
    stream = io.StringIO()
    server = PreviewServer(Project.at(ROOT), port=0, today=date.fromisoformat(TODAY),
                           stream=stream).start()
    try:
        assert server.port != 0
        try:  # the preview, or the page listing the content's problems: it answers there
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=30) as page:
                assert page.status == 200
        except urllib.error.HTTPError as error:
            with error:
                assert error.code == 500 and b"<html" in error.read()
        assert f"Serving it on http://127.0.0.1:{server.port}/ " in stream.getvalue()
    finally:
        server.stop()


def test_a_mistyped_command_gets_a_suggestion():
    result = run_build("biuld")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("usage: build.py ")
    assert result.stderr.endswith("build.py: error: unknown command 'biuld'; did you mean "
                                  "'build'?\n")


@pytest.mark.parametrize(("typed", "meant"), [("serv", "serve"), ("relase", "release"),
                                              ("newversion", "new-version"), ("lcok", "lock")])
def test_the_closest_command_is_suggested(typed, meant, capsys):
    assert main([typed]) == 2
    assert capsys.readouterr().err.endswith(f"unknown command '{typed}'; did you mean "
                                            f"'{meant}'?\n")


def test_a_word_like_no_command_lists_the_commands(capsys):
    assert main(["site"]) == 2
    assert capsys.readouterr().err.endswith(
        f"build.py: error: unknown command 'site'; the commands are {', '.join(COMMANDS)}\n")


def test_a_clean_build_with_a_cache_is_refused(capsys):
    """--no-cache --cache DIR was accepted, and the cache silently not used."""
    for conflicting in (["--no-cache", "--cache", "cache"], ["--cache", "cache", "--no-cache"]):
        assert main(["build", *conflicting]) == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: build.py build [-h] ") and "[--cache DIR | --no-cache]" in err
        first, second = conflicting[0], conflicting[-1] if conflicting[-1] != "cache" else "--cache"
        assert err.endswith(f"build.py build: error: argument {second}: not allowed with "
                            f"argument {first}\n")


def command_parsers() -> dict:
    return next(action.choices for action in _parser()._actions
                if isinstance(action.choices, dict))


def test_one_spelling_of_each_value_in_every_command():
    """Folders are DIR, dates DATE (said YYYY-MM-DD in the help), versions VERSION; an
    option is spelled the same in every command that has it."""
    spelled: dict[str, str] = {}
    for name, parser in command_parsers().items():
        for action in parser._actions:
            if action.type is Path:
                assert action.metavar == "DIR", (name, action.dest)
            if action.type is cli._date:
                assert action.metavar == "DATE" and "YYYY-MM-DD" in action.help, (name, action)
            if action.dest in ("version", "versions"):
                assert action.metavar == "VERSION" and "YYYY-MM-DD" in action.help, name
            for option in action.option_strings:
                assert spelled.setdefault(option, str(action.metavar)) == str(action.metavar), \
                    (name, option)
        usage = parser.format_usage()
        for spelling in ("CONTENT", "TODAY", "OUT ", "CACHE", "FOLDER", "[version]", "versions"):
            assert spelling not in usage, (name, usage)
    assert spelled["--port"] == "PORT" and spelled["--host"] == "HOST"


def test_help_of_a_command_exits_0(capsys):
    assert main(["build", "--help"]) == 0
    assert "--no-cache" in capsys.readouterr().out


def test_broken_content_is_reported_where_it_is(content, capsys):
    meta = content / "versions/2020-10-01/version.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("last_changed:", "last_chnged:"),
                    encoding="utf-8")
    assert main(["build", "--content", "content", "--out", "site", "--today", TODAY]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert any(re.match(r"content/versions/2020-10-01/version\.yaml:\d+:\d+: unknown key "
                        r"'last_chnged'", line) for line in lines), lines
    assert re.fullmatch(r"\d+ problems? found; nothing was written\.", lines[-1]), lines
    assert "Traceback" not in captured.err and captured.out == ""
    assert not (content.parent / "site").exists()


def test_usage_error_from_a_command_exits_2(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("", encoding="utf-8")
    assert main(["init", str(tmp_path / "full")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("build.py: ") and "exists and is not an empty folder" in err
    assert err.count("\n") == 1


def test_output_under_a_file_names_the_file(tmp_path):
    """It said '[Errno 17] File exists', late, without saying which file."""
    (tmp_path / "somefile").write_text("notes", encoding="utf-8")
    result = run_build("build", "--out", "somefile/site", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("build.py: the output folder's parent somefile is a file, not a "
                             "folder; choose another --out. Nothing was written.\n")
    assert [path.name for path in tmp_path.iterdir()] == ["somefile"]
    assert (tmp_path / "somefile").read_text(encoding="utf-8") == "notes"


def test_output_further_under_a_file_names_the_file(tmp_path, capsys):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / "a-file" / "deeper" / "site"
    assert main(["build", "--out", str(out), "--today", TODAY]) == 2
    captured = capsys.readouterr()
    assert captured.err == (f"build.py: the output folder's parent {tmp_path / 'a-file'} is a "
                            "file, not a folder; choose another --out. Nothing was written.\n")
    assert captured.out == ""


def test_output_under_folders_has_no_parent_problem(tmp_path):
    from generator.output.folder import parent_refusal

    assert parent_refusal(tmp_path / "new" / "deeper" / "site") is None
    assert parent_refusal(Path("site")) is None
    (tmp_path / "link").symlink_to(tmp_path)
    assert parent_refusal(tmp_path / "link" / "site") is None


def test_init_under_a_file_names_the_folder(tmp_path, capsys):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    folder = tmp_path / "a-file" / "content"
    assert main(["init", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"build.py: cannot write {folder}: ") and err.count("\n") == 1


# Runs build.py --version as `python build.py` would, once this interpreter has started
# (its own start, the site module and the editable install's finder, is out of build.py's
# reach). Ctrl-C is blocked until build.py's first import of the generator, inside its
# `try`, so that a Ctrl-C sent at any moment lands in build.py; with INTERRUPT_AT, Ctrl-C
# is pressed right when that module is imported.
STARTUP = r"""
import os, signal, sys
build = sys.argv[1]
with open(build, encoding="utf-8") as file:
    code = compile(file.read(), build, "exec")
at = os.environ.get("INTERRUPT_AT")
assert at not in sys.modules, at

class Startup:
    def find_spec(self, name, path=None, target=None):
        if name == "generator":
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        if name == at:
            signal.raise_signal(signal.SIGINT)
            for _ in range(1000):  # Python raises KeyboardInterrupt here, at the latest
                pass
        return None

sys.meta_path.insert(0, Startup())
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
sys.argv = ["build.py", "--version"]
print("READY", flush=True)
exec(code, {"__name__": "__main__", "__file__": build})
"""


def start_build_py(**environment: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", STARTUP, str(ROOT / "build.py")],
                               cwd=ROOT, env={**os.environ, **environment}, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline() == "READY\n"
    return process


@pytest.mark.parametrize("module", ["generator", "generator.commands.cli", "argparse", "difflib",
                                    "generator.errors", "shutil", "generator.timing"])
def test_ctrl_c_while_starting_is_quiet(module):
    """Ctrl-C while build.py imports the generator (generator.*, argparse, difflib), reads
    the arguments (shutil, for the help's width) or ends (timing): no traceback, 130."""
    process = start_build_py(INTERRUPT_AT=module)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, "build.py: interrupted\n"), err
    assert "Traceback" not in err


@pytest.mark.parametrize("delay", [0, 0.001, 0.003, 0.01, 0.02, 0.04, 0.08])
def test_ctrl_c_at_any_moment_of_the_start_is_quiet(delay):
    """A real Ctrl-C at varied moments: build.py is interrupted quietly (130), or had
    already finished; never a traceback (it printed one and died of SIGINT)."""
    process = start_build_py()
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in err, err
    if process.returncode == 130:
        assert err == "build.py: interrupted\n"
    else:  # finished before the Ctrl-C came
        assert (process.returncode, err) == (0, ""), err
        assert out == f"build.py (privacy-docs) {__version__}\n"  # after READY


def test_a_build_does_not_import_the_other_commands(tmp_path):
    """Lazy imports: an incremental rebuild starts without the checks, register, server."""
    script = ("import json, sys\n"
              "from generator.commands.cli import main\n"
              f"code = main(['build', '--today', '{TODAY}', '--out', sys.argv[1]])\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith('generator.'))))\n"
              "sys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "site")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert "generator.pipeline" in loaded
    unneeded = {"generator.check.run", "generator.check.rules", "generator.export.register",
                "generator.commands.release", "generator.commands.new_version",
                "generator.commands.serve"}
    assert not loaded & unneeded, loaded & unneeded


def test_check_does_not_import_the_render_export_or_speed_stages():
    """Lazy imports: 'check' loads and validates; it starts without Jinja, the pages, the
    exports, the cache or the speedups."""
    script = ("import json, sys\n"
              "from generator.commands.cli import main\n"
              f"code = main(['check', '--today', '{TODAY}'])\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('generator.', "
              "'jinja2', 'markdown')))))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert "generator.check.run" in loaded
    unneeded = {"jinja2", "markdown", "generator.render.environment", "generator.render.pages",
                "generator.export.api", "generator.incremental.build_cache",
                "generator.speed.session"}
    assert not loaded & unneeded, loaded & unneeded
