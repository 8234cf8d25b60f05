"""The one Markdown pipeline: markdown-it-py within a work budget, then nh3 with an allow-list.

Everything user-written in Markdown goes through `render`, once, when it is saved; pages
show the stored HTML. markdown-it-py parses CommonMark in linear time (Python-Markdown's
inline parser was quadratic on runs of `[`, `![`, `<http://` and footnotes); the work budget
bounds its constant; nh3 sanitizes in a small fraction of bleach's time. Both are used here
and nowhere else.
"""

from __future__ import annotations

import functools
import html
import re
import sys
import threading
import types
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

# Bump when the parser, the plugins, the allow-list or the post-processing change: stored HTML
# rendered by another version is rendered again (`flask rerender`).
RENDERER_VERSION = 7

HEADING_ID_PREFIX = "sec-"

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

_ID_PATTERN = re.compile(rf"^(?:{HEADING_ID_PREFIX}|fn-|fnref-)[\w-]{{1,80}}$")
_CLASS_ALLOWED = frozenset({"footnote", "footnote-ref", "footnote-backref", "footnotes"})
_CODE_CLASS = re.compile(r"^language-[\w+-]{1,30}$")


_URL_SCHEME = re.compile(r"^([^/?#]*):")


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """The allow-list for attributes: which attributes may stay, with which values."""
    if name in ("href", "src") and not value.strip():
        return False  # an empty address points nowhere (a link to the page itself)
    if name in ("href", "src") and (scheme := _URL_SCHEME.match(value)):
        # Anything before a colon must be an allowed scheme, even what a browser would take
        # for a path: markdown-it percent-encodes `java\u200bscript:` instead of dropping it.
        return scheme[1].lower() in ALLOWED_PROTOCOLS and name in _TAG_ATTRIBUTES.get(tag, ())
    if name == "id":
        return bool(_ID_PATTERN.match(value))
    if name == "class":
        if tag == "code":
            return bool(_CODE_CLASS.match(value))
        return all(part in _CLASS_ALLOWED for part in value.split())
    return name in _TAG_ATTRIBUTES.get(tag, ())


