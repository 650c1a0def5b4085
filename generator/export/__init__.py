"""Stage 5, export: the model as data (JSON API, DPV, consent configurations, JSON Schema)
and as the Art. 30 register."""
