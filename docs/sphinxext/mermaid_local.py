"""Mermaid diagrams drawn by the copy of Mermaid these docs ship, so they draw offline.

A ```` ```mermaid ```` fence becomes ``<pre class="mermaid">``, and only the pages that
have one load ``_static/mermaid/mermaid.min.js`` (Mermaid's self-contained build, MIT,
its LICENSE beside it) and ``mermaid-init.js`` as plain scripts. Plain scripts, not an
ES module as sphinxcontrib-mermaid loads, because a browser refuses to import a module
from a page opened as a file: the docs work from ``docs/_build/html`` with no server.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class diagram(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A Mermaid diagram's source, drawn in the browser."""


class Mermaid(SphinxDirective):
    """``mermaid``: the diagram's source as its content."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        """One diagram node holding the source."""
        return [diagram(code="\n".join(self.content))]


def visit_html(translator: nodes.NodeVisitor, node: diagram) -> None:
    """Write the source into a ``pre`` that Mermaid replaces with the drawing."""
    translator.body.append(f'<pre class="mermaid">\n{html.escape(node["code"])}\n</pre>\n')  # type: ignore[attr-defined]
    raise nodes.SkipNode


def add_scripts(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, object],
    doctree: nodes.document | None,
) -> None:
    """Load Mermaid on the pages that draw a diagram, and on no other."""
    del pagename, templatename, context
    if doctree is not None and doctree.next_node(diagram) is not None:
        app.add_js_file("mermaid/mermaid.min.js")
        app.add_js_file("mermaid/mermaid-init.js")


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directive, its node and the scripts."""
    app.add_node(diagram, html=(visit_html, None))
    app.add_directive("mermaid", Mermaid)
    app.connect("html-page-context", add_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
