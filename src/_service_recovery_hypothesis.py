"""The hypothesis entry point: `st.from_type` learns our types, at no cost to hypothesis's start.

Hypothesis calls `_hypothesis_setup_hook` each time it is imported, in every process on a
machine that has this library installed, whether the tests there use the library or not.
Importing anything inside `service_recovery` imports all of it (about 250 ms), so this
module lives outside the package and imports none of it: if the library is already
imported, its types are registered at once; otherwise right after `service_recovery` is
first imported, by a finder that steps aside once it has done so.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

_PACKAGE = "service_recovery"


def _register() -> None:
    from service_recovery._hypothesis_plugin import register  # noqa: PLC0415 (see above)

    register()


def _hypothesis_setup_hook() -> None:
    """Register our types now if the library is imported, else once it is."""
    if _PACKAGE in sys.modules:
        _register()
    else:
        sys.meta_path.insert(0, _RegisterOnImport())


class _RegisterOnImport(importlib.abc.MetaPathFinder):
    """Finds `service_recovery` as the other finders do, to register its types once loaded."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """The package's own spec, with a loader that registers after loading it."""
        if fullname != _PACKAGE:
            return None
        for finder in sys.meta_path:
            spec = None if finder is self else finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _LoadThenRegister(spec.loader, self)
                return spec
        return None


class _LoadThenRegister(importlib.abc.Loader):
    """The package's own loader, followed by the registration; it hands the module back.

    The module keeps its real loader, so nothing that reads `__loader__` sees this one.
    """

    def __init__(self, loader: importlib.abc.Loader, finder: _RegisterOnImport) -> None:
        self._loader = loader
        self._finder = finder

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        """Whatever module the real loader would create."""
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        """Load the package with its real loader, then register its types, once."""
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)
        _register()
