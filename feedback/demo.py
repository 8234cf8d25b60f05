"""Demo practice for `seed-demo`: mentorships, answers, several rounds of feedback,
observations, ratings and self-assessments, spread over the past weeks."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from feedback import services
from feedback.models import Feedback
from feedback.rubrics import current_rubric
from lessons import practice
from lessons.models import Lesson, Submission
from portal.accounts import mentorships
from portal.accounts.models import Mentorship, User
from portal.accounts.services import find_by_email
from portal.clock import utcnow
from portal.conversations import services as conversations
from portal.extensions import db
from portal.topics import Topic

S = "@flipside.example"


def _person(name: str):
    return find_by_email(name + S)


def _lesson(title: str) -> Lesson:
    return db.session.scalar(select(Lesson).where(Lesson.title == title))


def _topic(slug: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def _ago(days: float):
    return utcnow() - timedelta(days=days)


def _backdate(obj, days: float, *fields: str) -> None:
    for name in fields or ("created_at",):
        setattr(obj, name, _ago(days))
    db.session.commit()


def _pair(mentor: str, mentee: str, topic: str, accept: bool = True, message: str = ""):
    m, e = _person(mentor), _person(mentee)
    ship = mentorships.request_mentorship(e, m, "mentee", [_topic(topic).id], message)
    if accept:
        mentorships.respond(ship, m, accept=True)
    _backdate(ship, 45)


def _feedback(levels, strengths, improvements, next_step, outcome=None):
    return levels, services.FeedbackData(
        strengths=strengths, improvements=improvements, next_step=next_step, outcome=outcome
    )


def _scored(data_pair, topic_id: int) -> services.FeedbackData:
    levels, data = data_pair
    rubric = current_rubric(topic_id)
    data.scores = {c.id: level for c, level in zip(rubric.criteria, levels, strict=True)}
    return data


def _work(mentee: str, mentor: str, title: str, task_no: int, rounds: list) -> None:
    """Answers to one task, each followed (or not) by the mentor's feedback; days go down."""
    lesson, student, reviewer = _lesson(title), _person(mentee), _person(mentor)
    task = lesson.tasks[task_no - 1]
    assignment = practice.start_lesson(student.id, lesson)
    _backdate(assignment, rounds[0][0] + 2)
    for days, answer, feedback in rounds:
        submission = practice.submit(task, student.id, practice.Answer(body=answer))
        attempt = submission.attempts[-1]
        _backdate(attempt, days)
        _backdate(submission, days, "updated_at")
        if feedback:
            given = services.give_feedback(reviewer, submission, _scored(feedback, lesson.topic_id))
            given.seen_at = _ago(days - 1.5) if days > 3 else None
            _backdate(given, days - 1)


def _observe(mentor: str, mentee: str, topic: str, days: float, feedback):
    topic_id = _topic(topic).id
    given = services.record_observation(
        _person(mentor), _person(mentee), topic_id, _scored(feedback, topic_id)
    )
    given.seen_at = _ago(days - 1)
    _backdate(given, days)
    return given


def _thank(feedback, days: float, commitment: str = "", done_days: float | None = None) -> None:
    """The mentee's "Thanks — I'll try this", `days` ago; the commitment kept `done_days` ago."""
    mentee = db.session.get(User, feedback.mentee_id)
    acknowledgement = services.acknowledge(mentee, feedback, commitment)
    if done_days is not None:
        services.mark_commitment(mentee, acknowledgement, True)
        _backdate(acknowledgement, done_days, "done_at")
    _backdate(acknowledgement, days)


def _self(person: str, topic: str, points: list[tuple[float, int, str]]) -> None:
    for days, confidence, note in points:
        entry = services.assess_self(_person(person).id, _topic(topic).id, confidence, note)
        _backdate(entry, days)


