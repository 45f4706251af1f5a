"""Generated avatars: a deterministic SVG with the person's initials on a colour of their own."""

from __future__ import annotations

import hashlib
from html import escape

_PALETTE = (
    "#2f6f5e", "#8a4f7d", "#3d5a99", "#a0522d", "#4f6d2f", "#7a5c1e", "#2e6f8e", "#8e3b46",
)  # fmt: skip


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[-1][0]).upper()


def avatar_svg(seed: str, name: str, size: int = 96) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    colour = _PALETTE[digest[0] % len(_PALETTE)]
    text = escape(initials(name))
    half = size // 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(name)}">'
        f'<rect width="{size}" height="{size}" rx="{size // 8}" fill="{colour}"/>'
        f'<text x="{half}" y="{half}" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="system-ui,sans-serif" font-size="{size * 0.4:.0f}" font-weight="600">'
        f"{text}</text></svg>"
    )
