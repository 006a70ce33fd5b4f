"""What an import did, for the person who ran it, and how it stops."""

from collections import Counter
from dataclasses import dataclass, field


class ImportFailed(Exception):
    """The import stopped and wrote nothing; the message names the problem."""


class Rollback(Exception):
    """Raised at the end of a dry run, so that its transaction writes nothing."""


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    skipped: list = field(default_factory=list)  # (what, why)
    todo: list = field(default_factory=list)
    dry_run: bool = False

    def skip(self, what, why):
        self.skipped.append((what, why))

    def lines(self):
        c = self.counts
        head = "Dry run: nothing was written." if self.dry_run else "Import finished."
        out = [head, "", "Imported:"]
        rows = [
            ("articles published", c["published"]),
            ("articles scheduled", c["scheduled"]),
            ("articles as drafts", c["draft"]),
            ("articles waiting for review", c["review"]),
            ("comments approved", c["comment approved"]),
            ("comments waiting for review", c["comment pending"]),
            ("staff replies", c["staff reply"]),
            ("images", c["image"]),
            ("authors", c["author"]),
            ("categories", c["category"]),
            ("tags", c["tag"]),
            ("redirects from old addresses", c["redirect"]),
        ]
        out += [f"  {label:<32} {count:>7,}" for label, count in rows]
        if c["updated"]:
            out.append(f"  ({c['updated']:,} of them were already here and were updated)")
        out += ["", f"Skipped ({len(self.skipped):,}):"]
        out += [f"  - {what}: {why}" for what, why in self.skipped] or ["  nothing"]
        out += ["", f"For staff to do ({len(self.todo):,}):"]
        out += [f"  - {item}" for item in self.todo] or ["  nothing"]
        return out
