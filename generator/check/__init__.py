"""The completeness check (``python build.py check``): rules that read the model as a
lawyer would, each naming the article behind it (``rules`` holds the frame)."""
