"""The page of a static map, in which nothing written by an element is read as a template again.

folium builds a page from elements whose Jinja2 macros write its header, body and script. branca's
`MacroElement.render` hands each macro's output to the page as `Element(output)`, that is as the
source of a *new* Jinja2 template, compiled and rendered with the page. Everything the macros
wrote would then be read as template code: a place named `{{ 7*7 }}` shows 49, one named
`{{ cycler.__init__.__globals__.os.popen(…).read() }}` runs a command, `Pain {% au chocolat`
aborts the whole map; so would a category label, a territory's name or the title.

Here the data is written once, by the element's own macros (as JSON for scripts, escaped for
HTML), and that output stays text:

- `RenderedAsText` renders an element's macros and adds their output to the page as `RawHtml`
  (never compiled). Every element of a map is one: ours, and the folium classes we use, below.
- `StaticPage` holds the page's header, body and script: it refuses any element that would be
  rendered there as a template, keeps the plain outputs folium adds on its own (element names,
  no data) as text, and refuses to render a tree holding a macro element of another kind.

The output is what folium writes for values without template syntax, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator

import folium
from branca.element import Element, Figure, MacroElement

_SLOTS = ("header", "html", "script")


class RawHtml(Element):
    """HTML inserted as is (never read as a Jinja2 template: the inlined libraries contain `{{`)."""

    def __init__(self, html: str):
        super().__init__()
        self.raw_html = html

    def render(self, **kwargs) -> str:
        return self.raw_html


def _as_jinja_writes(text: str) -> str:
    """`text` as Jinja2 writes a template without syntax: without one trailing newline."""
    return text[:-1] if text.endswith("\n") else text


class RenderedAsText(MacroElement):
    """A macro element whose output is added to the page as text (branca's MacroElement.render
    adds it as a template). Put it last among the bases of a folium class, so that the class's
    own render (which prepares its values) runs first: `class TileLayer(folium.TileLayer,
    RenderedAsText)`."""

    def render(self, **kwargs) -> None:
        page = self.get_root()
        if not isinstance(page, Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered in a page (Figure)")
        module = self._template.module
        for slot in _SLOTS:
            macro = getattr(module, slot, None)
            if macro is not None:
                getattr(page, slot).add_child(RawHtml(_as_jinja_writes(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _PageSlot(Element):
    """The header, body or script of a StaticPage: text only."""

    def add_child(self, child: Element, name: str | None = None, index: int | None = None) -> Element:
        if type(child) is Element and child._template_str is not None:
            # What folium adds itself (the `….addTo(map)` of a layer: element names), already
            # compiled, not rendered again.
            child = RawHtml(_as_jinja_writes(child._template_str))
        elif not isinstance(child, RawHtml):
            raise TypeError(f"{type(child).__name__} would be rendered as a Jinja2 template in a static map")
        return super().add_child(child, name=name, index=index)


class StaticPage(Figure):
    """A folium page (Figure) whose header, body and script hold text only (see the module)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for slot_name in _SLOTS:
            figure_slot, slot = getattr(self, slot_name), _PageSlot()
            slot._parent = self
            for name, child in figure_slot._children.items():
                slot.add_child(child, name=name)
            setattr(self, slot_name, slot)

    def render(self, **kwargs) -> str:
        for element in _descendants(self):
            if isinstance(element, MacroElement) and not isinstance(element, RenderedAsText):
                raise TypeError(f"{type(element).__name__} would write its output as a template: use RenderedAsText")
        return super().render(**kwargs)


def _descendants(element: Element) -> Iterator[Element]:
    for child in element._children.values():
        yield child
        yield from _descendants(child)


class TileLayer(folium.TileLayer, RenderedAsText):
    """folium's TileLayer (its attribution is HTML, from a setting or an option), written as text."""


class LayerControl(folium.LayerControl, RenderedAsText):
    """folium's LayerControl (the layers' names come from the data), written as text."""


class FitBounds(folium.FitBounds, RenderedAsText):
    """folium's FitBounds, written as text."""
