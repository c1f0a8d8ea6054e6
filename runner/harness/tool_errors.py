"""The one exception a tool script raises to fail a run with a message meant for the user.

    from tool_errors import ToolUserError
    raise ToolUserError("Filen saknar kolumnen 'Namn'.")

The harness turns it into `status: "failed"` with the message as `error_summary` (no traceback),
so the message must be safe to show: no stack traces, host paths or secrets.
"""

from __future__ import annotations

__all__ = ["ToolUserError"]

# Shown when a script raises ToolUserError with an empty message.
DEFAULT_MESSAGE = "Ett fel inträffade."


class ToolUserError(Exception):
    """A user-facing error: the run fails and `safe_message` is shown as the error summary."""

    def __init__(self, message: object = "") -> None:
        text = message if isinstance(message, str) else str(message)
        safe_message = text.strip() or DEFAULT_MESSAGE
        super().__init__(safe_message)
        # Scripts written for the original Skriptoteket may read this attribute.
        self.safe_message = safe_message
