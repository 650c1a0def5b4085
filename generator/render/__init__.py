"""Stage 4, render: the site model through Jinja into pages, fragments, feeds and comparisons.

``pages`` decides which pages there are and what each is given; ``environment``
holds the Jinja environments; ``i18n`` the catalogs and locale formatting; ``text``
the Markdown; ``changes`` and ``redline`` what changed between two versions.
"""
