"""The template environments (``generator/renderer.py``)."""

from __future__ import annotations

from generator.errors import Problems
from generator.located import YMap
from generator.renderer import Renderer

from .conftest import ROOT


def test_a_field_of_a_record_is_read_as_its_key_first():
    """``record.field`` reads the content key (Jinja tries the attribute first, which
    raised and caught an error for every field read); a method is still found when
    the record has no key of that name."""
    renderer = Renderer(ROOT / "templates", ROOT / "locales", Problems())
    env = renderer.envs["en"]
    record = YMap(0, "x.yaml")
    record.update({"title": "T", "items": "the items field"})
    template = env.from_string("{{ r.title }}|{{ r.items }}|{{ r.get('title') }}|{{ d.items() "
                               "|list|length }}|{{ r.missing is undefined }}")
    assert template.render(r=record, d={"a": 1}) == "T|the items field|T|1|True"
