"""The Nu HTML Checker over every built page in one Java call; fragments wrapped in a document."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .browser import VNU, is_fragment, wrap_fragments


def _missing() -> str | None:
    if shutil.which("java") is None:
        return "java is missing: the Nu HTML Checker needs Java 17 or later"
    if not VNU.exists():
        return f"{VNU} is missing: run `npm ci` (or .ci/run)"
    return None


@pytest.mark.skipif(_missing() is not None, reason=_missing() or "")
def test_nu_html_checker_finds_no_errors(built_site, tmp_path):
    wrapped = wrap_fragments(built_site, tmp_path, "../privacy-docs-embed.css")
    pages = [path for path in built_site.rglob("*.html")
             if not is_fragment(path.relative_to(built_site).as_posix())]
    files = sorted(pages) + sorted(wrapped.values())
    assert len(files) > 25 and wrapped
    # C1-only JIT: a short run starts in half the time; the checker wants a deep stack then
    java = ["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU)]
    result = subprocess.run([*java, "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', '?')}: "
              f"{m['message']}" for m in messages if m.get("type") != "info"]
    assert not errors, "\n".join(errors)
    assert result.returncode == 0, result.stderr
