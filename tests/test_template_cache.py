"""primer.build.templates: the theme's templates are compiled once into .cache/jinja, and an
edited template is compiled again (Jinja checks each cached template against its source)."""
from __future__ import annotations

from conftest import mkdocs_build


def test_cached_templates_render_the_same_and_an_edited_template_is_recompiled(project_copy, tmp_path):
    first = mkdocs_build(project_copy, tmp_path / "first")
    assert first.returncode == 0, first.stdout + first.stderr
    cached = sorted((project_copy / ".cache" / "jinja").iterdir())
    assert cached, "no template was cached"
    again = mkdocs_build(project_copy, tmp_path / "again")
    assert again.returncode == 0, again.stdout + again.stderr
    page = "sources/index.html"
    assert (tmp_path / "again" / page).read_bytes() == (tmp_path / "first" / page).read_bytes()

    template = project_copy / "overrides" / "main.html"
    text = template.read_text(encoding="utf-8")
    assert "{{ super() }}" in text, "overrides/main.html changed shape: update this test"
    template.write_text(text.replace("{{ super() }}", "{{ super() }}<!-- edited-template -->", 1), encoding="utf-8")
    edited = mkdocs_build(project_copy, tmp_path / "edited")
    assert edited.returncode == 0, edited.stdout + edited.stderr
    assert "<!-- edited-template -->" in (tmp_path / "edited" / page).read_text(encoding="utf-8")
