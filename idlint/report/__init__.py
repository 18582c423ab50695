"""Renderers: text (rich), JSON, SARIF and GitHub annotations, each a function of a Report."""
