"""The one Markdown pipeline: Python-Markdown, then bleach with an explicit allow-list.

Everything user-written in Markdown goes through `render`, once, when it is saved; pages
show the stored HTML. bleach receives no further releases upstream, so it is used here
and nowhere else.
"""

from __future__ import annotations

import re
import threading

import bleach
import markdown
from markdown.extensions.toc import slugify_unicode

# Bump when the extensions, the allow-list or the post-processing change: stored HTML
# rendered by another version is rendered again.
RENDERER_VERSION = 3

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


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """bleach's attribute filter: which attributes may stay, with which values."""
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


def _heading_slug(value: str, separator: str) -> str:
    # A prefix keeps author headings from taking ids the page itself uses.
    return HEADING_ID_PREFIX + (slugify_unicode(value, separator) or "section")


def _markdown() -> markdown.Markdown:
    # Extensions named one by one. Never `attr_list`: it lets authors write attributes.
    return markdown.Markdown(
        extensions=[
            "markdown.extensions.tables",
            "markdown.extensions.fenced_code",
            "markdown.extensions.footnotes",
            "markdown.extensions.def_list",
            "markdown.extensions.abbr",
            "markdown.extensions.sane_lists",
            "markdown.extensions.toc",
        ],
        extension_configs={
            "markdown.extensions.toc": {"slugify": _heading_slug},
            "markdown.extensions.footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": "Back to text"},
        },
        output_format="html",
    )


def _add_link_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


def _cleaner() -> bleach.sanitizer.Cleaner:
    return bleach.sanitizer.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allow_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            lambda source: bleach.linkifier.LinkifyFilter(
                source, callbacks=[_add_link_rel], skip_tags={"pre", "code"}
            )
        ],
    )


# Building the converter and the cleaner costs more than using them (0.2 ms, 0.04 ms); neither
# is safe to share between threads, so each thread keeps its own.
_per_thread = threading.local()


def _this_threads(build):
    """This thread's own instance of what `build` makes, built on first use."""
    instance = getattr(_per_thread, build.__name__, None)
    if instance is None:
        instance = build()
        setattr(_per_thread, build.__name__, instance)
    return instance


def _converted(text: str) -> str:
    # reset: no footnotes or abbreviations carried over from the thread's previous text
    return _this_threads(_markdown).reset().convert(text or "")


def sanitize(html: str) -> str:
    """Clean HTML through the allow-list. The only place bleach is called."""
    return _this_threads(_cleaner).clean(html)


def render(text: str) -> str:
    """Markdown source to safe HTML."""
    return sanitize(_converted(text))


def to_plain_text(text: str, limit: int | None = None) -> str:
    """Markdown to plain text (for summaries and search snippets)."""
    plain = bleach.clean(_converted(text), tags=set(), strip=True)
    plain = re.sub(r"\s+", " ", plain).strip()
    if limit and len(plain) > limit:
        plain = plain[: limit - 1].rsplit(" ", 1)[0] + "…"
    return plain
