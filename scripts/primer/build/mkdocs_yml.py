"""mkdocs.yml as data, for the scripts that need a setting without running MkDocs.

One job: `read(path)` returns mkdocs.yml as a dict, each value as MkDocs would have it, so that a
script never works from a setting other than the one the build uses. The tags MkDocs itself
understands (mkdocs/utils/yaml.py) are given the value MkDocs gives them:

- `!ENV NAME` and `!ENV [NAME1, NAME2, ..., default]`: MkDocs' own constructor (the
  pyyaml_env_tag package, `yaml_env_tag.construct_env_tag`), so it is exact: the first variable
  that is set wins, its value read as a YAML scalar ("true" is True, "8000" is 8000, "" is None);
  if none is set, the last item when the list has more than one (read as YAML: a default), else None.
- `!relative $config_dir/SUFFIX`: the folder of the mkdocs.yml file (absolute, as MkDocs makes it)
  joined with SUFFIX, as a string.
- `!relative $docs_dir/SUFFIX`: docs_dir as MkDocs resolves it (relative to that folder; "docs"
  when unset) joined with SUFFIX, as a string.
- `!relative` alone: the folder of the Markdown page being rendered. It has no one value outside
  a build, so it is kept as a `PageDir()` marker; a script that writes the configuration back can
  write the tag again (scripts/primer/bench/ does).

Any other tag (`!!python/name:...`, say) has no value here; reading it as None, or dropping it,
would silently change the setting, so `read` stops (SystemExit) with one line naming the file, the
line, the tag and the fix. So do the errors MkDocs itself raises for a `!relative` it refuses.
An empty file gives {}. `INHERIT` is not followed (the primer's mkdocs.yml has none).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag  # MkDocs' own !ENV (a dependency of MkDocs, pinned in requirements.txt)

HERE = "scripts/primer/build/mkdocs_yml.py"


@dataclass(frozen=True)
class PageDir:
    """`!relative` alone: the folder of the Markdown page being rendered, known only during a build."""


@dataclass(frozen=True)
class _DocsDir:
    """`!relative $docs_dir/suffix`, until docs_dir is known (it may come later in the file)."""
    suffix: str


def read(root_or_file: Path) -> dict[str, Any]:
    """mkdocs.yml (the file itself, or the one in the folder given) as data, its tags valued as
    MkDocs values them (see the module's docstring); stops with one line on a tag it cannot value."""
    path = Path(root_or_file)
    if path.is_dir():
        path = path / "mkdocs.yml"
    config_dir = os.path.dirname(os.path.abspath(path))  # MkDocs opens the file by its absolute path

    def stop(node: yaml.Node, why: str) -> SystemExit:
        return SystemExit(f"{path}, line {node.start_mark.line + 1}: {why}")

    def relative(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        # mkdocs/utils/yaml.py, _construct_dir_placeholder and the placeholders' values
        value = loader.construct_scalar(node) or ""
        prefix, _, suffix = value.partition("/")
        if prefix == "$config_dir":
            return os.path.join(config_dir, suffix)
        if prefix == "$docs_dir":
            return _DocsDir(suffix)
        if prefix.startswith("$"):
            raise stop(node, f"MkDocs knows no prefix {prefix!r} in !relative {value!r}: "
                             "use $config_dir or $docs_dir")
        if value:
            raise stop(node, f"MkDocs' !relative tag does not expect any value; received {value!r}")
        return PageDir()

    def unknown(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)  # as written
        raise stop(node, f"the tag {tag} is not understood here (only !ENV and !relative are); "
                         f"teach {HERE} what it stands for")

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
    Loader.add_constructor("!relative", relative)
    Loader.add_constructor(None, unknown)  # every other tag (SafeLoader's own, !!str and so on, stay)
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise SystemExit(f"{path}: not a mapping of settings, as MkDocs needs")

    docs_dir = os.path.abspath(os.path.join(config_dir, str(config.get("docs_dir") or "docs")))

    def settle(value: Any) -> Any:
        if isinstance(value, _DocsDir):
            return os.path.join(docs_dir, value.suffix)
        if isinstance(value, dict):
            return {key: settle(item) for key, item in value.items()}
        if isinstance(value, list):
            return [settle(item) for item in value]
        return value

    return settle(config)
