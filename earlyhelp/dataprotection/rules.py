"""Pure rules of data protection: what counts as a stated reason."""

import re
import unicodedata

REASON_MIN_LENGTH = 20
REASON_MIN_WORDS = 3
# A word is a run of letters or digits; "Police report the child alone" has five.
_WORD = re.compile(r"[^\W_]+")


def without_invisible(text: str) -> str:
    """The text without invisible format characters (zero-width spaces, joiners, direction marks),
    trimmed; line breaks stay."""
    return "".join(character for character in text if unicodedata.category(character) != "Cf").strip()


def visible_text(text: str) -> str:
    """The text as a reader sees it: no invisible characters, and runs of white space made one space."""
    return " ".join(without_invisible(text).split())


def reason_words(text: str) -> list[str]:
    """The words of a reason, as a reader would count them."""
    return _WORD.findall(visible_text(text))
