"""Stage 1-3, content: the content folder read, located, validated and made into the model.

Files (``files``) are read once and digested; YAML is parsed into values that know
where they stand (``yaml_values``, ``located``); ``schema`` is the one source of
truth for what a file may hold, ``validate`` checks it against that, and ``model``
makes the site model the later stages read. ``lock`` keeps released versions as
they were published.
"""
