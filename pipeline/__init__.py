"""Dyad's preprocessing pipeline: a folder of news articles in, analysis tables out."""

# Bump when a change alters what the stages produce: it invalidates the per-article cache.
__version__ = "0.1.0"
