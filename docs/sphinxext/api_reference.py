"""The API reference, generated from the package so that moving a name needs no edit here.

- The ``api-reference`` directive writes one section per topic: each private package
  that `service_recovery/__init__.py` imports public names from, in the order of its
  `__all__`, titled by that package's docstring; then one section per public submodule
  (`errors`, `events`, `decisions`, `testing`). Each starts with a summary table.
- The fields of an attrs class are listed once, as its parameters, with what each is
  for when the field's metadata says (``why``, ``rule``), instead of once as parameters
  and again as attributes; a default made by a factory shows as ``...``.
- Napoleon reads a property docstring that starts ``"The first event: who ..."`` as a
  type and a description; properties and attributes keep their docstring as written.
- A type named by its private path (``service_recovery._money.Money``) links to its
  public name, and inline code in the guides that names a public object (```Incident```,
  ```Money.of(...)```) links to its entry in the reference.
- No page may load a script from another site: the build fails if one does.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import attrs
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.pycode import ModuleAnalyzer
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

PACKAGE = "service_recovery"
NOT_API = {"cli", "__main__"}
"""Public modules that are programs, not API: the command line has its own page."""

SHORT_VALUE = 40
"""The longest value shown with its data entry; a longer one (a table) is only described."""

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------- the topics


@attrs.frozen
class Topic:
    """One section of the reference: the names a module holds, titled by its docstring."""

    module: str
    names: tuple[str, ...]
    home: str  # the public module the names are documented under

    @property
    def summary(self) -> str:
        """The first paragraph of the module's docstring."""
        doc = inspect.getdoc(importlib.import_module(self.module)) or self.module
        return doc.split("\n\n", 1)[0].replace("\n", " ")

    @property
    def title(self) -> str:
        """The summary up to its first colon, or the whole summary without its period."""
        head, colon, _ = self.summary.partition(": ")
        return head if colon else self.summary.rstrip(".")

    @property
    def intro(self) -> str:
        """What the summary says after the title, if anything: the section's first line."""
        _, colon, rest = self.summary.partition(": ")
        return rest[:1].upper() + rest[1:] if colon else ""


def topics() -> list[Topic]:
    """The package's topics in the order of its `__all__`, then its public modules.

    A topic is the private package (or module) `__init__` imports a name from; names keep
    the order of `__all__`, which groups them by topic.
    """
    package = importlib.import_module(PACKAGE)
    public = [name for name in package.__all__ if name != "__version__"]
    source = Path(inspect.getfile(package)).read_text(encoding="utf-8")
    module_of: dict[str, str] = {}
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.ImportFrom) and statement.module:
            for alias in statement.names:
                module_of[alias.asname or alias.name] = statement.module
    missing = [name for name in public if name not in module_of]
    if missing:
        logger.warning("api-reference: %s not imported from a module of the package", missing)
    found: dict[str, list[str]] = {}
    for name in public:
        if name in module_of:
            found.setdefault(module_of[name], []).append(name)
    result = [Topic(module, tuple(names), PACKAGE) for module, names in found.items()]
    documented = {id(getattr(package, name)) for name in public}
    for module in public_modules(package):
        names = tuple(
            name
            for name in getattr(module, "__all__", ())
            if id(getattr(module, name)) not in documented
        )
        if names:
            result.append(Topic(module.__name__, names, module.__name__))
    return result


def public_modules(package: ModuleType) -> Iterator[ModuleType]:
    """The package's public submodules that are API, imported."""
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_") and info.name not in NOT_API:
            yield importlib.import_module(f"{PACKAGE}.{info.name}")


def entry(home: str, name: str, defined_in: str) -> list[str]:
    """The reST that documents `home.name`: autodoc, or the data's value and docstring."""
    obj = getattr(importlib.import_module(home), name)
    if inspect.isclass(obj):
        kind = "autoexception" if issubclass(obj, BaseException) else "autoclass"
        lines = [f".. {kind}:: {name}", "   :members:", "   :undoc-members:"]
        if attrs.has(obj):  # its fields are its parameters: list them once, there
            lines.append(f"   :exclude-members: {', '.join(attrs.fields_dict(obj))}")
        return [*lines, ""]
    if callable(obj):
        return [f".. autofunction:: {name}", ""]
    docs = ModuleAnalyzer.for_module(defined_in).find_attr_docs().get(("", name), [])
    lines = [f".. py:data:: {name}", f"   :type: {type(obj).__name__}"]
    if len(repr(obj)) <= SHORT_VALUE:
        lines.append(f"   :value: {obj!r}")
    return [*lines, "", *(f"   {line}" for line in docs), ""]


