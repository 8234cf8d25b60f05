"""The Markdown pipeline: what authors can write, and what never survives."""

import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from lessons import markdown
from lessons.forms import LESSON_BODY_LIMIT
from lessons.markdown_corpus import MAX_LENGTH, SHAPES, corpus

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](java\u200bscript:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="javascript\u200b:alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)">hi</p>',
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<form action="https://evil.example">'
    '<button formaction="javascript:alert(1)">go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    "<!-- <script>alert(1)</script> -->",
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<a href="#" id="login-form">clobber</a>',
    '[a](https://x.example "title" onmouseover="alert(1)")',
    '![a](https://x.example/a.png"onerror="alert(1))',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    "<a href='vbscript:msgbox(1)'>x</a>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<textarea autofocus onfocus="alert(1)"></textarea><select><option>x</select>',
]

# Attribute injection through Python-Markdown's title parsing; CommonMark keeps the quotes
# inside the one attribute (as text, or percent-encoded in the address).
PYTHON_MARKDOWN_ONLY = {
    '[a](https://x.example "title" onmouseover="alert(1)")',
    '![a](https://x.example/a.png"onerror="alert(1))',
}

FORBIDDEN_TAGS = {
    "script",
    "svg",
    "math",
    "style",
    "iframe",
    "form",
    "input",
    "button",
    "object",
    "embed",
    "meta",
    "base",
    "link",
    "textarea",
    "select",
}
# An allowed scheme, or no colon before the path, query or fragment (a relative address:
# `/files/1/a.png`, `#sec-why`, `;`), as the sanitizer itself rules.
SAFE_URL = re.compile(r"^(?:(?:https?|mailto):|[^:/?#]*(?:[/?#]|$))", re.I)
OWN_ID = re.compile(r"^(sec-|fn-|fnref-)")


