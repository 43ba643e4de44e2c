"""The digest by which the server acknowledges a stored text to the browser.

assets/unsent.js keeps unsent text in the browser's storage until the page shows the digest
of exactly that text; both sides compute FNV-1a (32 bits) over the text's UTF-16 code units,
which is what JavaScript strings are made of. It only tells the browser which of its own texts
arrived, so it need not resist forgery.
"""

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193


def digest(text: str) -> str:
    value = FNV_OFFSET
    units = text.encode("utf-16-le", "surrogatepass")
    for index in range(0, len(units), 2):
        value ^= units[index] | units[index + 1] << 8
        value = (value * FNV_PRIME) & 0xFFFFFFFF
    return f"{value:08x}"
