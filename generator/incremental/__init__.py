"""Incremental builds: what a build keeps in its cache folder for the next one."""
