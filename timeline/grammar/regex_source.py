"""Reading a regular expression's source text: where its groups open and close."""
from __future__ import annotations


def closing_parenthesis(pattern: str, opening: int) -> int | None:
    """The index of the ")" that closes the "(" at ``opening`` in a regular expression, skipping
    escapes and character classes; None when it is never closed."""
    depth, index, in_class = 0, opening, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
