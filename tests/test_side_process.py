"""The side process: the files it parses and the comparisons it makes are the same as
made here, and a side process that fails leaves its work to this one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.content.located import LocalText
from generator.render import redline
from generator.speed import side_process, yaml_pieces
from generator.speed.session import Speedups
from generator.speed.side_process import InProcess, SideProcess

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the side process is Linux's")


def article(version: int) -> str:
    """Consecutive versions of an article: a paragraph changes, one is added."""
    blocks = [f"<h2>Doel {n}</h2>\n<p>Wij bewaren uw gegevens {n + version % 3} jaar.</p>"
              for n in range(8)]
    blocks += [f"<p>Toegevoegd in versie {v}.</p>" for v in range(version)]
    return "<article>\n" + "\n".join(blocks) + "\n</article>"


def run(made: InProcess, articles: list[str], batch: int = 3) -> list:
    """Submit consecutive pairs a batch at a time and collect each batch before the
    next is submitted, as the render stage does."""
    results, pending = [], 0
    pairs = list(zip(articles, articles[1:], strict=False))
    for start in range(0, len(pairs), batch):
        if pending:
            results += made.collect()
        for old, new in pairs[start:start + batch]:
            made.submit(old, new)
        pending = len(pairs[start:start + batch])
    return results + (made.collect() if pending else [])


def expected(articles: list[str]) -> list:
    return [redline.compare(old, new) for old, new in zip(articles, articles[1:],
                                                            strict=False)]


def test_the_side_process_makes_the_comparisons_made_here():
    articles = [article(v) for v in range(12)]
    with side_process.start(parallel=True) as made:
        assert isinstance(made, SideProcess) or len(os.sched_getaffinity(0)) == 1
        assert run(made, articles) == expected(articles)
    assert made.pid == 0  # ended and waited for


def test_an_article_not_sent_last_is_sent_again():
    """Each article crosses once when versions are consecutive; any other pair is sent
    whole."""
    first, second, third = article(1), article(2), article(3)
    with SideProcess() as made:
        for old, new in ((first, second), (second, third), (first, third), (third, first)):
            made.submit(old, new)
        assert made.collect() == [redline.compare(first, second),
                                  redline.compare(second, third),
                                  redline.compare(first, third),
                                  redline.compare(third, first)]


def test_a_side_process_killed_leaves_the_comparisons_to_this_one():
    articles = [article(v) for v in range(8)]
    with SideProcess() as made:
        made.submit(articles[0], articles[1])
        os.kill(made.pid, signal.SIGKILL)
        time.sleep(0.05)
        made.submit(articles[1], articles[2])
        assert made.collect() == expected(articles[:3])
        assert run(made, articles[2:]) == expected(articles[2:])


def test_an_error_in_the_side_process_is_raised_here(monkeypatch):
    """The side process dies quietly; the comparison made here raises the error, with
    its traceback, as a build without a side process would."""
    real = redline.compare

    def failing(old, new):
        if "Toegevoegd in versie 2" in new:
            raise ValueError("a bug in the comparison")
        return real(old, new)

    monkeypatch.setattr(redline, "compare", failing)
    with SideProcess() as made:
        made.submit(article(1), article(2))
        made.submit(article(2), article(3))
        with pytest.raises(ValueError, match="a bug in the comparison"):
            made.collect()


def test_without_fork_or_a_second_core_everything_is_done_here(monkeypatch):
    assert type(side_process.start(parallel=False)) is InProcess
    with monkeypatch.context() as patched:
        patched.setattr(os, "sched_getaffinity", lambda pid: {0})
        assert type(side_process.start(parallel=True)) is InProcess
    monkeypatch.setattr(sys, "platform", "win32")
    assert type(side_process.start(parallel=True)) is InProcess


SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from generator.speed.side_process import SideProcess
made = SideProcess()
print(made.pid, flush=True)
time.sleep(60)
"""


def test_the_side_process_ends_when_the_build_is_killed():
    build = subprocess.Popen([sys.executable, "-c", SCRIPT.format(root=str(ROOT))],
                             stdout=subprocess.PIPE, text=True)
    side = int(build.stdout.readline())
    build.kill()
    build.wait()
    build.stdout.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(side):
        time.sleep(0.02)
    assert not _running(side)


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended, its parent gone


def test_a_build_reports_the_side_process_in_its_timings(tmp_path):
    timings = tmp_path / "timings.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--out", str(tmp_path / "site"),
         "--no-cache", "--today", "2026-11-25"],
        env={**os.environ, "PRIVACY_DOCS_TIMINGS": str(timings)}, capture_output=True,
        text=True, check=False)
    assert result.returncode == 0, result.stderr
    import json
    recorded = json.loads(timings.read_text())
    assert recorded["side process"]["cpu"] > 0
    assert 0 < recorded["side process"]["peak_mib"] < 100