class _Elements(HTMLParser):
    """Collects the real elements, attributes and comments of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.comments = [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


def executable_parts(html: str) -> list:
    """Everything in `html` that a browser could execute or that changes the page."""
    parser = _Elements()
    parser.feed(html)
    found = [f"comment {c!r}" for c in parser.comments]
    for tag, attrs in parser.elements:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                found.append(f"{tag}[{name}]")
            if name in ("id", "name") and not OWN_ID.match(value or ""):
                found.append(f"{tag}[{name}={value!r}]")  # clobbers the page's own ids
            if name in ("href", "src", "action") and not SAFE_URL.match(
                "".join(ch for ch in (value or "") if ch.isprintable() and not ch.isspace())
            ):
                found.append(f"{tag}[{name}={value!r}]")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markup_renders_inert(payload):
    html = markdown.render(f"Intro paragraph.\n\n{payload}\n\nOutro.")
    assert executable_parts(html) == [], html
    assert "Intro paragraph." in html and "Outro." in html


def test_the_checker_itself_catches_executable_markup():
    raw = '<a href="javascript:x()" onclick="y()">a</a><svg></svg><!-- c --><p style="x">'
    assert len(executable_parts(raw)) == 5


# What the pipeline would let through without its guards: raw HTML kept, every URL accepted.
UNGUARDED = MarkdownIt("commonmark", {"html": True})
UNGUARDED.validateLink = lambda url: True


@pytest.mark.parametrize("payload", sorted(set(PAYLOADS) - PYTHON_MARKDOWN_ONLY))
def test_each_payload_is_hostile_without_the_pipeline(payload):
    """The inert test above means something only if each payload is dangerous unguarded."""
    assert executable_parts(payload) or executable_parts(UNGUARDED.render(payload))


@pytest.mark.parametrize("payload", sorted(PYTHON_MARKDOWN_ONLY))
def test_python_markdown_attribute_injections_stay_inside_their_value(payload):
    parser = _Elements()
    parser.feed(markdown.render(payload))
    names = {name for _tag, attrs in parser.elements for name in attrs}
    assert names <= {"href", "src", "alt", "title", "rel"}, names


def test_payloads_cover_every_forbidden_tag():
    written = " ".join(PAYLOADS).lower()
    assert [tag for tag in sorted(FORBIDDEN_TAGS) if f"<{tag}" not in written] == []


def test_author_ids_cannot_clobber_page_ids():
    html = markdown.render('<h2 id="main">x</h2><a id="login-form">y</a>')
    assert 'id="main"' not in html and 'id="login-form"' not in html


def test_everyday_markdown_is_kept():
    html = markdown.render(
        "## Steps\n\n1. one\n2. two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "```python\nprint('hi')\n```\n\n![Chart of sign-ups](https://example.org/c.png)\n\n"
        "Term\n: Definition\n\nText[^1]\n\n[^1]: A note.\n\n"
        "*[WCAG]: Web Content Accessibility Guidelines\n\nWCAG"
    )
    assert '<h2 id="sec-steps">Steps</h2>' in html
    assert "<ol>" in html and "<th>A</th>" in html
    assert '<code class="language-python">' in html
    assert '<img src="https://example.org/c.png" alt="Chart of sign-ups">' in html
    assert "<dt>Term</dt>" in html and '<li id="fn-1">' in html
    assert '<abbr title="Web Content Accessibility Guidelines">WCAG</abbr>' in html


def test_nothing_carries_over_from_one_text_to_the_next():
    """The converter is reused (per thread): one author's footnotes, abbreviations and heading
    ids must not turn up in the next text."""
    markdown.render("## Plan\n\nText[^1]\n\n[^1]: Secret note.\n\n*[WCAG]: Guidelines\n")
    html = markdown.render("## Plan\n\nWCAG matters.")
    assert "Secret note" not in html and "<abbr" not in html and "footnote" not in html
    assert '<h2 id="sec-plan">' in html  # not "sec-plan_1", as if the first text were still there
    assert markdown.render("## Plan") == markdown.render("## Plan")


def test_texts_rendered_in_threads_at_once_come_out_as_alone():
    texts = [f"## Part {n}\n\nNote[^a] on *{n}*.\n\n[^a]: Source {n}." for n in range(8)]
    alone = [markdown.render(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(markdown.render, texts * 25))
    assert together == alone * 25


def test_links_get_rel_nofollow_noopener_and_bare_urls_are_linked():
    html = markdown.render("See [the guide](https://example.org/guide) or https://example.org/x")
    assert html.count('rel="nofollow noopener"') == 2
    assert '<a href="https://example.org/x" rel="nofollow noopener">' in html


def test_mailto_allowed_but_ftp_dropped():
    html = markdown.render("[mail](mailto:a@example.org) [ftp](ftp://example.org/f)")
    assert 'href="mailto:a@example.org"' in html
    assert "ftp://" not in html.split(">ftp<")[0].split("mailto")[1]


def test_attr_list_is_not_enabled():
    html = markdown.render('## Title {: onclick="alert(1)" }\n\nPara {: .x }')
    assert executable_parts(html) == []
    assert "{: .x }" in html and 'class="x"' not in html  # stays literal text


def test_code_block_contents_are_not_linkified():
    html = markdown.render("```\nhttps://example.org\n```")
    assert "<a " not in html


def test_plain_text_summary():
    assert markdown.to_plain_text("## Hi\n\n**bold** <b>x</b>", limit=100) == "Hi bold x"
    assert markdown.to_plain_text("word " * 50, limit=20).endswith("…")


def test_repeated_headings_get_numbered_ids_and_long_ones_stay_valid():
    html = markdown.render("## Plan\n\n## Plan\n\n## Plan_1\n\n## Plan\n\n## " + "word " * 40)
    ids = re.findall(r'<h2 id="([^"]+)"', html)
    assert ids[:4] == ["sec-plan", "sec-plan_1", "sec-plan_1_1", "sec-plan_2"]
    assert len(ids) == 5 and ids[4].startswith("sec-word-word")  # kept: under 80 characters


def test_footnote_markup_passes_the_allow_list():
    html = markdown.render("One[^a] two[^a] three[^b]\n\n[^a]: First.\n[^b]: Second.")
    assert '<sup id="fnref-1"><a class="footnote-ref" href="#fn-1"' in html
    assert 'id="fnref-1-1"' in html and '<li id="fn-2">' in html
    assert '<div class="footnote">' in html and 'href="#fnref-1-1"' in html


def test_abbreviations_skip_links_and_code():
    html = markdown.render("*[WCAG]: Guidelines\n\nWCAG, [WCAG](https://w3.org) and `WCAG`")
    assert html.count("<abbr") == 1


def test_raw_html_that_is_allowed_stays():
    html = markdown.render(
        "<details><summary>Hint</summary>\n\nPress <kbd>Tab</kbd>.\n\n</details>"
    )
    assert "<details><summary>Hint</summary>" in html and "<kbd>Tab</kbd>" in html


# -- the pathological corpus (the same one `make bench` times) ---------------------------------

ROOT = Path(__file__).resolve().parent.parent
CORPUS = corpus()


def test_corpus_entries_are_as_long_as_the_longest_field():
    assert MAX_LENGTH == LESSON_BODY_LIMIT
    assert {name: len(text) for name, text in CORPUS.items() if len(text) < 0.95 * MAX_LENGTH} == {}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_corpus_entry_is_refused_or_renders_clean(name):
    try:
        html = markdown.render(CORPUS[name])
    except markdown.MarkupTooDense:
        return  # the form shows TOO_DENSE beside the field; test_markdown_budget.py
    assert "<script" not in html.lower()
    assert executable_parts(html) == []


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_page_of_every_corpus_shape_is_accepted_and_clean(name):
    """The budget refuses thousands of a shape, never a sentence's worth: 500 characters of
    any of them render."""
    html = markdown.render(SHAPES[name](500))
    assert executable_parts(html) == []


DEMO_LESSONS = sorted((ROOT / "lessons" / "demo_content").glob("*.md"))


@pytest.mark.parametrize("path", DEMO_LESSONS, ids=lambda path: path.stem)
def test_a_real_lesson_as_long_as_the_form_allows_is_accepted(path):
    """Real lessons, repeated up to the lesson body's limit, are within the work budget."""
    text = path.read_text()
    long_lesson = (text + "\n\n") * (MAX_LENGTH // (len(text) + 2))
    assert len(long_lesson) > 0.9 * MAX_LENGTH
    assert "<h2" in markdown.render(long_lesson)


def test_the_budget_counts_markup_not_characters():
    """A run of brackets a tenth of the field's length is refused; plain text of the whole
    length, and the same run at a sentence's length, are not."""
    with pytest.raises(markdown.MarkupTooDense):
        markdown.render("[" * 3_000)
    with pytest.raises(markdown.MarkupTooDense):
        markdown.render("[x](" * 1_000)  # each try at a link address is priced, not only its
        # positions: it scans ahead up to 32 parentheses deep (positions alone allow 1,700)
    markdown.render("[" * 300)
    markdown.render("word " * (MAX_LENGTH // 5))


def test_stored_text_over_the_budget_is_shown_as_plain_paragraphs():
    """Text an older renderer accepted still shows, escaped, when it is over today's budget."""
    html = markdown.render_stored("A <script>x</script>" + "[" * 3_000 + "\n\nSecond")
    assert html.startswith("<p>A &lt;script&gt;x&lt;/script&gt;[[[")
    assert html.endswith("<p>Second</p>")


def test_tags_outside_the_allow_list_keep_their_text_but_script_and_style_go_whole():
    html = markdown.render(
        "<section><font>kept</font></section> <script>gone()</script><style>p{}</style>"
    )
    assert "kept" in html and "gone" not in html and "p{}" not in html
    assert "<section" not in html and "<font" not in html


MARKDOWN_ALPHABET = st.sampled_from(
    list("[]()!<>*_`#-|:^\\&;\"'= \n\tax1") + ["http://", "<a href=", "<script>", "javascript:"]
)


def _tags(html: str) -> set[str]:
    parser = _Elements()
    parser.feed(html)
    return {tag for tag, _attrs in parser.elements}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(MARKDOWN_ALPHABET, max_size=200).map("".join)))
def test_render_never_raises_and_keeps_to_the_allow_list(text):
    html = markdown.render(text)
    assert _tags(html) <= markdown.ALLOWED_TAGS
    assert executable_parts(html) == []
