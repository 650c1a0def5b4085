"""privacy-docs: versioned, bilingual privacy and cookie statements from one YAML model."""

__version__ = "0.1.0"

# Where a build keeps what it learnt for the next (see incremental.py); here, so that
# the command line's help can name it without loading the build.
CACHE_FOLDER = ".privacy-docs-cache"
