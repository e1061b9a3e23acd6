"""A broken office template, told to the person who tried to use it instead of raised.

Every document that renders an office's own .docx template (the Nota Dinas, the LKjIP, the
Surat Pengantar) turns a TemplateError into the same polite refusal, naming the bad tag.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.documents import TemplateError
from bot.domain.errors import InvalidInput
from bot.messages import documents as messages


def template_problem(error: TemplateError) -> str:
    """Explain a broken template to the rendatin member who tried to use it."""
    return messages.template_problem(error.message)


def render_or_explain(render: Callable[[], bytes]) -> bytes:
    """Call ``render``; a broken template raises InvalidInput saying what to fix."""
    try:
        return render()
    except TemplateError as error:
        raise InvalidInput(template_problem(error)) from None
