"""``python -m leafwright.i18n``: write ``leafwright.pot`` from the English labels."""

from pathlib import Path

from . import TEMPLATE, template_text

if __name__ == "__main__":
    path = Path(__file__).resolve().parent / TEMPLATE
    path.write_text(template_text(), encoding="utf-8")
    print(f"wrote {path}")