def seed_practice() -> None:
    """Create the demo practice once (skipped when the first demo mentorship exists)."""
    leo, margaret = _person("leo"), _person("margaret")
    already = db.session.scalar(
        select(Mentorship.id).where(
            Mentorship.mentor_id == leo.id, Mentorship.mentee_id == margaret.id
        )
    )
    if already:
        return
    _pair(
        "leo",
        "margaret",
        "accessibility",
        message="Our customer portal failed an audit. I want to understand why, first-hand.",
    )
    _pair(
        "aisha", "thomas", "social-media", message="I'd like to post about our finance team's wins."
    )
    _pair(
        "priya",
        "helen",
        "leadership",
        message="I want honest feedback on how I run our all-hands and 1:1s.",
    )
    _pair(
        "leo",
        "helen",
        "accessibility",
        accept=False,
        message="Could you show me how our developers test with screen readers?",
    )
    _margaret()
    _thomas()
    _helen()
    _sessions()
    _conversations()
    db.session.commit()


def _margaret() -> None:
    alt = "Alt text that helps: describing images for screen-reader users"
    _work(
        "margaret",
        "leo",
        alt,
        1,
        [
            (
                26,
                "I added alt text to all 14 images in the Q3 board deck. The chart says "
                '"image of a chart showing revenue".',
                _feedback(
                    (2, 2, 2, 1),
                    "You covered every image in the deck, including the logo slide.",
                    "The chart's alt text describes the picture, not its point; say what the numbers show.",
                    "Rewrite the chart's alt text as its conclusion in one sentence, and drop 'image of'.",
                    "revise",
                ),
            ),
            (
                21,
                'Chart alt text now reads: "Revenue grew 18 % in Q3, driven by the new '
                'service contracts." Logo marked decorative.',
                _feedback(
                    (3, 3, 3, 2),
                    "The chart now gives its conclusion in one clear sentence.",
                    "The photo of the team is still described as 'people in a meeting'.",
                    "Name who is in the team photo and what they are doing.",
                    "accept",
                ),
            ),
        ],
    )
    _work(
        "margaret",
        "leo",
        alt,
        2,
        [
            (
                14,
                "I listened to my deck with Narrator. The tables were read cell by cell with no "
                "headers; I had not expected how long that takes.",
                _feedback(
                    (3, 3, 3, 3),
                    "An honest, specific observation of what a screen-reader user hears.",
                    "Mention one change you will make because of what you heard.",
                    "Add header rows to the two tables in the deck and listen again.",
                    "accept",
                ),
            ),
        ],
    )
    docs = "Accessible documents in fifteen minutes: headings, links and contrast"
    _work(
        "margaret",
        "leo",
        docs,
        1,
        [
            (
                7,
                "The checker found 9 issues; I fixed the headings.",
                _feedback(
                    (3, 2, 3, 3),
                    "Converting the bold lines to real headings fixes the biggest problem.",
                    "Three links still say 'here', and the grey footnote text fails contrast.",
                    "Fix the three links and darken the footnote text, then run the checker again.",
                    "revise",
                ),
            ),
            (
                2,
                "Fixed the three links (they now name the policy, the form and the report) and "
                "changed the footnote colour. The checker shows no errors.",
                None,
            ),
        ],
    )
    _self(
        "margaret",
        "accessibility",
        [
            (34, 1, "Never thought about it."),
            (20, 2, "Alt text makes sense now."),
            (6, 3, "I check my own decks before sending."),
        ],
    )
    meeting = _observe(
        "leo",
        "margaret",
        "accessibility",
        12,
        _feedback(
            (2, 3, 2, 2),
            "In the board meeting you asked the presenter to describe the chart aloud, and "
            "two directors said afterwards that it helped them too.",
            "The board pack went out as a scanned PDF, so a screen reader reads none of it.",
            "Export the next board pack from the original file and run the checker on it.",
        ),
    )
    _thank(
        meeting, 11, "I will run the accessibility checker on every board pack before it goes out."
    )
    _observe(
        "leo",
        "margaret",
        "accessibility",
        3,
        _feedback(
            (3, 3, 3, 2),
            "Your team-update email used real headings, and the links named where they lead.",
            "The photo of the new office had no alt text, so screen-reader users heard only "
            "the file name.",
            "Add one sentence of alt text to the office photo and resend the update's web link.",
        ),
    )
    lesson = _lesson(alt)
    services.rate_lesson(
        _person("margaret").id,
        lesson,
        5,
        4,
        "The screen-reader exercise changed how I build slides.",
    )


