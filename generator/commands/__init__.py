"""The command line (``cli``) and one module per command that is more than a build."""
