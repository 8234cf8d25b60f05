"""Accessibility warnings shown to lesson authors."""

from lessons.authoring import lint
from lessons.markdown import render


def codes(source: str) -> list[str]:
    return [w.code for w in lint(render(source))]


def test_clean_lesson_has_no_warnings():
    source = (
        "## Intro\n\n### Detail\n\n![A bar chart of sign-ups](c.png)\n\n"
        "Read [the WCAG quick reference](https://www.w3.org/WAI/WCAG21/quickref/).\n\n"
        "| Name | Value |\n|---|---|\n| a | 1 |\n"
    )
    assert codes(source) == []


def test_image_without_alt_text():
    warnings = lint(render("![](chart.png)"))
    assert [w.code for w in warnings] == ["img-alt"]
    assert "chart.png" in warnings[0].message


def test_whitespace_alt_counts_as_missing():
    assert codes('<img src="a.png" alt="  ">') == ["img-alt"]


def test_skipped_heading_level():
    assert codes("## A\n\n#### B") == ["heading-skip"]
    assert codes("### Starts too deep") == ["heading-skip"]


def test_body_h1_is_flagged():
    assert codes("# Second title") == ["heading-h1"]


def test_vague_link_texts():
    for text in ("click here", "Here", "read more", "More…"):
        assert codes(f"[{text}](https://example.org)") == ["link-text"], text


def test_bare_url_link():
    assert codes("Go to https://example.org/page") == ["link-url"]
    assert codes("[www.example.org](https://www.example.org)") == ["link-url"]


def test_table_without_header_row():
    assert codes("<table><tr><td>1</td></tr></table>") == ["table-header"]
    assert codes("<table><tr><th>A</th></tr><tr><td>1</td></tr></table>") == []


def test_warnings_name_the_fix():
    (warning,) = lint(render("## A\n\n#### B"))
    assert "level-3" in warning.message
