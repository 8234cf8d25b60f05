"""The people file reader without Flask: a corpus of bad files, each with its clear message."""

import pytest

from portal.accounts import people_import as parser

TOPICS = parser.topic_lookup(
    [
        (1, "social-media", "Social media"),
        (2, "accessibility", "Accessibility"),
        (3, "leadership", "Leadership"),
    ]
)
HEADER = "name,email,job title,seniority,topics they teach,topics they learn\n"
GOOD = (
    HEADER
    + "Priya Raman,Priya@Example.org,Graduate analyst,2,social-media;accessibility,Leadership\n"
)


def read(text: str | bytes):
    return parser.read(text if isinstance(text, bytes) else text.encode(), TOPICS)


def errors(text: str) -> list[str]:
    return [e for row in read(text) for e in row.errors]


def test_a_good_row_is_read_with_its_topics_by_slug_or_name():
    (row,) = read(GOOD)
    assert (row.email, row.name, row.job_title, row.seniority) == (
        "priya@example.org",
        "Priya Raman",
        "Graduate analyst",
        2,
    )
    assert row.teaches == {1, 2} and row.learns == {3} and row.errors == ()


def test_a_byte_order_mark_and_any_header_order_and_case_are_fine():
    (row,) = read(b"\xef\xbb\xbf" + b"EMAIL;Full name;Level\nhelen@example.org;Helen Zhou;9\n")
    assert (row.email, row.name, row.seniority, row.job_title) == (
        "helen@example.org",
        "Helen Zhou",
        9,
        None,
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ("Helen Zhou,caf\xe9\n".encode("cp1252"), "not UTF-8"),
        ((HEADER + "Zo\xeb,zoe@example.org\n").encode("cp1252"), "line 2"),
        (GOOD.encode("utf-16"), "UTF-16"),
        (b"", "empty"),
        (b"name,job title\nPriya,analyst\n", "no email column"),
        (b"email\npriya@example.org\n", "no name column"),
        (b"name,email,favourite colour\nA,a@example.org,blue\n", "Unknown column"),
        (b"name,email,name\nA,a@example.org,B\n", "twice"),
        (HEADER.encode(), "nobody in it"),
        (b"x" * (parser.MAX_BYTES + 1), "the limit is 2 MB"),
        (
            (
                HEADER
                + "A,a@example.org\n" * 0
                + "".join(f"P{i},p{i}@example.org\n" for i in range(parser.MAX_ROWS + 1))
            ).encode(),
            "more than 5,000",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole_with_a_message(data, message):
    with pytest.raises(parser.FileRefused) as refused:
        parser.read(data, TOPICS)
    assert message in refused.value.message


def test_ten_megabytes_are_refused_before_any_parsing(monkeypatch):
    monkeypatch.setattr(parser.csv, "reader", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(parser.FileRefused, match="10.0 MB"):
        parser.read(b"a" * 10 * 1024 * 1024, TOPICS)


@pytest.mark.parametrize(
    "line, message",
    [
        ("Priya,not-an-email", "is not an email address"),
        ("Priya,", "email is missing"),
        (",priya@example.org", "name is missing"),
        ("Priya,priya@example.org,,senior", "“senior” is not a whole number"),
        ("Priya,priya@example.org,,11", "not a level from 1 to 10"),
        ("Priya,priya@example.org,,0", "not a level from 1 to 10"),
        ("Priya,priya@example.org,,,knitting;accessibility", "Unknown topic: “knitting”"),
        (
            '"=HYPERLINK(""http://evil"",""x"")",priya@example.org',
            "starts with “=”, like a formula",
        ),
        ("Priya,priya@example.org,+cmd", "job title starts with “+”"),
        ("Priya,priya@example.org,-2+3", "starts with “-”"),
        ("Priya,priya@example.org,@SUM(A1)", "starts with “@”"),
        ("Priya,priya@example.org,,,,,extra", "7 cells; the header has 6"),
        ('"Pri\nya",priya@example.org', "line break"),
        ("P" * 121 + ",priya@example.org", "at most 120"),
    ],
)
def test_a_bad_row_gets_its_reason(line, message):
    assert any(message in e for e in errors(HEADER + line + "\n")), errors(HEADER + line + "\n")


def test_a_duplicate_email_in_the_file_is_an_error_on_the_second_line():
    rows = read(HEADER + "A,a@example.org\nB,A@EXAMPLE.ORG\n")
    assert rows[0].errors == ()
    assert rows[1].errors == ("The email a@example.org is already on line 2.",)


def test_blank_lines_are_skipped_and_lines_keep_their_numbers():
    rows = read(HEADER + "\nA,a@example.org\n,,,\nB,b@example.org\n")
    assert [r.line for r in rows] == [3, 5]


def _person(**kw):
    base = dict(
        name="Priya Raman",
        job_title="Graduate analyst",
        seniority=2,
        teaches=frozenset({1, 2}),
        learns=frozenset({3}),
    )
    return parser.Person(**{**base, **kw})


def test_the_plan_says_new_updated_unchanged_or_error():
    rows = read(GOOD + "New Person,new@example.org\nBad,bad\n")
    plan = parser.plan(rows, {"priya@example.org": _person(job_title="Intern")})
    assert [(o.kind, o.changes) for o in plan.outcomes] == [
        ("updated", ("job_title",)),
        ("new", ()),
        ("error", ()),
    ]
    assert plan.blocked
    same = parser.plan(read(GOOD), {"priya@example.org": _person()})
    assert [o.kind for o in same.outcomes] == ["unchanged"] and not same.changes_anything


def test_empty_cells_leave_fields_as_they_are():
    rows = read(HEADER + "Priya Raman,priya@example.org,,,,\n")
    assert parser.plan(rows, {"priya@example.org": _person()}).outcomes[0].kind == "unchanged"


def test_the_digest_names_the_plan():
    existing = {"priya@example.org": _person()}
    one, two = parser.plan(read(GOOD), existing), parser.plan(read(GOOD), existing)
    assert parser.digest(one) == parser.digest(two)
    assert parser.digest(one) != parser.digest(parser.plan(read(GOOD), {}))