_TAG_ATTRIBUTES = {
    "a": ("href", "title"),
    "abbr": ("title",),
    "img": ("src", "alt", "title", "width", "height"),
    "th": ("align", "scope", "colspan", "rowspan"),
    "td": ("align", "colspan", "rowspan"),
    "ol": ("start",),
    "sup": (),
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


# -- heading ids -------------------------------------------------------------------------------

_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_JOIN = re.compile(r"[-\s]+")
_SLUG_LENGTH = 60  # leaves room for a `_n` suffix inside the sanitizer's 80 characters


def _slug(title: str) -> str:
    """Python-Markdown's unicode slug (so stored links to sections keep working), shortened."""
    value = _SLUG_DROP.sub("", unicodedata.normalize("NFKC", title)).strip().lower()
    return _SLUG_JOIN.sub("-", value)[:_SLUG_LENGTH].strip("-") or "section"


def _heading_ids(state: StateCore) -> None:
    """Give every heading a unique `sec-` id; repeats get `_1`, `_2` … as before.

    One counter per slug keeps this linear: thousands of identical headings never rescan.
    """
    taken: set[str] = set()
    next_number: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        children = state.tokens[index + 1].children or []
        slug = HEADING_ID_PREFIX + _slug(
            "".join(c.content for c in children if c.type in ("text", "code_inline"))
        )
        candidate = slug
        while candidate in taken:
            next_number[slug] = next_number.get(slug, 0) + 1
            candidate = f"{slug}_{next_number[slug]}"
        taken.add(candidate)
        token.attrSet("id", candidate)


# -- abbreviations -----------------------------------------------------------------------------
# mdit-py-plugins has no abbreviation plugin; this is Python-Markdown's `*[WCAG]: title` for
# single-word abbreviations, found by one dictionary look-up per word (linear in the text).

_ABBR_DEFINITION = re.compile(r"\*\[(\w{1,60})\]:[ \t]*(.{0,500}?)[ \t]*$")
_WORD = re.compile(r"\w+")


def _abbreviation_definition(state, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # indented code
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if state.src[begin : begin + 2] != "*[":
        return False
    found = _ABBR_DEFINITION.match(state.src, begin, state.eMarks[start_line])
    if not found:
        return False
    if not silent:
        state.env.setdefault("abbreviations", {})[found[1]] = found[2]
    state.line = start_line + 1
    return True


def _abbreviations(state: StateCore) -> None:
    """Wrap each word that has a definition in <abbr title="…">, outside links and code."""
    titles = state.env.get("abbreviations")
    if not titles:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type == "text" and not in_link:
                children.extend(_split_abbreviations(token, titles))
            else:
                children.append(token)
        block.children = children


def _split_abbreviations(token: Token, titles: dict[str, str]) -> list[Token]:
    text, parts, done = token.content, [], 0
    for word in _WORD.finditer(text):
        title = titles.get(word[0])
        if title is None:
            continue
        if word.start() > done:
            parts.append(_text(text[done : word.start()]))
        opening = Token("abbr_open", "abbr", 1)
        opening.attrSet("title", title)
        parts += [opening, _text(word[0]), Token("abbr_close", "abbr", -1)]
        done = word.end()
    if not parts:
        return [token]
    if done < len(text):
        parts.append(_text(text[done:]))
    return parts


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


# -- footnotes: Python-Markdown's markup, so the allow-list and stored pages stay the same -----


def _footnote_id(token: Token) -> str:
    return str(token.meta["id"] + 1)


def _ref_id(token: Token) -> str:
    number, repeat = _footnote_id(token), token.meta.get("subId", 0)
    return f"fnref-{number}" + (f"-{repeat}" if repeat else "")


def _footnote_ref(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return (
        f'<sup id="{_ref_id(token)}"><a class="footnote-ref" href="#fn-{_footnote_id(token)}">'
        f"{_footnote_id(token)}</a></sup>"
    )


def _footnote_anchor(self, tokens, idx, options, env) -> str:
    return (
        f' <a class="footnote-backref" href="#{_ref_id(tokens[idx])}" '
        'title="Back to text">\u21a9\ufe0e</a>'
    )


def _footnote_open(self, tokens, idx, options, env) -> str:
    return f'<li id="fn-{_footnote_id(tokens[idx])}">'


def _footnote_block_open(self, tokens, idx, options, env) -> str:
    return '<div class="footnote">\n<hr>\n<ol>\n'


def _footnote_block_close(self, tokens, idx, options, env) -> str:
    return "</ol>\n</div>\n"


_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]{1,100})\]")


def _footnote_reference(state, silent: bool) -> bool:
    """mdit-py-plugins' `[^label]` rule with the label's length bounded.

    The plugin's own rule scans from every `[^` to the next `]` or space: after one footnote
    definition, a run of `[^` took 9 s for 4,000 characters. A label is at most 100 characters.
    """
    footnotes = state.env.get("footnotes", {})
    if not footnotes.get("refs") or state.src[state.pos : state.pos + 2] != "[^":
        return False
    found = _FOOTNOTE_REF.match(state.src, state.pos, state.posMax)
    if not found or ":" + found[1] not in footnotes["refs"]:
        return False
    if not silent:
        key = ":" + found[1]
        if footnotes["refs"][key] < 0:
            footnotes["refs"][key] = len(footnotes["list"])
            footnotes["list"][footnotes["refs"][key]] = {"label": found[1], "count": 0}
        number = footnotes["refs"][key]
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": number, "subId": footnotes["list"][number]["count"], "label": found[1]}
        footnotes["list"][number]["count"] += 1
    state.pos = found.end()
    return True


def _footnote_markup(md: MarkdownIt) -> None:
    md.inline.ruler.at("footnote_ref", _footnote_reference)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    md.add_render_rule("footnote_open", _footnote_open)
    md.add_render_rule("footnote_block_open", _footnote_block_open)
    md.add_render_rule("footnote_block_close", _footnote_block_close)


