"""Program services: SMART goal, invitations, ranked preferences, matching drafts, confirming.
No Flask request in here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.mentorships import open_between
from portal.accounts.models import Mentorship, MentorshipStatus, User
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotAllowed, NotFound
from portal.extensions import db
from portal.notifications.services import notify
from portal.programs import access, matching, surveys
from portal.programs.models import (
    Match,
    Member,
    MemberStatus,
    Preference,
    Program,
    ProgramStatus,
    program_lessons,
)
from portal.topics import all_topics

ROLES = ("mentor", "mentee")
NEXT_STATUS = {
    ProgramStatus.PLANNING: ProgramStatus.ACTIVE,
    ProgramStatus.ACTIVE: ProgramStatus.CLOSED,
}


@dataclass
class ProgramData:
    name: str
    focus: str
    goal_statement: str
    goal_metric: str
    goal_baseline: float | None
    goal_target: float | None
    target_kind: str
    goal_achievable: str
    goal_relevant: str
    starts_on: date
    ends_on: date
    checkin_weeks: int = 4
    weekly_hours_limit: float = 2.0
    evaluation_coverage: int = 50  # % of matched mentees with paired surveys


def check_goal(data: ProgramData) -> None:
    """Refuse a goal that is not SMART enough to evaluate later."""
    if data.ends_on < data.starts_on:
        raise DomainError("The end date must be on or after the start date.", field="ends_on")
    if data.goal_target is not None and not data.goal_metric.strip():
        raise DomainError(
            "A target needs a metric: say what you will measure.", field="goal_metric"
        )
    if (
        data.target_kind == "relative"
        and data.goal_target is not None
        and data.goal_baseline is None
    ):
        raise DomainError(
            "A relative target (+20 %) needs a baseline to apply to.", field="goal_baseline"
        )
    if not 1 <= data.evaluation_coverage <= 100:
        raise DomainError("Enter 1 to 100 %.", field="evaluation_coverage")


def save_program(program: Program | None, data: ProgramData, coordinator_id: int) -> Program:
    check_goal(data)
    program = program or Program(created_by_id=coordinator_id)
    for name, value in vars(data).items():
        setattr(program, name, value.strip() if isinstance(value, str) else value)
    db.session.add(program)
    db.session.commit()
    return program


def advance(program: Program) -> Program:
    """planning → active → closed, one step at a time."""
    new = NEXT_STATUS.get(program.status)
    if new is None:
        raise Conflict("This program is closed.")
    done = db.session.execute(
        update(Program)
        .where(Program.id == program.id, Program.status == program.status)
        .values(status=new)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not done:
        raise Conflict("The program's status was just changed by someone else.")
    db.session.refresh(program)
    return program


def program_page(program_id: int) -> Program:
    program = db.session.scalar(
        select(Program)
        .where(Program.id == program_id)
        .options(
            selectinload(Program.members).joinedload(Member.user),
            selectinload(Program.members).selectinload(Member.topics),
        )
    )
    if program is None:
        raise NotFound("No such program.")
    return program


def program_or_404(program_id: int) -> Program:
    """The program alone, for pages that show figures rather than its people."""
    program = db.session.get(Program, program_id)
    if program is None:
        raise NotFound("No such program.")
    return program


def member_of(program: Program, user_id: int) -> Member | None:
    return access.member(program, user_id)


def accepted_mentors(program: Program) -> list[Member]:
    """The program's mentors who accepted their invitation."""
    return [m for m in program.members if access.is_accepted_mentor(m)]


# Invitations --------------------------------------------------------------------------------


def invite(program: Program, user_ids: list[int], role: str) -> list[Member]:
    """Invite people as mentors or mentees; anyone already invited is refused by name."""
    if program.status == ProgramStatus.CLOSED:
        raise Conflict("This program is closed.")
    if role not in ROLES:
        raise DomainError("Choose mentor or mentee.", field="role")
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        raise DomainError("Choose at least one person.", field="people")
    already = [m.user.name for m in program.members if m.user_id in ids]
    if already:
        raise DomainError(f"Already invited: {', '.join(already)}.", field="people")
    found = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    if len(found) != len(ids):
        raise DomainError("Choose people from the list.", field="people")
    new = [Member(user_id=i, role=role, capacity=1 if role == "mentor" else 0) for i in ids]
    program.members.extend(new)
    for user_id in ids:
        notify(
            found[user_id],
            "program_invitation",
            f"You are invited to take part in “{program.name}” ({program.focus_label}) as a "
            f"{role}. Say whether you will take part.",
            f"/programs/{program.id}#answer-h",
            subject=f"Invitation: {program.name}",
        )
    db.session.commit()
    return new


