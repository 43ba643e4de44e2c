"""Components whose library is loaded after the first paint.

Reflex imports a component's library statically into the page's module, so a page with one
chart or graph carries all of Recharts (400 KB) or React Flow (200 KB) in the JavaScript it
must download and run before it can hydrate. A ``NoSSRComponent`` is imported with a dynamic
``import()`` instead (``ClientSide`` in Reflex's utils/context.js renders it once loaded): the
bundler puts the library in a chunk of its own that the browser fetches after the page is up.
Every component of the library must be lazy for the library to leave the page's module.
"""

import json
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, cast

from reflex_base.components.component import Component, NoSSRComponent
from reflex_base.utils import memo_paths

C = TypeVar("C", bound=Component)


@cache
def lazy(cls: type[C]) -> type[C]:
    """``cls`` as a component loaded with a dynamic import (same tag, props and rendering)."""
    if issubclass(cls, NoSSRComponent):
        return cls
    # The same name: a parent may accept its children by class name (Recharts' charts do).
    return cast(type[C], type(cls.__name__, (NoSSRComponent, cls), {"__module__": __name__}))


def lazy_root(component: C) -> C:
    """``component`` itself made lazy: for a wrapper a library's ``create`` builds around the
    component asked for (Recharts' charts come inside their ResponsiveContainer)."""
    component.__class__ = lazy(type(component))
    return component


# Resolves once the browser has painted and shown the frame being prepared: the second
# animation frame from now starts after the first one is on screen.
NEXT_PAINT = ("const ivNextPaint = () => new Promise((resolve) => "
              "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));")


class _AfterFirstPaint(NoSSRComponent):
    """A memo's module, imported once the frame that first draws this component is painted."""

    def _get_dynamic_imports(self) -> str:
        library = json.dumps(self.library)
        return (f"const {self.tag} = ClientSide(() => ivNextPaint().then(() => "
                f"import({library})).then((mod) => mod.{self.tag}), {json.dumps(self.tag)})")

    def add_custom_code(self) -> list[str]:
        return [NEXT_PAINT]


@cache
def _after_first_paint_class(memo: Callable[[], Component]) -> type[_AfterFirstPaint]:
    definition = cast(Any, memo)._definition
    library, symbol = memo_paths.library_and_symbol(definition.source_module,
                                                     definition.export_name)
    return type(symbol, (_AfterFirstPaint,), {"__module__": __name__, "library": library,
                                              "tag": symbol})


def after_first_paint(memo: Callable[[], Component]) -> Component:
    """An ``rx.memo`` without arguments, imported with a dynamic ``import()`` of its own module
    after the frame that first shows its place is painted.

    Reflex writes each memo into a module mirroring its Python module
    (``.web/app_components/<module path>.jsx``) and imports that statically into every page
    that renders it, so the page's route module carries the memo's code. Rendered through a
    ``NoSSRComponent`` whose library is that module instead, the memo is a chunk of its own:
    the exploration page loads only the step it shows. The import waits for that paint so
    that what the page's own module draws (the step's heading and advice, its largest text)
    is on screen first, and the chunk's download and rendering come after it
    (docs/benchmarks.md (k), session 10).
    """
    return _after_first_paint_class(memo).create()
