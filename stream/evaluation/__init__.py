"""Measuring the NLP core against annotated corpora."""
