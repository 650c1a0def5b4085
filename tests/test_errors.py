"""One test per error kind: the exact located message, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_build

V = "content/versions/2020-10-01"


def _line_col(path: Path, needle: str, offset: int = 0) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1 + offset
    raise AssertionError(f"{needle!r} not in {path}")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fails_with(tmp_path: Path, expected: str) -> None:
    result = run_build("build", "--content", "content", "--out", "site", "--today",
                       "2026-11-25", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_yaml_syntax(content, tmp_path):
    path = content / "versions/2020-10-01/version.yaml"
    line, _ = _line_col(path, "last_changed:")
    _replace(path, "last_changed:", "last_changed: [oops\nx:")
    _fails_with(tmp_path, f"{V}/version.yaml:{line}:15: YAML syntax error: the list opened "
                          "here with '[' is not closed: a ']' is missing (or a ',' between "
                          f"items) before line {line + 1}, column 2; the line reads: "
                          "last_changed: [oops")


def test_unknown_key(content, tmp_path):
    path = content / "versions/2020-10-01/version.yaml"
    line, col = _line_col(path, "last_changed:")
    _replace(path, "last_changed:", "last_chnged:")
    _fails_with(tmp_path, f"{V}/version.yaml:{line}:{col}: unknown key 'last_chnged'; "
                          "did you mean 'last_changed'? expected one of: status, last_changed, "
                          "summary, summaries, reconstructed, errata")


def test_wrong_type(content, tmp_path):
    path = content / "versions/2020-10-01/version.yaml"
    line, col = _line_col(path, "2020-10-01", 0)
    _replace(path, "last_changed: 2020-10-01", "last_changed: yesterday")
    _fails_with(tmp_path, f"{V}/version.yaml:{line}:{col}: expected a date written as "
                          "YYYY-MM-DD, found the text 'yesterday'")


def test_unknown_legal_basis(content, tmp_path):
    path = content / "versions/2020-10-01/purposes.yaml"
    line, col = _line_col(path, "legal_bases: [contract]")
    _replace(path, "legal_bases: [contract]", "legal_bases: [legitiem belang]")
    col += len("legal_bases: [")
    _fails_with(tmp_path, f"{V}/purposes.yaml:{line}:{col}: gdpr art. 6(1) legal basis "
                          "'legitiem belang' is not one of: consent, contract, legal_obligation, "
                          "vital_interests, public_task, legitimate_interests")


def test_dangling_reference(content, tmp_path):
    path = content / "versions/2020-10-01/purposes.yaml"
    text = path.read_text(encoding="utf-8")
    _replace(path, "recipients: [authorities]", "recipients: [autorities]")
    line, col = _line_col(path, "recipients: [autorities]", len("recipients: ["))
    assert text
    _fails_with(tmp_path, f"{V}/purposes.yaml:{line}:{col}: recipient 'autorities' does not "
                          "exist; did you mean 'authorities'? known recipient ids: authorities, "
                          "group-companies, other, payment-services, processors")


def test_duplicate_key(content, tmp_path):
    path = content / "versions/2020-10-01/version.yaml"
    line, col = _line_col(path, "status:")
    _replace(path, "status: released", "status: released\nstatus: draft")
    _fails_with(tmp_path, f"{V}/version.yaml:{line + 1}:{col}: duplicate key 'status' "
                          f"(first given at line {line}); give each key once")


def test_missing_translation(content, tmp_path):
    path = content / "versions/2020-10-01/organisation.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("postal_attention:")
    block_end = text.index("\n", text.index("en:", start))
    en_line = text[text.index("en:", start):block_end]
    _replace(path, en_line, "")
    line, col = _line_col(path, "postal_attention:")
    # the mapping starts on the line after the key
    lines = path.read_text(encoding="utf-8").splitlines()
    nl_line = next(i for i in range(line, len(lines)) if "nl:" in lines[i]) + 1
    nl_col = lines[nl_line - 1].index("nl:") + 1
    _fails_with(tmp_path, f"{V}/organisation.yaml:{nl_line}:{nl_col}: text has Dutch (nl) but "
                          "no English (en); add 'en:' with the translation")


@pytest.mark.parametrize("payload, message", [
    ("!!python/object/apply:os.system ['touch /tmp/pwned']",
     "the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; "
     "content files hold plain text, numbers, lists and mappings only"),
])
def test_object_tags_refused(content, tmp_path, payload, message):
    path = content / "versions/2020-10-01/version.yaml"
    line, col = _line_col(path, "released")
    _replace(path, "status: released", f"status: {payload}")
    _fails_with(tmp_path, f"{V}/version.yaml:{line}:{col}: {message}")


def test_all_errors_collected(content, tmp_path):
    _replace(content / "versions/2020-10-01/version.yaml", "last_changed:", "last_chnged:")
    _replace(content / "versions/2020-10-01/purposes.yaml", "legal_bases: [contract]",
             "legal_bases: [contrakt]")
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown key 'last_chnged'" in result.stderr
    assert "'contrakt' is not one of" in result.stderr
    assert "problems found; nothing was written." in result.stderr


def test_failed_build_keeps_previous_site(content, tmp_path):
    assert run_build("build", "--content", "content", "--out", "site", cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    _replace(content / "versions/2020-10-01/version.yaml", "last_changed:", "last_chnged:")
    assert run_build("build", "--content", "content", "--out", "site", cwd=tmp_path).returncode == 1
    after = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert before == after


def test_usage_error_exits_2(tmp_path):
    assert run_build("build", "--today", "not-a-date", cwd=tmp_path).returncode == 2
    assert run_build("frobnicate", cwd=tmp_path).returncode == 2


# --- a file repeated unchanged in later versions is parsed once ---------------------

def _copy_version(content: Path, name: str) -> Path:
    import shutil
    shutil.copytree(content / "versions/2020-10-01", content / "versions" / name)
    return content / "versions" / name


def test_a_problem_in_a_file_repeated_unchanged_is_named_at_each_copy(content, tmp_path):
    """Identical bytes share one parse (see ``loader._parse_versions``); its problems are
    still reported at every file that holds them."""
    copy = _copy_version(content, "2020-11-01")
    for folder in (content / "versions/2020-10-01", copy):
        _replace(folder / "organisation.yaml", "legal_name:", "legal_nam:")
    line, col = _line_col(copy / "organisation.yaml", "legal_nam:")
    result = run_build("build", "--content", "content", "--out", "site", "--today",
                       "2026-11-25", cwd=tmp_path)
    assert result.returncode == 1
    for folder in ("2020-10-01", "2020-11-01"):
        assert any(line_.startswith(f"content/versions/{folder}/organisation.yaml:{line}:{col}: "
                                    "unknown key 'legal_nam'")
                   for line_ in result.stderr.splitlines()), result.stderr


def test_a_syntax_error_in_a_file_repeated_unchanged_is_named_at_each_copy(content, tmp_path):
    copy = _copy_version(content, "2020-11-01")
    for folder in (content / "versions/2020-10-01", copy):
        _replace(folder / "version.yaml", "last_changed:", "last_changed: [oops\nx:")
    result = run_build("build", "--content", "content", "--out", "site", "--today",
                       "2026-11-25", cwd=tmp_path)
    assert result.returncode == 1
    located = [line for line in result.stderr.splitlines() if "YAML syntax error" in line]
    assert [line.split(":", 1)[0] for line in located] == [
        "content/versions/2020-10-01/version.yaml", "content/versions/2020-11-01/version.yaml"]


def test_a_file_repeated_unchanged_is_parsed_and_validated_once(content):
    from generator.content.loader import load_content
    from generator.errors import Problems
    from generator.pipeline import Project, load_and_validate
    _copy_version(content, "2020-11-01")
    loaded = load_content(content, Problems())
    first, second = loaded.versions[:2]
    assert second.files["purposes.yaml"] is first.files["purposes.yaml"]  # parsed once
    valid = load_and_validate(Project.at(Path.cwd(), content=content))
    assert valid.versions[1].files["purposes.yaml"] is valid.versions[0].files["purposes.yaml"]


def test_check_findings_in_a_file_repeated_unchanged_name_the_version_checked(content):
    """The seed's gaps, found in a copy of it: each named in the copy's own files, at
    the same lines as in the seed."""
    from generator.check.run import check_valid
    from generator.pipeline import Project, load_and_validate
    _copy_version(content, "2020-11-01")
    valid = load_and_validate(Project.at(Path.cwd(), content=content))
    seed, copy = check_valid(valid, "2020-10-01"), check_valid(valid, "2020-11-01")
    assert len(copy.findings) > 20
    assert [(f.rule, Path(f.location.path).name, f.location.line) for f in copy.findings] \
        == [(f.rule, Path(f.location.path).name, f.location.line) for f in seed.findings]
    for finding in copy.findings:
        if Path(finding.location.path).name != "site.yaml":
            assert "versions/2020-11-01/" in finding.location.path, finding


def test_a_reference_broken_in_a_later_version_names_its_own_file(content, tmp_path):
    """purposes.yaml repeated unchanged (validated once, its references taken over) while
    data_categories.yaml of the later version lacks a category it refers to."""
    import re
    copy = _copy_version(content, "2020-11-01")
    categories = copy / "data_categories.yaml"
    text = categories.read_text(encoding="utf-8")
    first_id = re.search(r"- id: ([a-z0-9-]+)", text).group(1)
    _replace(categories, f"- id: {first_id}\n", "- id: renamed-category\n")
    purposes = (copy / "purposes.yaml").read_text(encoding="utf-8")
    assert first_id in purposes
    result = run_build("build", "--content", "content", "--out", "site", "--today",
                       "2026-11-25", cwd=tmp_path)
    assert result.returncode == 1
    broken = [line for line in result.stderr.splitlines()
              if f"data category '{first_id}' does not exist" in line]
    assert broken and all(line.startswith("content/versions/2020-11-01/purposes.yaml:")
                          for line in broken), result.stderr


def test_an_interrupted_build_says_so_and_leaves_the_site(content, tmp_path, monkeypatch,
                                                          capsys):
    """Ctrl-C: a line saying so, not a traceback, exit code 130, and no site written."""
    from generator import pipeline
    from generator.commands import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "build", interrupted)
    code = cli.main(["build", "--content", str(content), "--out", str(tmp_path / "site"),
                     "--today", "2026-11-25"])
    assert code == 130
    assert capsys.readouterr().err == "build.py build: interrupted\n"
    assert not (tmp_path / "site").exists()
