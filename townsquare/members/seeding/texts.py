"""Words for seeded profiles and applications: bio parts, reasons for decisions."""

from __future__ import annotations

OPENERS = (
    "I'm {phrase}, working on {focus}.",
    "{title} focused on {focus}.",
    "Hi! I work on {focus}; I am {phrase}.",
)
CLOSERS = (
    "I like small teams, written specs and shipping every week.",
    "Happy to join an existing team or to start something from scratch.",
    "Async by default; I overlap a few hours with most time zones.",
    "Ask me about *mentoring*: I enjoy helping people one step behind me.",
)
WHY = (
    "I freelance as a {title_lower} and want to meet people I can build things with.",
    "A friend recommended this community; I am looking for steady client work and peers "
    "to learn from.",
    "I have worked remotely for years and miss having colleagues. I would like to help "
    "others and find interesting projects.",
    "I am moving from agency work to independent projects and want a trusted network.",
)
WAITLIST_REASONS = (
    "We have many members with {skill} skills right now and little open work for them. "
    "We keep your application and will write as soon as demand grows.",
    "Your profile is strong, but {skill} is oversupplied at the moment. You are on the "
    "waitlist and keep your place.",
)
DECLINE_REASONS = (
    "Your application does not yet show the professional experience we look for. You are "
    "welcome to apply again in six months.",
    "We could not verify the work you describe. Please apply again with links to your work.",
    "We are a community of independent professionals, and you are looking for a permanent "
    "job; we do not think we can help you well.",
)
APPROVE_REASONS = ("Welcome aboard!", "Welcome: great to have you.", "Approved: welcome in.")
