"""The report every import ends with: created, updated, unchanged, merged, rejected (with reasons)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class ImportReport:
    """Accounts for every source row of one import run.

    `created + updated + unchanged + merged + len(rejected) == rows_read` once the run is over:
    `merged` counts rows folded into a place made by an earlier row (same SIRET, several lines).
    """

    name: str
    source_file: str = ""
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def reject(self, row: str, reason: str) -> None:
        self.rejected.append({"row": row, "reason": reason})

    def warn(self, row: str, message: str) -> None:
        self.warnings.append({"row": row, "message": message})

    def finish(self) -> ImportReport:
        """Stop the clock (once: later calls keep the first duration)."""
        if not self.seconds:
            self.seconds = time.monotonic() - self.started
        return self

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    def rejection_reasons(self) -> dict[str, int]:
        """Rejections grouped by reason, most frequent first (details stripped after ':')."""
        counts: dict[str, int] = {}
        for item in self.rejected:
            key = item["reason"].split(":")[0]
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "source_file": self.source_file,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "rejected_count": len(self.rejected),
            "rejection_reasons": self.rejection_reasons(),
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "rejected": self.rejected,
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        lines = [
            f"{self.name}: {self.rows_read} rows read in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)",
            f"  created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"merged {self.merged}, rejected {len(self.rejected)}, warnings {len(self.warnings)}",
        ]
        lines += [f"  rejected — {reason}: {n}" for reason, n in self.rejection_reasons().items()]
        return "\n".join(lines)

    def write(self, directory: Path, path: Path | None = None) -> Path:
        """Write the full report as JSON, to `path` or to a timestamped file in `directory`."""
        if path is None:
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            path = directory / f"{self.name}-{stamp}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        return path
