"""What the quote passes find: a quote's pieces, and the attribution that gives it a cue and a speaker
phrase."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Attr:
    pid: int
    cue: str
    verb_start: int
    verb_end: int
    np: str = ""            # speaker phrase as written
    np_start: int = -1
    np_end: int = -1
    channel: str = ""
    participle: bool = False


@dataclass
class Quote:
    kind: str
    pieces: list[tuple[int, int, int]]          # (paragraph_id, start, end)
    attr: Attr | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)   # (pid, span index) for direct pieces
    speaker: str = ""
    entity_id: str = ""
    inherited: bool = False
    forward: bool = False       # reported speech after its verb ("X said that …")

    @property
    def pos(self) -> tuple[int, int]:
        if self.attr is not None and self.kind == "indirect":
            return (self.attr.pid, self.attr.verb_start)
        return (self.pieces[0][0], self.pieces[0][1])
