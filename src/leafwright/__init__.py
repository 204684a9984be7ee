"""leafwright: structured YAML patient leaflets laid out into accessible, branded PDFs."""

__version__ = "0.1.0"
