"""One-on-one meetings of a mentorship: schedule, agenda, calendar file, notes, action items."""