class ApiReference(SphinxDirective):
    """``api-reference``: every topic as a section with a summary table and its entries."""

    def run(self) -> list[nodes.Node]:
        """One section per topic, ids taken from the module's name."""
        sections: list[nodes.Node] = []
        for topic in topics():
            section = nodes.section(ids=[nodes.make_id(f"api-{topic.module}")])
            section += nodes.title(text=topic.title)
            lines = [
                f".. currentmodule:: {topic.home}",
                "",
                topic.intro,
                "",
                ".. autosummary::",
                "   :nosignatures:",
                "",
                *(f"   {name}" for name in topic.names),
                "",
            ]
            for name in topic.names:
                lines.extend(entry(topic.home, name, topic.module))
            content = StringList(lines, self.get_source_info()[0])
            nested_parse_with_titles(self.state, content, section)
            self.env.note_dependency(inspect.getfile(importlib.import_module(topic.module)))
            sections.append(section)
        return sections


# ---------------------------------------------------------------------- autodoc fixes


def describe_fields(  # noqa: PLR0917 (Sphinx's event signature)
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Give an attrs class's parameters what their field metadata says they are for."""
    del app, name, options
    if what != "class" or not inspect.isclass(obj) or not attrs.has(obj):
        return
    documented = {m.group(1) for line in lines if (m := re.match(r":param (\w+):", line))}
    for field in attrs.fields(obj):
        why = field.metadata.get("why")
        if field.init and why and field.name not in documented:
            rule = field.metadata.get("rule")
            lines.append(f":param {field.alias or field.name}: {f'{rule}: ' if rule else ''}{why}")


def attrs_signature(  # noqa: PLR0917 (Sphinx's event signature)
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show a field whose default is made by a factory as ``name=...``, not ``=NOTHING``."""
    del app, name, options
    if what != "class" or not inspect.isclass(obj) or not attrs.has(obj) or not signature:
        return None
    return re.sub(r"=NOTHING\b", "=...", signature), return_annotation


def drop_object_base(
    app: Sphinx, name: str, obj: object, options: object, bases: list[type]
) -> None:
    """Leave ``object`` and the library's private helpers out of a class's bases.

    Every class has ``object``, and a private base (`Keeps`, the slot of a deferred
    reason) is how a value is built, not what it is: neither says anything to a reader.
    """
    del app, name, obj, options
    bases[:] = [base for base in bases if base is not object and not _private(base)]


def _private(base: type) -> bool:
    """A class of the library's own that no public module exports."""
    return base.__module__.startswith(f"{PACKAGE}.") and id(base) not in _public_ids()


@functools.cache
def _public_ids() -> frozenset[int]:
    package = importlib.import_module(PACKAGE)
    homes = [package, *public_modules(package)]
    return frozenset(id(getattr(home, name)) for home in homes for name in home.__all__)


_RAW: dict[tuple[str, str], list[str]] = {}


def keep_raw(  # noqa: PLR0917 (Sphinx's event signature)
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Before napoleon: remember a property's or attribute's docstring as written."""
    del app, obj, options
    if what in {"property", "attribute", "data"}:
        _RAW[what, name] = list(lines)


def restore_raw(  # noqa: PLR0917 (Sphinx's event signature)
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """After napoleon: put it back, so its first colon is not read as a type."""
    del app, obj, options
    if (what, name) in _RAW:
        lines[:] = _RAW.pop((what, name))


# ---------------------------------------------------------------------- links


def _public_target(env: BuildEnvironment, target: str) -> str | None:
    """The documented public name for a private path, trying ever shorter tails."""
    objects = env.get_domain("py").objects
    parts = target.split(".")
    if parts[0] != PACKAGE or not any(part.startswith("_") for part in parts[1:]):
        return None
    homes = [
        PACKAGE,
        *(module.__name__ for module in public_modules(importlib.import_module(PACKAGE))),
    ]
    for start in range(1, len(parts)):
        for home in homes:
            candidate = ".".join([home, *parts[start:]])
            if candidate in objects:
                return candidate
    return None


def resolve_private(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """Link ``service_recovery._money.Money`` to ``service_recovery.Money``."""
    if node.get("refdomain") != "py":
        return None
    target = _public_target(env, node["reftarget"])
    if target is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], target, node, contnode
    )


_CODE = re.compile(r"(?:service_recovery\.)?([A-Za-z_][\w.]*?)(?:\(.*\))?")


@functools.cache
def public_names() -> dict[str, str]:
    """Each way a guide names a public object in inline code, and the object's full name."""
    package = importlib.import_module(PACKAGE)
    names: dict[str, str] = {}
    homes = [package, *public_modules(package)]
    for home in homes:
        for name in getattr(home, "__all__", ()):
            if name.startswith("_"):
                continue
            obj = getattr(home, name)
            full = f"{home.__name__}.{name}"
            names.setdefault(name, full)
            if inspect.isclass(obj):
                for member in vars(obj):
                    if not member.startswith("_"):
                        names.setdefault(f"{name}.{member}", f"{full}.{member}")
    return names


class LinkInlineCode(SphinxTransform):
    """Inline code naming a public object becomes a link to it (unresolved: stays code)."""

    default_priority = 400

    def apply(self, **kwargs: object) -> None:
        """Wrap each matching literal outside titles and links in a pending reference."""
        del kwargs
        names = public_names()
        for literal in list(self.document.findall(nodes.literal)):
            if isinstance(literal.parent, nodes.title | nodes.reference | addnodes.pending_xref):
                continue
            match = _CODE.fullmatch(literal.astext())
            if match is None or match.group(1) not in names:
                continue
            xref = addnodes.pending_xref(
                "",
                refdomain="py",
                reftype="obj",
                reftarget=names[match.group(1)],
                refexplicit=True,
                refwarn=False,
                refdoc=self.env.docname,
            )
            literal.replace_self(xref)
            xref += literal


# ---------------------------------------------------------------------- offline


_REMOTE = re.compile(r"""(?:src=|import\s+\w+\s+from\s+|import\s*\(\s*)["'](?:https?:)?//""")


_BEFORE: dict[Path, float] = {}


def _pages(app: Sphinx) -> dict[Path, float]:
    return {page: page.stat().st_mtime for page in Path(app.outdir).rglob("*.html")}


def note_pages(app: Sphinx) -> None:
    """Remember the pages already there: one this build does not write is not checked."""
    _BEFORE.clear()
    _BEFORE.update(_pages(app))


def no_remote_scripts(app: Sphinx, error: Exception | None) -> None:
    """Warn (and so fail the build) for every page written that loads a script from elsewhere."""
    if error is not None or app.builder.format != "html":
        return
    for page, modified in sorted(_pages(app).items()):
        written = _BEFORE.get(page) != modified
        if written and _REMOTE.search(page.read_text(encoding="utf-8")):
            logger.warning("%s loads a script from another site; ship it in _static", page)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directive, the autodoc fixes, the links and the offline check."""
    app.setup_extension("sphinx.ext.autodoc")
    app.setup_extension("sphinx.ext.autosummary")
    app.setup_extension("sphinx.ext.napoleon")
    app.add_directive("api-reference", ApiReference)
    app.connect("autodoc-process-signature", attrs_signature)
    app.connect("autodoc-process-bases", drop_object_base)
    app.connect("autodoc-process-docstring", keep_raw, priority=400)
    app.connect("autodoc-process-docstring", restore_raw, priority=600)
    app.connect("autodoc-process-docstring", describe_fields, priority=600)
    app.connect("missing-reference", resolve_private)
    app.add_transform(LinkInlineCode)
    app.connect("builder-inited", note_pages)
    app.connect("build-finished", no_remote_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
