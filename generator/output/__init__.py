"""Stage 6, output: the site written into a staging folder and swapped in whole, into
a folder the build may replace (``folder``) and nowhere else."""
