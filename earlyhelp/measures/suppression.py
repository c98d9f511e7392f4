"""Small-number suppression for published aggregates, with no database: the insights pages and the
indicators (measures) publish through it.

A count of one to four families can identify them to someone who knows the area (a street, a
school), so such counts are never shown: the page and the download say "fewer than 5" instead.
Zero is shown, because it identifies no one. Tables carry no totals, so a suppressed cell cannot
be worked out by subtracting the others from a total.
"""

SMALL_NUMBER_THRESHOLD = 5
SUPPRESSED = f"fewer than {SMALL_NUMBER_THRESHOLD}"


def suppress(count: int) -> str:
    """The count as it may be published: "fewer than 5" for 1 to 4, the number otherwise."""
    if 0 < count < SMALL_NUMBER_THRESHOLD:
        return SUPPRESSED
    return str(count)
