"""A unified diff that costs time in proportion to the file, for edits that touch a few lines.

`difflib.unified_diff` matches whole sequences; on a config of tens of megabytes where the
same line (`trust_level = "trusted"`) repeats a million times it takes tens of seconds. The
switch and the route fix change a few inserted or replaced lines, so the lines are walked
side by side, each difference is resynchronised within a small window, and difflib formats
only a small window around each change. When no resynchronisation is found nearby (not an
edit-shaped change), difflib does the whole diff as before, so the output never differs.
"""

from __future__ import annotations

import re

CONTEXT = 3
_WINDOW = 64  # lines looked ahead, on each side, to find where the texts agree again
_AGREE = 3  # lines that must agree for a resynchronisation
_HUNK = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@")


def unified_diff(a: list[str], b: list[str], fromfile: str, tofile: str) -> str:
    import difflib  # only when a plan is made: the idle tray never diffs (start-up, memory)

    regions = _changed_regions(a, b)
    if regions is None:
        return "".join(difflib.unified_diff(a, b, fromfile=fromfile, tofile=tofile))
    if not regions:
        return ""
    out = [f"--- {fromfile}\n", f"+++ {tofile}\n"]
    for i1, i2, j1, j2 in _merged(regions):
        lo_a, hi_a = max(0, i1 - CONTEXT), min(len(a), i2 + CONTEXT)
        lo_b, hi_b = j1 - (i1 - lo_a), j2 + (hi_a - i2)
        local = list(difflib.unified_diff(a[lo_a:hi_a], b[lo_b:hi_b], n=CONTEXT))[2:]
        out += [_shift(line, lo_a, lo_b) if line.startswith("@@") else line for line in local]
    return "".join(out)


def _changed_regions(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]] | None:
    """Where `a` and `b` differ, as (a_start, a_end, b_start, b_end); None if not local."""
    regions: list[tuple[int, int, int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i, j = i + 1, j + 1
            continue
        step = _resync(a, b, i, j)
        if step is None:
            return None
        regions.append((i, i + step[0], j, j + step[1]))
        i, j = i + step[0], j + step[1]
    if i < len(a) or j < len(b):
        regions.append((i, len(a), j, len(b)))
    return regions


def _resync(a: list[str], b: list[str], i: int, j: int) -> tuple[int, int] | None:
    for total in range(1, 2 * _WINDOW + 1):
        for x in range(max(0, total - _WINDOW), min(total, _WINDOW) + 1):
            y = total - x
            if _agree(a, b, i + x, j + y):
                return x, y
    return None


def _agree(a: list[str], b: list[str], i: int, j: int) -> bool:
    if i >= len(a) or j >= len(b):
        return i >= len(a) and j >= len(b)
    return a[i : i + _AGREE] == b[j : j + _AGREE] and (
        min(len(a) - i, _AGREE) == min(len(b) - j, _AGREE)
    )


def _merged(regions: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Regions whose context windows touch become one (difflib would make one hunk)."""
    merged = [regions[0]]
    for i1, i2, j1, j2 in regions[1:]:
        last = merged[-1]
        if i1 - last[1] <= 2 * CONTEXT:
            merged[-1] = (last[0], i2, last[2], j2)
        else:
            merged.append((i1, i2, j1, j2))
    return merged


def _shift(header: str, by_a: int, by_b: int) -> str:
    match = _HUNK.match(header)
    if match is None:
        return header
    start_a, len_a, start_b, len_b = match.groups()
    return (
        f"@@ -{int(start_a) + by_a}{len_a} +{int(start_b) + by_b}{len_b} @@" + header[match.end() :]
    )
