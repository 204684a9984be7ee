"""``leafwright style new``: a style from a brand guide's two colours, logo and font, with its swatch."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from .errors import EXIT_USAGE, LeafwrightError, StyleError
from .write import write_atomic

_HEX = re.compile(r"^#?[0-9a-fA-F]{6}$")


def _colour(value: str, option: str) -> str:
    if not _HEX.match(value.strip()):
        raise LeafwrightError.single(
            f"{option} '{value}' is not a colour",
            exit_code=EXIT_USAGE,
            hint='write it as #rrggbb, e.g. --primary "#6a1b4d" (in quotes: the shell reads # as a comment)',
        )
    return "#" + value.strip().lstrip("#").lower()


def _path_from(folder: Path, file: str) -> str:
    """A file as the style names it: relative to the style's folder when both are in this project."""
    target = Path(file).resolve()
    cwd = Path.cwd().resolve()
    if cwd in target.parents and (cwd == folder.resolve() or cwd in folder.resolve().parents):
        return Path(os.path.relpath(target, folder.resolve())).as_posix()
    return target.as_posix()


def style_yaml(
    name: str, folder: Path, *, primary: str, accent: str, logo: str | None, font: str | None
) -> str:
    """The style file's text: two colours, the logo and font as paths relative to the style."""
    lines = [
        "# Made by `leafwright style new`. Every colour not set here is derived from primary",
        "# and accent to meet WCAG contrast (README: Brand colours); the swatch PDF beside",
        "# this file shows each one with its contrast ratio.",
        "extends: default",
        yaml.safe_dump({"name": name}, allow_unicode=True).strip(),
        f'colours: {{primary: "{primary}", accent: "{accent}"}}',
    ]
    if logo:
        lines.append(yaml.safe_dump({"logo": _path_from(folder, logo)}, allow_unicode=True).strip())
    if font:
        if font.lower().endswith((".ttf", ".otf")):
            rel = _path_from(folder, font)
            lines.append("fonts:")
            lines.append("  " + yaml.safe_dump({"regular": rel}, allow_unicode=True).strip())
            lines.append(
                "  # bold: …, italic: …, bold_italic: … (the regular face is used where one is missing)"
            )
        else:
            lines.append("fonts:")
            lines.append("  " + yaml.safe_dump({"family": font}, allow_unicode=True).strip())
    return "\n".join(lines) + "\n"


def write_style(
    name: str,
    folder: Path,
    *,
    primary: str,
    accent: str,
    logo: str | None = None,
    font: str | None = None,
    force: bool = False,
) -> tuple[list[Path], list[str]]:
    """Write NAME.yaml and NAME-swatch.pdf into ``folder``; nothing is written if the style is bad."""
    from .style import resolve_style
    from .swatch import render_swatch

    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", name):
        raise LeafwrightError.single(
            f"'{name}' is not a style name",
            exit_code=EXIT_USAGE,
            hint="use letters, digits, hyphens and underscores, e.g. my-charity",
        )
    primary, accent = _colour(primary, "--primary"), _colour(accent, "--accent")
    target = folder / f"{name}.yaml"
    swatch = folder / f"{name}-swatch.pdf"
    if not force:
        for p in (target, swatch):
            if p.exists():
                raise LeafwrightError.single(
                    f"{p} already exists", exit_code=EXIT_USAGE, hint="use --force, or choose another name"
                )
    text = style_yaml(name, folder, primary=primary, accent=accent, logo=logo, font=font)
    folder.mkdir(parents=True, exist_ok=True)
    # resolved from a hidden file first: a logo or font that cannot be used writes nothing
    trial = folder / f".{name}.yaml.trial"
    trial.write_text(text, encoding="utf-8")
    try:
        resolved = resolve_style(str(trial))
        pdf = render_swatch(resolved, name)
    except StyleError as exc:
        raise LeafwrightError(exc.diagnostics, exit_code=EXIT_USAGE) from None
    finally:
        trial.unlink()
    write_atomic(target, text.encode("utf-8"))
    write_atomic(swatch, pdf)
    notes = [
        f"brand {m.key} {m.given} falls short of {m.ratio:g}:1 on {m.against}; {m.used} is used instead"
        for m in resolved.chain.moved
    ]
    return [target, swatch], notes