# -- the work budget ---------------------------------------------------------------------------
# markdown-it-py is linear in its input, but pure Python with a large constant: a run of 50,000
# `[` cost it a second (each `[` opens a link label, and every position of the label is tried
# against every inline rule, up to twenty levels deep). So the parser prices its work as it goes,
# in units of about 0.1 µs of this machine's CPU, and a text whose price goes over WORK_BUDGET is
# refused at the form with TOO_DENSE beside the field. The price depends only on the text, never
# on the clock, so a text is accepted or refused the same way everywhere. The prices come from
# timing every shape of `markdown_corpus.py`; `make bench` times the longest accepted text of
# each shape against the 100 ms budget (a realistic lesson at the 30,000-character limit costs
# about a third of WORK_BUDGET).

PRICE_LINE = 200  # the block parser tries a line (against every block rule)
# Every line, paid up front: a paragraph's continuation lines are each tried against the rules
# that could end it, work the block parser does before the first inline step (15,000 lines of
# "a" took 0.2 s, unpriced, before the budget could refuse them).
PRICE_NEWLINE = 40
PRICE_STEP = 50  # the inline parser tries a position (against every inline rule)
PRICE_SKIP = 5  # the inline parser skips over a token while it looks for a label's end
PRICE_TOKEN = 30  # each token the parse made (rendered to HTML, then walked by the core rules)
PRICE_HTML = 1  # each character of HTML (what the sanitizer parses)
PRICE_LINK = 500  # each address a link or image normalizes (parsed, encoded, punycoded)
PRICE_DESTINATION = 400  # each try at a link's address: it may scan 32 parentheses deep
PRICE_TAG = 100  # each tag of raw HTML: the sanitizer's parser is quadratic in their nesting
WORK_BUDGET = 450_000

TOO_DENSE = (
    "This text has more Markdown markup than one field can hold (for example thousands of "
    "brackets, footnote references or table cells). Shorten it, or split it into parts."
)


class MarkupTooDense(ValueError):
    """The text needs more parsing work, or makes more HTML, than one field may."""

    def __init__(self) -> None:
        super().__init__(TOO_DENSE)


def _spend(env: dict, price: int) -> None:
    env["work"] += price
    if env["work"] > WORK_BUDGET:
        raise MarkupTooDense()


def _line(state, *_rest) -> bool:
    """The first block rule: pays for one line, matches nothing."""
    _spend(state.env, PRICE_LINE)
    return False


def _step(state, _silent: bool) -> bool:
    """The first inline rule: pays for one position, matches nothing."""
    _spend(state.env, PRICE_STEP)
    return False


def _budget(md: MarkdownIt) -> None:
    md.block.ruler.before(md.block.ruler.__rules__[0].name, "budget", _line)
    md.inline.ruler.before(md.inline.ruler.__rules__[0].name, "budget", _step)
    skip_token = md.inline.skipToken

    def priced_skip_token(state) -> None:
        _spend(state.env, PRICE_SKIP)
        skip_token(state)

    md.inline.skipToken = priced_skip_token  # the rules call `state.md.inline.skipToken`
    normalize_link = md.normalizeLink

    def priced_normalize_link(url: str) -> str:
        _spend(_this_threads_work.env, PRICE_LINK)
        return normalize_link(url)

    md.normalizeLink = priced_normalize_link  # … and `state.md.normalizeLink`, without the env
    helpers = md.helpers

    def priced_link_destination(src: str, pos: int, maximum: int):
        _spend(_this_threads_work.env, PRICE_DESTINATION)
        return helpers.parseLinkDestination(src, pos, maximum)

    md.helpers = types.SimpleNamespace(  # … and `state.md.helpers.parseLinkDestination`
        parseLinkLabel=helpers.parseLinkLabel,
        parseLinkTitle=helpers.parseLinkTitle,
        parseLinkDestination=priced_link_destination,
    )


# The parse under way in this thread (normalizeLink is not given the parse's env).
_this_threads_work = threading.local()


