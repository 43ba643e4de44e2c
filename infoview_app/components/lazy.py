"""Components whose library is loaded after the first paint.

Reflex imports a component's library statically into the page's module, so a page with one
chart or graph carries all of Recharts (400 KB) or React Flow (200 KB) in the JavaScript it
must download and run before it can hydrate. A ``NoSSRComponent`` is imported with a dynamic
``import()`` instead (``ClientSide`` in Reflex's utils/context.js renders it once loaded): the
bundler puts the library in a chunk of its own that the browser fetches after the page is up.
Every component of the library must be lazy for the library to leave the page's module.
"""

from functools import cache
from typing import TypeVar, cast

from reflex_base.components.component import Component, NoSSRComponent

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
