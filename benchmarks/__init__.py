"""Benchmarks: synthetic content with a long history, and the build timed per phase."""