def test_a_side_process_never_used_is_not_waited_for():
    """A rebuild with nothing to compare does not wait for the side process to start."""
    made = SideProcess()
    side = made.pid
    made.close()
    assert made.pid == 0
    assert not _running(side)


def content_jobs() -> list[tuple[bytes, str]]:
    """The shipped content's files, and some a parser has to refuse."""
    jobs = [(path.read_bytes(), str(path.relative_to(ROOT)))
            for path in sorted((ROOT / "content").rglob("*.yaml"))]
    broken = [b"key: [unclosed", b"a: 1\na: 2\n", b"\xef\xbb\xbfa: 1\n", b"a: \xff\n",
              b"x: &anchor 1\ny: *anchor\n", b"!!python/object:os.system {}\n", b""]
    return jobs + [(data, f"broken/{number}.yaml") for number, data in enumerate(broken)]


def ordered(value):
    """A value with the order of every mapping's keys (and their marks) spelled out. A
    validated text's place is its file's name, line and column: shared values name
    the file of an earlier version that held the same lines (``validate._check_file``,
    ``validated_pieces.py``), and which one depends on which process read which."""
    if isinstance(value, LocalText):
        return (value.values, os.path.basename(value.loc.path), value.loc.line,
                value.loc.column, value.markdown)
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()] + [
            list(getattr(value, "key_marks", {}).items()),
            list(getattr(value, "value_marks", {}).items())]
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def theirs(results: list) -> list:
    """The results of the files the side process parsed: the later half."""
    return results[(len(results) + 1) // 2:]


def test_the_side_process_parses_the_files_parsed_here():
    jobs = content_jobs()
    assert len(jobs) > 2 * side_process.FEW_FILES
    here = InProcess().parse_files(jobs)
    with SideProcess() as side:
        beside = side.parse_files(jobs)
        assert not side._failed
    assert [ordered(value) for value, _ in beside] == [ordered(value) for value, _ in here]
    assert [found for _, found in beside] == [found for _, found in here]
    assert any(found for _, found in theirs(beside))  # problems found in the side process too


def test_texts_parsed_beside_are_each_held_once():
    """The files parsed in the side process come in one stream: a text or key repeated
    across them is one object here too (as ``yaml_values._shared`` makes it there)."""
    with SideProcess() as side:
        beside = side.parse_files(content_jobs())
    texts = []

    def gather(value) -> None:
        if type(value) is str:
            texts.append(value)
        elif isinstance(value, dict):
            texts.extend(value)
            texts.extend(value.key_marks)
            for item in value.values():
                gather(item)
        elif isinstance(value, list):
            for item in value:
                gather(item)

    for value, _ in theirs(beside):
        gather(value)
    assert len(texts) > 100 and len(set(texts)) < len(texts)
    assert len({id(text) for text in texts}) == len(set(texts))


def test_what_files_parsed_beside_share_is_shared_here_too(tmp_path):
    """Consecutive versions share pieces (``yaml_pieces``, ``validated_pieces``): the side
    process sends its files in one stream, so a piece two of them share is one object
    here too, as in files parsed here."""
    from generator.content.validate import Checked
    seen, jobs = set(), []
    for path in sorted(history(tmp_path, versions=12).glob("versions/*/*.yaml")):
        if path.read_bytes() not in seen:
            seen.add(path.read_bytes())
            jobs.append((path.read_bytes(), str(path), path.name))
    with SideProcess() as side:
        beside = side.parse_files(jobs)
        assert not side._failed
    speed = Speedups()
    assert [ordered(value.value) for value, _ in beside] == \
        [ordered(value.value) for value, _ in (side_process.parse_ahead(job, speed)
                                               for job in jobs)]
    values = [{id(item) for item in value.value.values() if isinstance(item, dict | LocalText)}
              for value, _ in theirs(beside) if type(value) is Checked]
    assert len(values) == len(theirs(beside))
    assert any(one & other for number, one in enumerate(values) for other in values[:number])


def test_a_side_process_killed_leaves_the_parsing_to_this_one():
    jobs = content_jobs()
    here = InProcess().parse_files(jobs)
    with SideProcess() as side:
        os.kill(side.pid, signal.SIGKILL)
        time.sleep(0.05)
        beside = side.parse_files(jobs)
        assert side._failed
    assert [ordered(value) for value, _ in beside] == [ordered(value) for value, _ in here]
    assert [found for _, found in beside] == [found for _, found in here]


def test_a_few_files_are_parsed_here():
    with SideProcess() as side:
        jobs = content_jobs()[:side_process.FEW_FILES - 1]
        assert [ordered(v) for v, _ in side.parse_files(jobs)] == \
            [ordered(v) for v, _ in InProcess().parse_files(jobs)]
        assert not side._used  # and so not waited for


def test_a_build_interrupted_while_waiting_ends_its_side_process(monkeypatch):
    """Ctrl-C while the build waits for an answer: closing does not wait for the side
    process to finish what it was given, nor read an answer meant for the question."""
    side = SideProcess()
    pid = side.pid
    receive = side._results.recv

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(side._results, "recv", interrupted)
    with pytest.raises(KeyboardInterrupt), side:
        side.parse_files(content_jobs())
    monkeypatch.setattr(side._results, "recv", receive)
    assert side.pid == 0
    assert not _running(pid)


def history(tmp_path: Path, versions: int = 6) -> Path:
    """A short synthetic history: more distinct files than are all parsed here."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    return generate(tmp_path / "content", versions=versions, purposes=6)


def validated(content: Path, side: InProcess):
    """The validated versions of ``content`` (as ``ordered`` values), or its problems."""
    from generator.errors import ContentError
    from generator.pipeline import Project, load_and_validate
    try:
        valid = load_and_validate(Project.at(ROOT, content=content), side=side)
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return [(v.name, {name: ordered(value) for name, value in v.files.items()})
            for v in valid.versions]


def test_files_validated_ahead_are_the_files_validated_here(tmp_path):
    """Both processes validate the files they parse (``side_process.parse_ahead``): the
    validated values are those of validating every file here."""
    content = history(tmp_path)
    here = validated(content, InProcess())
    with SideProcess() as side:
        beside = validated(content, side)
        assert not side._failed
    assert len(here) == 6 and beside == here
    assert validated(content, None) == here  # each file parsed whole, validated once


def test_each_process_keeps_its_own_pieces(tmp_path):
    """The side process reads with its copy of the state it was given (forked): what it
    reads is not known here, and the state given holds what this process read."""
    jobs = [(path.read_bytes(), str(path), path.name)
            for path in sorted((history(tmp_path) / "versions").rglob("*.yaml"))]
    speed = Speedups()
    with SideProcess(speed=speed) as side:
        assert side.speed is speed
        assert len(side.parse_files(jobs)) == len(jobs)
        assert not side._failed
    last_here = {os.path.basename(path): data.decode()
                 for data, path, _ in jobs[:(len(jobs) + 1) // 2]}
    last = {os.path.basename(path): data.decode() for data, path, _ in jobs}
    recent = speed.yaml_pieces.recent
    assert len(recent) >= 3 and speed.validated.last.keys() >= recent.keys()
    for name, pieces in recent.items():
        assert set(pieces) == {text for text, _, _ in yaml_pieces.split(last_here[name])}
    assert any(last[name] != last_here[name] for name in recent)


def test_files_validated_ahead_report_the_problems_found_here(tmp_path):
    """Problems in files either process parsed, an id declared twice, references to an
    id that another file no longer declares, and bytes held by files of two names: the
    same problems, at the same places."""
    content = history(tmp_path)
    folders = sorted((content / "versions").iterdir())
    _edit(folders[1] / "organisation.yaml", "legal_name:", "legal_nam:")
    _edit(folders[2] / "purposes.yaml", "    - contract\n", "    - contrct\n")
    _edit(folders[3] / "recipients.yaml", "- id: ", "- id: Not An Id ", count=1)
    _edit(folders[4] / "data_categories.yaml", "- id: contact\n", "- id: contact-gone\n")
    _edit(folders[5] / "data_categories.yaml", "- id: company\n", "- id: contact\n")
    for folder in folders[4:]:
        (folder / "privacy.yaml").write_bytes((folders[0] / "cookies.yaml").read_bytes())
    here = validated(content, InProcess())
    with SideProcess() as side:
        beside = validated(content, side)
        assert not side._failed
    assert all(isinstance(problem, str) for problem in here) and len(here) > 6
    assert beside == here
    assert validated(content, None) == here


def test_both_processes_validate_what_they_parse(tmp_path):
    from generator.content.validate import Checked
    content = history(tmp_path)
    jobs = [(path.read_bytes(), str(path), path.name)
            for path in sorted((content / "versions").rglob("*.yaml"))]
    with SideProcess() as side:
        made = side.parse_files(jobs)
    assert all(type(value) is Checked for value, _ in made)
    named = [(data, path, None) for data, path, _ in jobs]
    with SideProcess() as side:  # a file of bytes that a file of another name holds
        assert not any(type(value) is Checked for value, _ in side.parse_files(named))


def _edit(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), "utf-8")


def test_the_side_process_compiles_the_templates_it_is_given():
    from generator.speed.jinja_tweaks import compile_templates
    assert InProcess().compiled_templates() == {}
    with SideProcess(ROOT / "templates") as side:
        assert side.compiled_templates() == compile_templates(ROOT / "templates")
    with SideProcess() as side:
        assert side.compiled_templates() == {}