def _thomas() -> None:
    post = "Write a LinkedIn post people actually read"
    _work(
        "thomas",
        "aisha",
        post,
        1,
        [
            (
                18,
                "I'm thrilled to announce that the finance team closed the year on time.",
                _feedback(
                    (2, 1, 2, 2),
                    "You picked a real achievement that matters to the company.",
                    "It opens like an announcement; nobody is in the story and it ends without a question.",
                    "Rewrite it around one person's moment on closing day, and end with a question.",
                    "revise",
                ),
            ),
            (
                12,
                "Closing day, 6 pm: Jana found the missing 40 cents that had held up the accounts "
                "for two days. We closed on time for the first time in five years. What does your "
                "team's closing day look like?",
                _feedback(
                    (3, 3, 3, 2),
                    "A real moment, a person, a number — and a question that invites replies.",
                    "Ask Jana before tagging her, and put the link to the report in the first comment.",
                    "Publish it on Tuesday morning and note the numbers after 48 hours.",
                    "accept",
                ),
            ),
        ],
    )
    _work(
        "thomas",
        "aisha",
        post,
        2,
        [
            (
                3,
                "Posted on Tuesday: 3,400 impressions, 112 reactions, 19 comments. Next time I'd "
                "add a photo of the team (with permission).",
                None,
            ),
        ],
    )
    _self("thomas", "social-media", [(20, 1, ""), (5, 2, "Less scary than I thought.")])
    services.rate_lesson(_person("thomas").id, _lesson(post), 4, 5, "")


def _helen() -> None:
    first = _observe(
        "priya",
        "helen",
        "leadership",
        40,
        _feedback(
            (2, 2, 1, 2),
            "You opened the all-hands with the customer story, which everyone remembered.",
            "You answered every question yourself; the team leads never spoke, and the promotion "
            "criteria you described were vague.",
            "In the next all-hands, hand two questions to team leads before answering.",
        ),
    )
    _thank(first, 39, "I will hand two questions to team leads at each all-hands.", done_days=25)
    _work(
        "helen",
        "priya",
        "Asking your team for feedback — and hearing it",
        1,
        [
            (
                25,
                "I asked Sam and Ravi what I do that makes it harder to speak up. Ravi said I "
                "finish people's sentences. I thanked him and asked for an example.",
                _feedback(
                    (3, 3, 2, 3),
                    "You asked a specific question and reacted with thanks, not a defence.",
                    "You have not yet said what you will change, or when you will check back.",
                    "Tell Ravi one change you will try and ask him in two weeks.",
                    "accept",
                ),
            ),
        ],
    )
    reviews = _observe(
        "priya",
        "helen",
        "leadership",
        20,
        _feedback(
            (2, 3, 2, 3),
            "You let Ravi finish twice in the planning meeting and asked a follow-up.",
            "The quarterly reviews still lean on impressions rather than examples.",
            "Bring two specific examples per person to the next review round.",
        ),
    )
    _thank(reviews, 19, "I will bring two written examples per person to each quarterly review.")
    _observe(
        "priya",
        "helen",
        "leadership",
        4,
        _feedback(
            (3, 3, 3, 3),
            "Team leads answered half of the all-hands questions; people noticed.",
            "Share what changed because of the feedback, so the team sees it mattered.",
            "Close the loop at Monday's stand-up: name one change and thank the people who asked.",
        ),
    )
    _self("helen", "leadership", [(42, 2, ""), (21, 3, ""), (3, 3, "Listening more.")])
    services.rate_lesson(
        _person("helen").id,
        _lesson("Asking your team for feedback — and hearing it"),
        5,
        5,
        "Practical; I used the three steps the same day.",
    )


