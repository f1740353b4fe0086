"""Sphinx extensions of these docs: the generated API reference (`api_reference`)."""
