"""Sphinx configuration: Markdown pages (myst), API reference from docstrings (autodoc)."""

from importlib.metadata import version as _version

project = "service_recovery"
author = "service_recovery maintainers"
copyright = "2026, service_recovery maintainers"
release = _version("service-recovery")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.mermaid",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_fence_as_directive = ["mermaid"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = "service_recovery"