def _token_price(tokens: list[Token]) -> int:
    price = 0
    for token in tokens:
        price += PRICE_TOKEN
        if token.type == "html_block":
            price += PRICE_TAG * token.content.count("<")
        for child in token.children or ():
            price += PRICE_TOKEN
            if child.type == "html_inline":
                price += PRICE_TAG
    return price


# -- the parser --------------------------------------------------------------------------------


def _parser() -> MarkdownIt:
    """CommonMark with tables and raw HTML (the sanitizer strips what is not allowed), plus plugins
    named one by one. Never the attrs plugin: it lets authors write attributes."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable(["table", "linkify"])
    md.use(footnote_plugin, inline=False).use(deflist_plugin).use(_footnote_markup)
    md.block.ruler.before(
        "reference",
        "abbreviation",
        _abbreviation_definition,
        {"alt": ["paragraph", "reference"]},
    )
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("abbreviations", _abbreviations)
    md.use(_budget)  # last, so that its rule comes before every other one
    return md


# markdown-it fills in the cells a table row leaves out, up to 65,536 of them: 2,000 characters
# (200 columns, then rows of a lone `|`) became 660 KB of empty cells and seconds of sanitizing. A
# table stops being a table once it would need more than this many invented cells.
# (`markdown_it.rules_block.table` names the rule function; the constant is on its module.)
sys.modules["markdown_it.rules_block.table"].MAX_AUTOCOMPLETED_CELLS = 2_000

# A MarkdownIt instance keeps no state between texts (each parse gets its own env), so one
# serves every thread.
_md = _parser()


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: the value to keep, or None to drop the attribute.

    nh3 asks about the rel it sets on links itself, too (an author's own rel never gets here).
    """
    if tag == "a" and name == "rel":
        return value
    return value if _allow_attribute(tag, name, value) else None


_NH3_ATTRIBUTES = {"*": {"id", "class"}} | {
    tag: set(names) for tag, names in _TAG_ATTRIBUTES.items()
}


def sanitize(html: str) -> str:
    """Clean HTML through the allow-list. The only place the sanitizer is called.

    nh3 (Rust's ammonia, html5ever's parser) instead of bleach: bleach's html5lib took up to
    4 µs per character of output, so 200 KB of HTML from a 50,000-character text cost 0.9 s
    alone; nh3 takes about 0.1 µs. Tags outside the allow-list are dropped and their text kept,
    except script and style, which go with their content; comments go.
    """
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=_NH3_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=set(ALLOWED_PROTOCOLS),
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def _converted(text: str) -> str:
    """Markdown to raw HTML, within the work budget (MarkupTooDense otherwise)."""
    env = _this_threads_work.env = {"work": 0}
    _spend(env, PRICE_NEWLINE * (text or "").count("\n"))
    tokens = _md.parse(text or "", env)
    _spend(env, _token_price(tokens))
    html = _md.renderer.render(tokens, _md.options, env)
    _spend(env, PRICE_HTML * len(html))
    return html


@functools.lru_cache(maxsize=32)
def render(text: str) -> str:
    """Markdown source to safe HTML; MarkupTooDense when the text is over the budget.

    Forms check a field by rendering it (`lessons.forms.Renders`); the service that saves it
    then finds the same text's HTML here instead of rendering it a second time.
    """
    return sanitize(_converted(text)).strip()


def render_stored(text: str) -> str:
    """`render` for text that was accepted by an older renderer: over the budget it is shown
    as plain paragraphs instead (nothing stored is ever lost or unreadable)."""
    try:
        return render(text)
    except MarkupTooDense:
        paragraphs = (p for p in re.split(r"\n\s*\n", text or "") if p.strip())
        return "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs)


def to_plain_text(text: str, limit: int | None = None) -> str:
    """Markdown to plain text (for summaries and search snippets)."""
    try:
        plain = nh3.clean(_converted(text), tags=set())
    except MarkupTooDense:
        plain = text or ""
    plain = html.unescape(re.sub(r"\s+", " ", plain).strip())
    if limit and len(plain) > limit:
        plain = plain[: limit - 1].rsplit(" ", 1)[0] + "…"
    return plain
