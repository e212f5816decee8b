"""Wrong parameters, named one by one: what every reader of a search (the API, the pages, the
embed, the static maps, the exports and their commands) answers bad input with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParamErrors(Exception):
    """Wrong parameters: field name → messages, with optional candidates/suggestions per field."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    hints: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def as_dict(self) -> dict:
        body: dict = {"detail": "Invalid parameters: " + ", ".join(self.errors), "errors": self.errors}
        if self.hints:
            body["hints"] = self.hints
        return body

    def as_options_text(self) -> str:
        """For management commands: "Invalid options: --near: longitude 200 is out of range
        [-180, 180]; --category: unknown category 'x' (close: …)"."""
        parts = []
        for name, messages in self.errors.items():
            text = f"--{name.replace('_', '-')}: " + "; ".join(messages)
            hints = self.hints.get(name)
            if hints:
                text += " (close: " + ", ".join(hint.get("slug") or hint.get("label", "") for hint in hints) + ")"
            parts.append(text)
        return "Invalid options: " + "; ".join(parts)
