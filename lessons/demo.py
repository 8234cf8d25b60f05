"""Demo lessons for `seed-demo`, read from Markdown files in `demo_content/`.

A file starts with `key: value` lines (title, topic, author, minutes, summary, status), then
a line `---`, the lesson body, and one `=== task ===` block per practice task, whose
`--- done ---` line separates the prompt from what "done" looks like.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from lessons import services
from lessons.models import Lesson
from portal.accounts import services as users
from portal.extensions import db
from portal.topics import Topic

CONTENT = Path(__file__).parent / "demo_content"


def parse(text: str) -> dict:
    """One demo file as a dictionary with `body` and a list of `tasks`."""
    header, _, rest = text.partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in header.strip().splitlines())
    body, *task_blocks = rest.split("\n=== task ===\n")
    tasks = []
    for block in task_blocks:
        prompt, _, done = block.partition("\n--- done ---\n")
        tasks.append(services.TaskData(prompt=prompt.strip(), done_when=done.strip()))
    return {**fields, "body": body.strip() + "\n", "tasks": tasks}


def seed_lessons() -> None:
    """Create each demo lesson whose author has no lesson of that title yet."""
    topics = {t.slug: t.id for t in db.session.scalars(select(Topic))}
    for path in sorted(CONTENT.glob("*.md")):
        item = parse(path.read_text(encoding="utf-8"))
        author = users.find_by_email(item["author"])
        exists = db.session.scalar(
            select(Lesson.id).where(Lesson.author_id == author.id, Lesson.title == item["title"])
        )
        if exists:
            continue
        data = services.LessonData(
            title=item["title"],
            topic_id=topics[item["topic"]],
            summary=item["summary"],
            body=item["body"],
            minutes=int(item["minutes"]),
        )
        lesson = services.create_lesson(author.id, data, publish=item["status"] == "published")
        for task in item["tasks"]:
            services.add_task(lesson.id, task)
