"""docxtpl's render without its repeated work: the same document, in less time.

Two things docxtpl does on every render cost most of it for a long report (bench/README.md):

- it compiles the template's XML into a Jinja template each time, although the XML is the
  same for every render of one template file: the compiled template is kept, per source;
- after rendering, it rewrites every run of every paragraph to turn tabs, line breaks and
  page breaks in the text into Word's elements, although only a few paragraphs hold any: the
  others are left as they are, which is what its rewrite gives them too.
"""

from __future__ import annotations

import re
import threading
import types
from collections import OrderedDict
from typing import Any

import jinja2
from docxtpl import DocxTemplate

_KEPT_TEMPLATES = 4  # one per template file in use; an edited file adds one
# The same paragraphs docxtpl's resolve_listing visits, and what it changes inside them.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING = re.compile("[\t\a\n\f]")


class CachingEnvironment(jinja2.Environment):
    """A Jinja environment that compiles each template source once."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: OrderedDict[str, jinja2.Template] = OrderedDict()
        self._compiled_lock = threading.Lock()

    def from_string(  # type: ignore[override]
        self, source: str, globals: Any = None, template_class: Any = None
    ) -> jinja2.Template:
        """Return the compiled template for ``source``, compiling it the first time."""
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._compiled_lock:
            self._compiled[source] = template
            while len(self._compiled) > _KEPT_TEMPLATES:
                self._compiled.popitem(last=False)
        return template


def quick_listing(document: DocxTemplate) -> DocxTemplate:
    """Make ``document`` rewrite only the paragraphs that hold a tab or a break."""
    original = DocxTemplate.resolve_listing

    def resolve_listing(self: DocxTemplate, xml: str) -> str:
        def paragraph(match: re.Match[str]) -> str:
            text = match.group(0)
            return original(self, text) if _LISTING.search(text) else text

        return _PARAGRAPH.sub(paragraph, xml)

    document.resolve_listing = types.MethodType(resolve_listing, document)
    return document


def compiling_once(environment: jinja2.Environment) -> CachingEnvironment:
    """Return an environment set up as ``environment`` that compiles each source once."""
    caching = CachingEnvironment(undefined=environment.undefined, autoescape=environment.autoescape)
    caching.filters.update(environment.filters)
    caching.globals.update(environment.globals)
    return caching
