"""Address headers (From, To, Reply-To) that no display name can turn into another address.

The standard library's SMTP policy writes a name with quotes, `<` or commas as a quoted
string and, when the line is long, refolds it; Python releases from before 2025 drop the
quotes while folding, so `Anna "x" <attacker@evil.example>` plus a long surname is read by
mail servers and clients as a message to attacker@evil.example. `SMTP_POLICY` is that policy
except for address headers, which are written here: a name of plain words (letters, digits,
`-`, `'`) as they are, any other word as RFC 2047 encoded words, which hold no character a
parser could read as part of an address, and every line folded between whole words.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from email.headerregistry import Address, HeaderRegistry
from email.policy import EmailPolicy

#: Headers holding addresses (lower case), written by `address_field`.
ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})
#: A word of a display name that needs neither quotes nor encoding.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9'-]+")
_WORD_START, _WORD_END = "=?utf-8?b?", "?="
#: RFC 2047's longest encoded word, and RFC 5322's recommended longest line.
MAX_WORD, MAX_LINE = 75, 78
#: The most UTF-8 bytes whose base64 fits in one encoded word.
_WORD_BYTES = (MAX_WORD - len(_WORD_START) - len(_WORD_END)) // 4 * 3


def encoded_words(text: str) -> list[str]:
    """`text` as base64 UTF-8 encoded words of at most MAX_WORD characters, each holding
    whole characters, so that each decodes on its own."""
    words: list[str] = []
    chunk = b""
    for char in text:
        encoded = char.encode("utf-8")
        if chunk and len(chunk) + len(encoded) > _WORD_BYTES:
            words.append(_WORD_START + base64.b64encode(chunk).decode("ascii") + _WORD_END)
            chunk = b""
        chunk += encoded
    if chunk:
        words.append(_WORD_START + base64.b64encode(chunk).decode("ascii") + _WORD_END)
    return words


def _name_words(display_name: str) -> list[str]:
    """Plain words as they are; each run of other words, with the spaces inside it, as
    encoded words (decoders drop the space between two encoded words, so a space that
    separates two of them has to be inside one)."""
    tokens: list[str] = []
    run: list[str] = []
    for word in display_name.split(" ") if display_name else ():
        if _PLAIN_WORD.fullmatch(word):
            tokens += encoded_words(" ".join(run)) if run else []
            run = []
            tokens.append(word)
        else:
            run.append(word)
    return tokens + (encoded_words(" ".join(run)) if run else [])


def _tokens(addresses: Iterable[Address]) -> list[str]:
    """The field's words in order; an address in angle brackets after its name, a comma
    after every address but the last."""
    tokens: list[str] = []
    for address in addresses:
        if tokens:
            tokens[-1] += ","
        words = _name_words(address.display_name)
        tokens += [*words, f"<{address.addr_spec}>"] if words else [address.addr_spec]
    return tokens


def address_field(name: str, addresses: Iterable[Address], linesep: str = "\r\n") -> str:
    """The whole header, `linesep` ended, folded before a word wherever a line would pass
    MAX_LINE characters (a word longer than that gets a line of its own)."""
    lines: list[str] = []
    line = f"{name}:"
    for token in _tokens(addresses):
        if len(line) + 1 + len(token) > MAX_LINE and line.strip() != f"{name}:":
            lines.append(line)
            line = ""
        line += " " + token
    lines.append(line)
    return linesep.join(lines) + linesep


class AddressSafePolicy(EmailPolicy):
    """EmailPolicy, with address headers written by `address_field`."""

    def fold(self, name, value):
        if name.lower() in ADDRESS_HEADERS and hasattr(value, "addresses"):
            return address_field(name, value.addresses, self.linesep)
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in ADDRESS_HEADERS and hasattr(value, "addresses"):
            return address_field(name, value.addresses, self.linesep).encode("ascii")
        return super().fold_binary(name, value)


class KeptHeaderClasses(HeaderRegistry):
    """The standard library's header registry, making each header's class once.

    Its own makes a new class (a `type()` call) every time a header is set or read, which was
    a fifth of the time it took to build a confirmation; the class depends only on the header's
    name, so it is kept."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


#: The standard library's SMTP policy (CRLF line ends) with safe address headers.
SMTP_POLICY = AddressSafePolicy(linesep="\r\n", header_factory=KeptHeaderClasses())
