"""Pathological Markdown: the shapes that make parsers slow, at the largest size a form accepts.

Shared by the tests (every entry renders, and comes out clean) and by `make bench` (how long
each takes). Pure Python, no Flask. Each entry is one shape repeated up to `size` characters;
the lesson body (30,000 characters) is the longest Markdown field any form accepts.
"""

from __future__ import annotations

from collections.abc import Callable

# The longest Markdown field: LessonForm.body (tasks 10,000, answers and notes 20,000).
# (lessons.forms.LESSON_BODY_LIMIT says the same; a test holds them together.)
MAX_LENGTH = 30_000


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _halves(opening: str, closing: str) -> Callable[[int], str]:
    """`opening` repeated for the first half, `closing` for the second: deep nesting."""
    return lambda size: _repeat(opening)(size // 2) + _repeat(closing)(size - size // 2)


def _lines(make_line: Callable[[int], str]) -> Callable[[int], str]:
    """Numbered lines until `size` characters."""

    def build(size: int) -> str:
        lines, used, n = [], 0, 0
        while used < size:
            line = make_line(n) + "\n"
            lines.append(line)
            used, n = used + len(line), n + 1
        return "".join(lines)[:size]

    return build


def _footnotes(size: int) -> str:
    """References to many footnotes, then their definitions."""
    count = size // 18
    refs = "".join(f"x[^{n}] " for n in range(count))
    return (refs + "\n\n" + "".join(f"[^{n}]: note\n" for n in range(count)))[:size]


def _references(size: int) -> str:
    """Many reference-link definitions, then links that use them."""
    count = size // 22
    defs = "".join(f"[r{n}]: /u{n}\n" for n in range(count))
    return (defs + "\n" + "".join(f"[a][r{n}] " for n in range(count)))[:size]


def _wide_table(size: int) -> str:
    """A header with thousands of columns and many near-empty rows (cells are filled in)."""
    columns = size // 10
    return ("|a" * columns + "\n" + "|-" * columns + "\n" + "|\n" * size)[:size]


def _abbreviations(size: int) -> str:
    count = size // 30
    defs = "".join(f"*[A{n}]: Abbreviation {n}\n" for n in range(count))
    return (defs + "\n" + " ".join(f"A{n}" for n in range(count)) + " x" * size)[:size]


def _backtick_runs(size: int) -> str:
    """Runs of 1, 2, 3 … backticks, none closed: each run could open a code span."""
    parts, used, n = [], 0, 1
    while used < size:
        parts.append("`" * n + " a ")
        used, n = used + n + 3, n + 1
    return "".join(parts)[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    # links and images
    "open brackets `[`": _repeat("["),
    "close brackets `]`": _repeat("]"),
    "nested brackets `[[[…]]]`": _halves("[", "]"),
    "link openers `[x](`": _repeat("[x]("),
    "image openers `![`": _repeat("!["),
    "nested parentheses in a link `[a](((…`": lambda size: "[a](" + _repeat("(")(size - 4),
    "unmatched parentheses `(`": _repeat("("),
    'link titles left open `[a](b "`': _repeat('[a](b "'),
    "bracket and emphasis `[*`": _repeat("[*"),
    "reference links `[a][b]`": _repeat("[a][b]"),
    "reference-link definitions": _references,
    "reference definitions left open `[a]: <`": _repeat("[a]: <\n"),
    # autolinks and bare addresses
    "autolinks left open `<http://a`": _repeat("<http://a"),
    "autolinks `<http://a.example>`": _repeat("<http://a.example> "),
    "bare URLs (linkified)": _repeat("http://a.example/p "),
    "bare www addresses": _repeat("www.a.example "),
    "bare e-mail addresses": _repeat("a@b.example "),
    "one URL as long as the field": lambda size: "http://" + _repeat("a")(size - 7),
    "at signs `a@`": _repeat("a@"),
    "colons `a:`": _repeat("a:"),
    "protocols without addresses `http:`": _repeat("http:"),
    "one dotted name `a.a.a`": _repeat("a."),
    "dotted names `a.b `": _repeat("a.b "),
    "URL paths of parentheses `http://a/(`": lambda size: (
        "http://a.example/" + _repeat("(")(size - 17)
    ),
    # emphasis and code
    "emphasis openers `*a`": _repeat("*a"),
    "emphasis openers `_a`": _repeat("_a"),
    "strong runs `**`": _repeat("**a"),
    "one asterisk run": _repeat("*"),
    "mixed emphasis `*_**__`": _repeat("*_**__a"),
    "backticks, one run": _repeat("`"),
    "backtick runs of growing length": _backtick_runs,
    "backticks `a` alternating": _repeat("`a"),
    # blocks
    "block quote depth `>>>`": _repeat(">"),
    "block quote lines `> > >`": _lines(lambda n: "> " * (n % 200) + "a"),
    "nested list on one line `- - -`": _repeat("- "),
    "list staircase": _lines(lambda n: "  " * (n % 300) + "- a"),
    "ordered list staircase": _lines(lambda n: "   " * (n % 200) + "1. a"),
    "many headings with one title": _repeat("# a\n"),
    "setext underlines": _repeat("a\n=\n"),
    "fences left open": _repeat("```\n"),
    "definition lists": _repeat("Term\n: Definition\n\n"),
    "nested definitions `: : :`": _repeat(": "),
    "abbreviations": _abbreviations,
    # footnotes
    "footnotes (refs and definitions)": _footnotes,
    "references to one footnote": lambda size: _repeat("[^a]")(size - 12) + "\n\n[^a]: x\n",
    "footnote refs left open `[^`": _repeat("[^"),
    "footnote refs left open after a definition": lambda size: (
        "[^a]: x\n\n" + _repeat("[^")(size - 9)
    ),
    # tables
    "long table (many rows)": lambda size: (
        "| a | b |\n|---|---|\n" + _repeat("| 1 | 2 |\n")(size - 20)
    ),
    "wide table (many columns, empty rows)": _wide_table,
    "table of pipes": _repeat("|"),
    # HTML-like text
    "tags left open `<div`": _repeat("<div"),
    "attributes left open `<a href=`": _repeat("<a href="),
    'quoted attributes left open `<a href="`': _repeat('<a href="x'),
    "comments left open `<!--`": _repeat("<!--"),
    "closing tags `</`": _repeat("</"),
    "angle brackets `<`": _repeat("<"),
    "nested divs": _halves("<div>", "</div>"),
    "nested inline tags `<b>`": _halves("<b>", "</b>"),
    "processing instructions `<?`": _repeat("<?"),
    "CDATA left open `<![CDATA[`": _repeat("<![CDATA["),
    "entities left open `&#`": _repeat("&#"),
    "backslashes": _repeat("\\"),
    # plain text
    "many short lines `a`": _repeat("a\n"),
    "one long word": _repeat("a"),
    "blank lines": _repeat("\n"),
}


def corpus(size: int = MAX_LENGTH) -> dict[str, str]:
    """Every shape, built to `size` characters (or just under)."""
    return {name: build(size) for name, build in SHAPES.items()}