def respond(
    program: Program,
    user: User,
    accept: bool,
    note: str = "",
    capacity: int = 1,
    topic_ids: list[int] | None = None,
) -> Member:
    """The invitee accepts (with capacity and topics) or declines, once."""
    member = member_of(program, user.id)
    if member is None:
        raise NotAllowed("You are not invited to this program.")
    if member.role == "mentor" and accept and not 1 <= capacity <= 20:
        raise DomainError("Take between 1 and 20 mentees.", field="capacity")
    changed = db.session.execute(
        update(Member)
        .where(Member.id == member.id, Member.status == MemberStatus.INVITED)
        .values(
            status=MemberStatus.ACCEPTED if accept else MemberStatus.DECLINED,
            note=note.strip(),
            responded_at=utcnow(),
            capacity=capacity if member.role == "mentor" and accept else member.capacity,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise Conflict("You have already answered this invitation.")
    db.session.refresh(member)
    if accept:
        wanted = set(topic_ids or [])
        member.topics = [t for t in all_topics() if t.id in wanted]
    db.session.commit()
    return member


# Preferences --------------------------------------------------------------------------------


def candidates(program: Program, member: Member) -> list[Member]:
    """The accepted people on the other side, by name."""
    other = "mentee" if member.role == "mentor" else "mentor"
    people = [m for m in program.members if m.role == other and m.status == MemberStatus.ACCEPTED]
    return sorted(people, key=lambda m: m.user.name)


def preferences_of(program_id: int, user_id: int) -> list[Preference]:
    return list(
        db.session.scalars(
            select(Preference)
            .where(Preference.program_id == program_id, Preference.chooser_id == user_id)
            .options(joinedload(Preference.chosen))
            .order_by(Preference.rank)
        )
    )


def set_preferences(program: Program, user: User, chosen: list[int | None]) -> list[Preference]:
    """Replace a participant's ranked choices (first choice first; empty places allowed)."""
    member = member_of(program, user.id)
    if member is None or member.status != MemberStatus.ACCEPTED:
        raise NotAllowed("Only participants who accepted can rank.")
    if is_matched(program.id, user.id):
        raise Conflict("Your pair is confirmed, so ranking is closed.", field="rank_1")
    if len(chosen) > 3:
        raise DomainError("Rank at most three people.", field="rank_1")
    picks = [c for c in chosen if c]
    if user.id in picks:
        raise DomainError("You cannot rank yourself.", field="rank_1")
    if len(set(picks)) != len(picks):
        raise DomainError("Rank each person once.", field="rank_1")
    allowed = {m.user_id for m in candidates(program, member)}
    if not set(picks) <= allowed:
        raise DomainError("Rank people from the other side of this program.", field="rank_1")
    db.session.execute(
        delete(Preference).where(
            Preference.program_id == program.id, Preference.chooser_id == user.id
        )
    )
    for rank, chosen_id in enumerate(picks, start=1):
        db.session.add(
            Preference(program_id=program.id, chooser_id=user.id, chosen_id=chosen_id, rank=rank)
        )
    db.session.commit()
    return preferences_of(program.id, user.id)


# Matching -----------------------------------------------------------------------------------


def is_matched(program_id: int, user_id: int) -> bool:
    """Whether this person is in a confirmed pair of the program (mentor or mentee)."""
    return (
        db.session.scalar(
            select(Match.id)
            .where(
                Match.program_id == program_id,
                Match.status == "confirmed",
                (Match.mentor_id == user_id) | (Match.mentee_id == user_id),
            )
            .limit(1)
        )
        is not None
    )


def _inputs(program: Program) -> tuple[list[matching.Mentee], list[matching.Mentor]]:
    prefs: dict[int, list[int]] = {}
    for p in db.session.scalars(
        select(Preference).where(Preference.program_id == program.id).order_by(Preference.rank)
    ):
        prefs.setdefault(p.chooser_id, []).append(p.chosen_id)
    accepted = [m for m in program.members if m.status == MemberStatus.ACCEPTED]
    mentors = [
        matching.Mentor(
            m.user_id,
            m.capacity,
            m.user.seniority,
            frozenset(t.id for t in m.topics),
            tuple(prefs.get(m.user_id, ())),
        )
        for m in accepted
        if m.role == "mentor"
    ]
    mentees = [
        matching.Mentee(
            m.user_id,
            m.user.seniority,
            frozenset(t.id for t in m.topics),
            tuple(prefs.get(m.user_id, ())),
        )
        for m in accepted
        if m.role == "mentee"
    ]
    return mentees, mentors


def run_matching(program: Program) -> matching.Result:
    """Replace the draft with a fresh run of the matcher (confirmed pairs stay)."""
    mentees, mentors = _inputs(program)
    confirmed = {m.mentee_id: m for m in matches_of(program.id) if m.status == "confirmed"}
    for mentor in mentors:  # confirmed pairs use up capacity
        used = sum(1 for m in confirmed.values() if m.mentor_id == mentor.id)
        mentors[mentors.index(mentor)] = matching.Mentor(
            mentor.id, max(mentor.capacity - used, 0), mentor.seniority, mentor.topics, mentor.ranks
        )
    result = matching.match([e for e in mentees if e.id not in confirmed], mentors)
    db.session.execute(
        delete(Match).where(Match.program_id == program.id, Match.status.in_(DRAFT_STATUSES))
    )
    for pair in result.pairs:
        db.session.add(
            Match(
                program_id=program.id,
                mentor_id=pair.mentor_id,
                mentee_id=pair.mentee_id,
                mentee_rank=pair.mentee_rank,
                mentor_rank=pair.mentor_rank,
            )
        )
    db.session.commit()
    return result


# A pair removed by hand stays in the draft as "removed" (until the next run), so the page
# can tell someone taken out of the draft from someone who was never in one.
REMOVED = "removed"
DRAFT_STATUSES = ("draft", REMOVED)


def matches_of(program_id: int) -> list[Match]:
    """The program's draft and confirmed pairs (not those removed from the draft)."""
    return list(
        db.session.scalars(
            select(Match)
            .where(Match.program_id == program_id, Match.status != REMOVED)
            .options(joinedload(Match.mentor), joinedload(Match.mentee))
            .order_by(Match.status, Match.id)
        )
    )


def has_draft(program_id: int) -> bool:
    """Whether a run of the matcher left draft pairs (removed ones included) to replace."""
    return (
        db.session.scalar(
            select(Match.id)
            .where(Match.program_id == program_id, Match.status.in_(DRAFT_STATUSES))
            .limit(1)
        )
        is not None
    )


def removed_count(program_id: int) -> int:
    """How many pairs the coordinator took out of the current draft."""
    return db.session.scalar(
        select(func.count())
        .select_from(Match)
        .where(Match.program_id == program_id, Match.status == REMOVED)
    )


def unmatched_reasons(program: Program, matches: list[Match]) -> dict[int, str]:
    """Why each accepted mentee without a pair has none (re-derived from the matcher)."""
    mentees, mentors = _inputs(program)
    paired = {m.mentee_id for m in matches}
    removed = set(
        db.session.scalars(
            select(Match.mentee_id).where(Match.program_id == program.id, Match.status == REMOVED)
        )
    )
    if not matches and not removed:
        return {}  # the matcher has not run: there is no draft to be missing from
    fresh = matching.match(mentees, mentors)
    reasons = {}
    for mentee in mentees:
        if mentee.id in removed:
            reasons[mentee.id] = "Removed from the draft."
        elif mentee.id not in paired:
            reasons[mentee.id] = fresh.unmatched.get(
                mentee.id, "Not in this draft — run the matcher again to place them."
            )
    return reasons


def draft_pair(program: Program, match_id: int) -> Match:
    """A pair of this program's draft (NotFound, or Conflict once confirmed)."""
    return _draft(program, match_id)


def _draft(program: Program, match_id: int) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or match.program_id != program.id:
        raise NotFound("No such pair.")
    if match.status == REMOVED:
        raise Conflict("This pair was already removed from the draft.")
    if match.status != "draft":
        raise Conflict("This pair is confirmed already.")
    return match


def swap(program: Program, match_id: int, mentor_id: int) -> Match:
    """Give a drafted mentee another mentor who still has room."""
    match = _draft(program, match_id)
    mentor = member_of(program, mentor_id)
    if mentor is None or mentor.role != "mentor" or mentor.status != MemberStatus.ACCEPTED:
        raise DomainError("Choose a mentor of this program.", field="mentor")
    load = sum(1 for m in matches_of(program.id) if m.mentor_id == mentor_id and m.id != match.id)
    if load >= mentor.capacity:
        raise DomainError(f"{mentor.user.name} has no room left.", field="mentor")
    ranks = {p.chosen_id: p.rank for p in preferences_of(program.id, match.mentee_id)}
    mentor_ranks = {p.chosen_id: p.rank for p in preferences_of(program.id, mentor_id)}
    match.mentor_id, match.mentee_rank = mentor_id, ranks.get(mentor_id)
    match.mentor_rank = mentor_ranks.get(match.mentee_id)
    db.session.commit()
    return match


def remove_pair(program: Program, match_id: int) -> None:
    """Take a pair out of the draft; it is kept as removed until the matcher runs again."""
    _draft(program, match_id).status = REMOVED
    db.session.commit()


def confirm(program: Program, coordinator: User) -> int:
    """Turn every draft pair into an active mentorship; returns how many."""
    by_user = {m.user_id: m for m in program.members}
    count = 0
    for match in [m for m in matches_of(program.id) if m.status == "draft"]:
        mentorship = open_between(match.mentor_id, match.mentee_id)
        if mentorship is None or mentorship.mentor_id != match.mentor_id:
            shared = {t.id for t in by_user[match.mentor_id].topics} & {
                t.id for t in by_user[match.mentee_id].topics
            }
            topics = [t for t in all_topics() if t.id in shared] or list(
                by_user[match.mentee_id].topics
            )
            mentorship = Mentorship(
                mentor_id=match.mentor_id,
                mentee_id=match.mentee_id,
                requested_by_id=coordinator.id,
                status=MentorshipStatus.ACTIVE,
                message=f"Matched in {program.name}.",
                topics=topics,
                responded_at=utcnow(),
            )
            db.session.add(mentorship)
            db.session.flush()
        elif mentorship.status == MentorshipStatus.PENDING:
            mentorship.status, mentorship.responded_at = MentorshipStatus.ACTIVE, utcnow()
        match.status, match.mentorship_id = "confirmed", mentorship.id
        _tell_matched(program, mentorship)
        count += 1
    db.session.commit()
    return count


def _tell_matched(program: Program, mentorship: Mentorship) -> None:
    """Both people of a confirmed pair: who the other is, and the topics they share."""
    topics = ", ".join(t.name for t in mentorship.topics)
    mentor, mentee = (db.session.get(User, i) for i in (mentorship.mentor_id, mentorship.mentee_id))
    for person, text in (
        (mentor, f"In “{program.name}” you mentor {mentee.name}, in {topics}."),
        (mentee, f"In “{program.name}” {mentor.name} mentors you, in {topics}."),
    ):
        notify(person, "match_confirmed", text, f"/programs/{program.id}", subject=text)


def save_reflection(program: Program, reflection: str) -> None:
    """The coordinator's closing reflection: what worked and what to refine next time."""
    program.closing_reflection = reflection
    db.session.commit()


# -- evaluate and refine: the next cohort, and archiving ----------------------------------------

INVITE_CHOICES = {
    "returning": "Invite last cohort's mentors and mentees again (each in the same role)",
    "new": "Only new people: last cohort's people are left out of the invitation list",
    "nobody": "Nobody yet",
}


@dataclass
class NextCohort:
    name: str
    starts_on: date
    ends_on: date
    goal_baseline: float | None
    invite: str  # a key of INVITE_CHOICES


def start_next_cohort(previous: Program, coordinator: User, data: NextCohort) -> Program:
    """A new program in planning that runs `previous` again: its focus, SMART goal (with the
    measured value as the new baseline, when kept), cadence, hours limit and recommended
    lessons. Nobody's answers, survey results or notes come along."""
    if data.invite not in INVITE_CHOICES:
        raise DomainError("Choose whom to invite.", field="invite")
    measured = surveys.latest_measurement(previous)
    fields = {
        name: getattr(previous, name)
        for name in (
            "focus",
            "goal_statement",
            "goal_metric",
            "goal_target",
            "target_kind",
            "goal_achievable",
            "goal_relevant",
            "checkin_weeks",
            "weekly_hours_limit",
            "evaluation_coverage",
        )
    }
    fresh = ProgramData(
        name=data.name,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        goal_baseline=data.goal_baseline,
        **fields,
    )
    check_goal(fresh)
    program = Program(
        created_by_id=coordinator.id,
        previous_id=previous.id,
        baseline_from_previous=measured is not None and data.goal_baseline == measured,
        new_people_only=data.invite == "new",
        **{
            name: value.strip() if isinstance(value, str) else value
            for name, value in vars(fresh).items()
        },
    )
    db.session.add(program)
    db.session.flush()
    db.session.execute(
        program_lessons.insert().from_select(
            ["program_id", "lesson_id"],
            select(literal(program.id), program_lessons.c.lesson_id).where(
                program_lessons.c.program_id == previous.id
            ),
        )
    )
    db.session.commit()
    if data.invite == "returning":
        for role in ROLES:
            back = [
                m.user_id
                for m in previous.members
                if m.role == role and m.status == MemberStatus.ACCEPTED
            ]
            if back:
                invite(program, back, role)
    return program


def excluded_from_invitations(program: Program) -> set[int]:
    """The people a cohort of new people only leaves out: the previous cohort's."""
    if not program.new_people_only or program.previous_id is None:
        return set()
    return set(
        db.session.scalars(select(Member.user_id).where(Member.program_id == program.previous_id))
    )


def set_archived(program: Program, archived: bool) -> None:
    """Archive (hide from everyone but coordinators; nothing is deleted) or restore."""
    if archived and program.status == ProgramStatus.ACTIVE:
        raise Conflict("Close a running program before archiving it.")
    program.archived_at = utcnow() if archived else None
    db.session.commit()