def _talk(kind: str, subject_id: int, messages: list[tuple[float, str, str]]) -> None:
    for days, who, text in messages:
        comment = conversations.post(_person(who), kind, subject_id, text)
        _backdate(comment, days)


def _conversations() -> None:
    """Margaret asks about the "revise" on her documents answer; Helen replies to Priya's
    latest observation."""
    docs = _lesson("Accessible documents in fifteen minutes: headings, links and contrast")
    margaret = _person("margaret")
    answer = db.session.scalar(
        select(Submission).where(
            Submission.task_id == docs.tasks[0].id, Submission.mentee_id == margaret.id
        )
    )
    _talk(
        "submission",
        answer.id,
        [
            (
                5.5,
                "margaret",
                "Which footnote text do you mean: the small print on every page, or only the "
                "sources under the chart?",
            ),
            (
                5.2,
                "leo",
                "The small print on every page. Light grey on white is hard to read for many "
                "people; the checker asks for a contrast of **4.5 : 1**, and #767676 is the "
                "lightest grey that passes.",
            ),
            (2.1, "margaret", "Thanks, changed it to #595959 and sent it again."),
        ],
    )
    latest = db.session.scalar(
        select(Feedback)
        .where(Feedback.mentee_id == _person("helen").id, Feedback.submission_id.is_(None))
        .order_by(Feedback.created_at.desc())
    )
    _talk(
        "observation",
        latest.id,
        [
            (
                3.5,
                "helen",
                "Good point about closing the loop. Would you mention the feedback by name "
                "or keep it general at the stand-up?",
            ),
            (
                3.2,
                "priya",
                "By name if they agree — ask Ravi first. People speak up more once they see "
                "it was heard.",
            ),
        ],
    )


def _session(
    title: str, lesson: str, days_ahead: float, place: str, capacity: int, invite: list[str]
):
    from lessons.sessions import services as sessions

    when = (utcnow() + timedelta(days=max(days_ahead, 1))).replace(
        minute=0, second=0, microsecond=0
    )
    data = sessions.SessionData(
        title=title,
        starts_at=when,
        duration_minutes=60,
        place=place,
        capacity=capacity,
        lesson_id=_lesson(lesson).id,
    )
    return sessions.create_session(_person("leo").id, data, [_person(n).id for n in invite])


def _sessions() -> None:
    """A past session with attendance, notes, group feedback and ratings; an upcoming one."""
    from lessons.sessions import services as sessions

    past = _session(
        "Accessible documents — web team",
        "Accessible documents in fifteen minutes: headings, links and contrast",
        1,
        "Room 4.12 and Teams",
        6,
        ["margaret", "thomas", "helen"],
    )
    for name in ("margaret", "thomas", "helen"):
        sessions.respond(past, _person(name).id, accept=True)
    past.starts_at = (utcnow() - timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    _backdate(past, 16)
    sessions.record_attendance(past, {_person("margaret").id, _person("thomas").id})
    sessions.save_notes(
        past,
        "## What we covered\n\n- Real headings (Heading 1, Heading 2)\n"
        "- Link text that names the destination\n- Contrast of at least 4.5 : 1\n\n"
        "Slides: [Accessible documents checklist](https://www.w3.org/WAI/tips/writing/)",
    )
    services.give_group_feedback(
        _person("leo"),
        past,
        "Everyone found at least three problems in their own documents within ten minutes.",
        "Link text: most of us still wrote 'click here' under time pressure. Practise it this week.",
    )
    services.rate_session(
        _person("margaret").id, past, 5, 4, "Seeing my own document fail was the lesson."
    )
    services.rate_session(_person("thomas").id, past, 4, 4, "")
    upcoming = _session(
        "Alt text clinic — operations",
        "Alt text that helps: describing images for screen-reader users",
        5,
        "https://meet.example.org/alt-text",
        4,
        ["helen", "thomas", "margaret"],
    )
    sessions.respond(upcoming, _person("helen").id, accept=True)
    sessions.respond(upcoming, _person("margaret").id, accept=False)
