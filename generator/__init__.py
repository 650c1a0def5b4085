"""privacy-docs: versioned, bilingual privacy and cookie statements from one YAML model."""

__version__ = "0.1.0"
