"""The feedback coach (feedback/coach.py): pure functions, checked over a labelled corpus."""

from __future__ import annotations

import pytest

from feedback.coach import FIELDS, Hint, check, coach
from tests.coach_corpus import CORPUS, IDS, REPORT, score

MINIMUM = 0.8


def test_the_corpus_is_big_and_covers_every_hint():
    assert len(CORPUS) >= 60
    assert len({c.name for c in CORPUS}) == len(CORPUS)
    for hint_id in IDS:
        assert sum(hint_id in c.hints for c in CORPUS) >= 4, hint_id
    assert sum(not c.hints for c in CORPUS) >= 20  # good feedback, tricky ones included
    assert all(c.hints <= set(IDS) for c in CORPUS)


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(c, id=c.name, marks=pytest.mark.xfail(reason=c.known_miss, strict=True))
        if c.known_miss
        else pytest.param(c, id=c.name)
        for c in CORPUS
    ],
)
def test_each_labelled_text_gets_exactly_its_hints(item):
    got = {hint.id for hint in coach(**item.fields)}
    assert got == item.hints


def test_precision_and_recall_over_the_corpus(request, record_property):
    precision, recall, tp, fp, fn = score()
    line = (
        f"feedback coach over {len(CORPUS)} labelled texts: precision {precision:.2f}, "
        f"recall {recall:.2f} ({tp} hints right, {fp} wrong, {fn} missed; "
        f"{sum(bool(c.known_miss) for c in CORPUS)} known misses kept in)"
    )
    request.config.stash[REPORT] = line
    record_property("coach_precision", f"{precision:.3f}")
    record_property("coach_recall", f"{recall:.3f}")
    assert precision >= MINIMUM, line
    assert recall >= MINIMUM, line


def test_a_hint_names_its_field_words_reason_and_a_better_shape():
    hints = coach(
        strengths="Great job!",
        improvements="You are arrogant in the comments on your posts.",
        next_step="Be more humble.",
    )
    by_id = {h.id: h for h in hints}
    assert set(by_id) == {"vague", "person", "no_action"}
    person = by_id["person"]
    assert isinstance(person, Hint)
    assert person.field == "improvements" and person.field_label == "Improvements"
    assert person.words == ("You are arrogant",)
    assert "behaviour" in person.why.lower()
    assert "(situation)" in person.better and "(behaviour)" in person.better
    assert "(impact)" in person.better
    assert by_id["vague"].field == "strengths" and by_id["vague"].words == ("Great job",)
    assert by_id["no_action"].field == "next_step"
    assert by_id["no_action"].words == ("Be more humble",)
    # in the form's order: strengths, improvements, next step
    assert [h.field for h in hints] == ["strengths", "improvements", "next_step"]


def test_vague_criticism_and_praise_get_their_own_example():
    praise = check("strengths", "Great job!")[0]
    criticism = check("improvements", "The post was not good.")[0]
    assert praise.better != criticism.better
    assert "chart" in criticism.better


def test_quoted_words_are_someone_elses_and_never_matched():
    said = "you are arrogant and you never listen"
    unquoted = {h.id for h in coach(improvements=f"Honestly, {said}.")}
    assert unquoted == {"person"}
    for quoted in (f"“{said}”", f'"{said}"', f"‘{said}’", f"'{said}'"):
        text = f"Under your post he wrote {quoted}, and you asked him which meeting he meant."
        assert coach(strengths=text) == [], quoted


def test_the_words_matched_are_listed_once_each():
    [hint] = check("improvements", "Sorry, sorry, maybe just maybe it was a bit long?")
    assert hint.id == "softening"
    assert [w.lower() for w in hint.words].count("sorry") == 1


def test_no_action_is_only_about_the_next_step():
    assert not check("improvements", "Be more inclusive in meetings.")
    assert [h.id for h in check("next_step", "Be more inclusive in meetings.")] == ["no_action"]


def test_empty_text_gets_no_hints_and_an_unknown_field_is_a_mistake():
    assert coach() == []
    assert check("next_step", "   ") == []
    with pytest.raises(ValueError):
        check("summary", "Great job")
    assert set(FIELDS) == {"strengths", "improvements", "next_step"}


def test_the_worst_input_the_form_allows_stays_fast():
    import time

    worst = ("you are so sorry maybe just “quoted ” 'a' " * 400)[:5000]
    started = time.perf_counter()
    for _ in range(3):
        coach(worst, worst, worst)
    assert time.perf_counter() - started < 1.0
