"""Deterministic rows for a seeded community: one `random.Random(seed)`, no queries.

The generator yields plain tuples in the field orders below, ready for `writer.RowWriter`.
Everything that is the same for many rows (bio HTML, skill search terms, the password
hash) is computed once. Dates are offsets from `now`, so a seeded community always looks
recent; everything else depends only on the seed and the sizes.
"""

from __future__ import annotations

import random
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from townsquare.lib.markdown import render_markdown
from townsquare.lib.money import USD_PER_UNIT, to_usd
from townsquare.members.models import Application, Level, Role, Visibility
from townsquare.members.seeding.archetypes import (
    ARCHETYPE_BY_KEY,
    ARCHETYPES,
    CORE,
    SENIORITIES,
    SENIORITY_PHRASE,
    SENIORITY_RATE,
    SENIORITY_WEIGHTS,
    SENIORITY_YEARS,
    Archetype,
)
from townsquare.members.seeding.graph import weave
from townsquare.members.seeding.texts import (
    APPROVE_REASONS,
    CLOSERS,
    DECLINE_REASONS,
    OPENERS,
    WAITLIST_REASONS,
    WHY,
)
from townsquare.members.seeding.world import COMPANIES, REGION_BY_KEY, REGIONS, City, Region
from townsquare.members.services import compose_search_document

USER_FIELDS = (
    "id", "password", "last_login", "email", "name", "role", "is_active", "time_zone",
    "date_joined", "email_verified_at", "admitted_at", "referral_code",
)  # fmt: skip
PROFILE_FIELDS = (
    "user", "headline", "bio", "bio_html", "hourly_rate", "currency", "rate_usd",
    "available_hours", "available_from", "location", "links", "client_contact",
    "profile_visibility", "bio_visibility", "skills_visibility", "rate_visibility",
    "availability_visibility", "location_visibility", "links_visibility", "search_document",
    "updated_at",
)  # fmt: skip
PROFILE_SKILL_FIELDS = ("profile", "skill", "level", "years")
APPLICATION_FIELDS = (
    "user", "why", "referral_code", "referred_by", "status", "reason", "decided_by",
    "decided_at", "submitted_at",
)  # fmt: skip
CONNECTION_FIELDS = ("member_a", "member_b", "created_at")

CAST_DOMAIN = "demo.townsquare.local"
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
MAX_SKILLS = 14

PUBLIC, MEMBERS, CONNECTIONS, ONLY_ME = (
    int(Visibility.PUBLIC), int(Visibility.MEMBERS), int(Visibility.CONNECTIONS),
    int(Visibility.ONLY_ME),
)  # fmt: skip

_CODE_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class SkillRef:
    """A taxonomy skill as the seed needs it: its id and the terms the directory indexes."""

    id: int
    terms: tuple[str, ...]


@dataclass
class Batch:
    users: list[tuple] = field(default_factory=list)
    profiles: list[tuple] = field(default_factory=list)
    profile_skills: list[tuple] = field(default_factory=list)
    applications: list[tuple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.users)


@dataclass
class Person:
    """Everything decided about one member or applicant before it becomes rows."""

    uid: int
    name: str
    email: str
    region: Region
    city: City
    archetype: Archetype
    seniority: str
    days_ago: float
    # (skill name, level, years)
    skills: list[tuple[str, int, int]]
    admitted: bool = True
    currency: str | None = None
    rate: Decimal | None = None
    hours: int | None = None
    visibility: tuple[int, int, int, int, int, int, int] | None = None
    client_contact: bool | None = None
    links: list[str] | None = None
    bio_variant: tuple[int, int] | None = None


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _base36(number: int) -> str:
    digits = string.digits + string.ascii_lowercase
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _cumulative(weights: tuple[float, ...] | list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out]


def _nice_round(amount: float) -> Decimal:
    step = 5 if amount < 300 else 50 if amount < 3000 else 500
    return Decimal(max(step, int(round(amount / step)) * step))


class Generator:
    """Deterministic rows for `members` admitted members and the people around them."""

    def __init__(
        self,
        *,
        members: int,
        seed: int,
        connections_per_member: float,
        now: datetime,
        skills: dict[str, SkillRef],
        password_hash: str,
        cast_password_hash: str,
        first_id: int = 1,
    ) -> None:
        if members < 2:
            raise ValueError("Seed at least 2 members (alice and bob).")
        missing = {n for a in ARCHETYPES for n, _p in a.skills} - set(skills)
        if missing:
            raise ValueError(f"Skills missing from the taxonomy: {sorted(missing)}")
        self.members = members
        self.connections_per_member = connections_per_member
        self.now = now
        self.today: date = now.date()
        self.skills = skills
        self.skill_names = sorted(skills)
        self.password_hash = password_hash
        self.cast_password_hash = cast_password_hash
        self.rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not secrets
        self.next_id = first_id
        self.managers = max(1, members // 10_000)
        self.clients = max(3, members // 200)
        self.applicants = max(5, members // 100)
        self._region_cum = _cumulative([r.weight for r in REGIONS])
        self._city_cum = {r.key: _cumulative([c.weight for c in r.cities]) for r in REGIONS}
        self._arch_cum = _cumulative([a.weight for a in ARCHETYPES])
        self._seniority_cum = _cumulative(SENIORITY_WEIGHTS)
        self._bio_html: dict[str, str] = {}
        self.manager_ids: list[int] = []
        # Graph inputs, one entry per admitted member: uid, archetype, region, days since joining.
        self.graph_uid: list[int] = []
        self.graph_arch: list[int] = []
        self.graph_region: list[int] = []
        self.graph_days: list[float] = []
        self.codes: list[tuple[int, str]] = []  # (uid, referral code) of admitted members
        self.cast: dict[str, int] = {}

    # Small helpers ---------------------------------------------------------------------

    def _pick(self, cumulative: list[float]) -> int:
        r = self.rng.random()
        for i, edge in enumerate(cumulative):
            if r < edge:
                return i
        return len(cumulative) - 1

    def _uid(self) -> int:
        uid = self.next_id
        self.next_id += 1
        return uid

    def _code(self, uid: int) -> str:
        # Random prefix of fixed length plus the id: unique without a lookup.
        choice = self.rng.choice
        return "".join(choice(_CODE_ALPHABET) for _ in range(6)) + _base36(uid)

    def _at(self, days_ago: float) -> datetime:
        return self.now - timedelta(seconds=int(days_ago * 86400))

    def _name(self, region: Region) -> tuple[str, str]:
        return self.rng.choice(region.first_names), self.rng.choice(region.last_names)

    def _email(self, first: str, last: str, uid: int, domain: str | None = None) -> str:
        domain = domain or self.rng.choice(EMAIL_DOMAINS)
        return f"{ascii_slug(first)}.{ascii_slug(last)}{uid}@{domain}"

    def _user_row(
        self,
        uid: int,
        *,
        email: str,
        name: str,
        role: str,
        zone: str,
        days_ago: float,
        admitted: bool,
        password: str,
        verified: bool = True,
    ) -> tuple:
        joined = self._at(days_ago)
        verified_at = joined + timedelta(minutes=self.rng.randint(2, 600)) if verified else None
        admitted_at = None
        if admitted:
            admitted_at = min(joined + timedelta(days=self.rng.randint(1, 9)), self._at(0.01))
        last_login = None
        if self.rng.random() < 0.65:
            last_login = max(joined, self._at(self.rng.random() * min(days_ago, 90)))
        code = self._code(uid)
        if admitted and role == Role.MEMBER:
            self.codes.append((uid, code))
        return (
            uid, password, last_login, email, name, role, True, zone, joined, verified_at,
            admitted_at, code,
        )  # fmt: skip

    # People ----------------------------------------------------------------------------

    def _random_person(self, uid: int, *, admitted: bool) -> Person:
        rng = self.rng
        region = REGIONS[self._pick(self._region_cum)]
        city = region.cities[self._pick(self._city_cum[region.key])]
        archetype = ARCHETYPES[self._pick(self._arch_cum)]
        seniority = SENIORITIES[self._pick(self._seniority_cum)]
        first, last = self._name(region)
        low, high = SENIORITY_YEARS[seniority]
        total_years = rng.randint(low, high)
        top = {"junior": 2, "mid": 3 if rng.random() < 0.5 else 2,
               "senior": 4 if rng.random() < 0.4 else 3,
               "lead": 4 if rng.random() < 0.7 else 3}[seniority]  # fmt: skip
        skills: list[tuple[str, int, int]] = []
        for name, p in archetype.skills:
            if rng.random() >= p:
                continue
            if p >= CORE:
                years = max(1, total_years - rng.randint(0, min(2, total_years - 1)))
                skills.append((name, top, years))
            else:
                level = max(int(Level.BEGINNER), top - 1 - (rng.random() < 0.3))
                skills.append((name, level, rng.randint(1, max(1, total_years // 2 + 1))))
        if len(skills) < 3:
            held = {s[0] for s in skills}
            for name in archetype.core:
                if name not in held:
                    skills.append((name, top, total_years))
        if rng.random() < 0.12:  # something unrelated: people are more than their role
            name = rng.choice(self.skill_names)
            if name not in {s[0] for s in skills}:
                skills.append((name, int(Level.BEGINNER), rng.randint(1, 3)))
        skills.sort(key=lambda s: (-s[1], -s[2]))
        days_ago = 1 + 1000 * rng.random() ** 1.6 if admitted else 1 + 60 * rng.random()
        return Person(
            uid=uid, name=f"{first} {last}", email=self._email(first, last, uid),
            region=region, city=city, archetype=archetype, seniority=seniority,
            days_ago=days_ago, skills=skills[:MAX_SKILLS], admitted=admitted,
        )  # fmt: skip

    def _visibility(self) -> tuple[int, int, int, int, int, int, int]:
        r = self.rng.random
        profile = (
            PUBLIC
            if r() < 0.10
            else MEMBERS
            if r() < 0.86
            else CONNECTIONS
            if r() < 0.75
            else ONLY_ME
        )
        public = profile == PUBLIC
        bio = PUBLIC if public and r() < 0.6 else CONNECTIONS if r() < 0.08 else MEMBERS
        skills = PUBLIC if public and r() < 0.7 else CONNECTIONS if r() < 0.05 else MEMBERS
        rate = MEMBERS if r() < 0.72 else CONNECTIONS if r() < 0.8 else ONLY_ME
        availability = PUBLIC if public and r() < 0.5 else CONNECTIONS if r() < 0.1 else MEMBERS
        location = (
            PUBLIC if r() < (0.5 if public else 0.05) else CONNECTIONS if r() < 0.07 else MEMBERS
        )
        links = PUBLIC if r() < 0.25 else CONNECTIONS if r() < 0.13 else MEMBERS
        return (profile, bio, skills, rate, availability, location, links)

    def _bio(self, person: Person) -> tuple[str, str]:
        a = person.archetype
        opener, closer = person.bio_variant or (
            self.rng.randrange(len(OPENERS)),
            self.rng.randrange(len(CLOSERS)),
        )
        title = a.titles[SENIORITIES.index(person.seniority)]
        text = (
            OPENERS[opener].format(
                phrase=SENIORITY_PHRASE[person.seniority], focus=a.focus, title=title
            )
            + "\n\n**What I do**\n\n"
            + "".join(f"- {line}\n" for line in a.does)
            + "\n"
            + CLOSERS[closer]
        )
        html = self._bio_html.get(text)
        if html is None:
            html = self._bio_html[text] = render_markdown(text)
        return text, html

    def _profile_rows(self, person: Person, batch: Batch) -> None:
        rng = self.rng
        a = person.archetype
        title = a.titles[SENIORITIES.index(person.seniority)]
        top = ", ".join(s[0] for s in person.skills[:3])
        headline = f"{title} · {top}"[:140]
        bio, bio_html = (
            ("", "") if rng.random() < 0.12 and person.bio_variant is None else self._bio(person)
        )
        currency = person.currency
        if currency is None:
            options = person.city.currencies
            currency = options[self._pick(_cumulative([w for _c, w in options]))][0]
        rate = person.rate
        if rate is None and rng.random() >= 0.06:
            usd = (
                a.base_rate * SENIORITY_RATE[person.seniority] * person.region.rate_factor
                * rng.lognormvariate(0, 0.15)
            )  # fmt: skip
            rate = _nice_round(usd / float(USD_PER_UNIT[currency]))
        hours = person.hours
        if hours is None:
            hours = (
                0 if rng.random() < 0.22 else rng.choice((5, 10, 15, 20, 20, 25, 30, 30, 40, 40))
            )
        available_from = None
        if hours and rng.random() < 0.18:
            available_from = self.today + timedelta(days=rng.randint(3, 120))
        visibility = person.visibility or self._visibility()
        client_contact = person.client_contact
        if client_contact is None:
            client_contact = rng.random() < (0.45 if hours else 0.1)
        links = person.links
        if links is None:
            handle = ascii_slug(person.name)
            links = []
            if rng.random() < 0.6:
                links.append(f"https://{rng.choice(a.link_sites)}/{handle}")
            if rng.random() < 0.25:
                links.append(f"https://{handle}.example.com")
        terms = []
        for name, level, years in person.skills:
            ref = self.skills[name]
            batch.profile_skills.append((person.uid, ref.id, level, years))
            terms.extend(ref.terms)
        location = person.city.location
        document = compose_search_document(
            name=person.name, headline=headline, bio=bio, bio_visibility=visibility[1],
            location=location, location_visibility=visibility[5],
            skills_visibility=visibility[2], skill_terms=terms,
        )  # fmt: skip
        batch.profiles.append(
            (
                person.uid, headline, bio, bio_html, rate, currency, to_usd(rate, currency),
                hours, available_from, location, links, client_contact, *visibility, document,
                self.now,
            )
        )  # fmt: skip

    def _person_rows(self, person: Person, batch: Batch, password: str) -> None:
        batch.users.append(
            self._user_row(
                person.uid, email=person.email, name=person.name, role=Role.MEMBER,
                zone=person.city.zone, days_ago=person.days_ago, admitted=person.admitted,
                password=password, verified=person.admitted or self.rng.random() < 0.85,
            )
        )  # fmt: skip
        self._profile_rows(person, batch)
        if person.admitted:
            self.graph_uid.append(person.uid)
            self.graph_arch.append(ARCHETYPES.index(person.archetype))
            self.graph_region.append(REGIONS.index(person.region))
            self.graph_days.append(person.days_ago)

    def _application_row(
        self, person: Person, status: str, *, submitted: datetime, referred: bool
    ) -> tuple:
        rng = self.rng
        title = person.archetype.titles[SENIORITIES.index(person.seniority)]
        why = rng.choice(WHY).format(title_lower=title.lower())
        code, referrer = "", None
        if referred and self.codes:
            referrer, code = rng.choice(self.codes)
            if referrer == person.uid:
                code, referrer = "", None
        reason, decided_by, decided_at = "", None, None
        if status != Application.Status.SUBMITTED:
            decided_by = rng.choice(self.manager_ids) if self.manager_ids else None
            decided_at = min(submitted + timedelta(days=rng.randint(1, 14)), self._at(0.01))
            if status == Application.Status.APPROVED:
                reason = rng.choice(APPROVE_REASONS)
            elif status == Application.Status.WAITLISTED:
                reason = rng.choice(WAITLIST_REASONS).format(skill=person.skills[0][0])
            else:
                reason = rng.choice(DECLINE_REASONS)
        return (person.uid, why, code, referrer, status, reason, decided_by, decided_at, submitted)

    # The cast and staff ----------------------------------------------------------------

    def cast_and_staff(self) -> Batch:
        """The fixed demo cast (alice, bob, carol, mona, admin, eve), managers and clients."""
        batch = Batch()
        pw = self.cast_password_hash
        europe, america = REGION_BY_KEY["europe"], REGION_BY_KEY["north_america"]
        berlin = next(c for c in europe.cities if c.location.startswith("Berlin"))
        new_york = next(c for c in america.cities if c.location.startswith("New York"))
        lisbon = next(c for c in europe.cities if c.location.startswith("Lisbon"))
        members_only = (MEMBERS,) * 7
        alice = Person(
            uid=self._uid(), name="Alice Archer", email=f"alice@{CAST_DOMAIN}", region=europe,
            city=berlin, archetype=ARCHETYPE_BY_KEY["backend_python"], seniority="senior",
            days_ago=400,
            skills=[("Python", 4, 9), ("Django", 4, 8), ("PostgreSQL", 3, 8), ("Docker", 3, 6),
                    ("Celery", 3, 5), ("Redis", 3, 5), ("FastAPI", 2, 2)],
            currency="EUR", rate=Decimal("95"), hours=20, visibility=members_only,
            client_contact=True, links=["https://github.com/alice-archer"], bio_variant=(0, 0),
        )  # fmt: skip
        bob = Person(
            uid=self._uid(), name="Bob Baker", email=f"bob@{CAST_DOMAIN}", region=america,
            city=new_york, archetype=ARCHETYPE_BY_KEY["frontend_react"], seniority="senior",
            days_ago=380,
            skills=[("React", 4, 7), ("TypeScript", 4, 6), ("JavaScript", 4, 8),
                    ("Next.js", 3, 4), ("CSS", 3, 8), ("Jest", 3, 4)],
            currency="USD", rate=Decimal("80"), hours=30, visibility=members_only,
            client_contact=True, links=["https://github.com/bob-baker"], bio_variant=(1, 1),
        )  # fmt: skip
        for person in (alice, bob):
            self._person_rows(person, batch, pw)
        self.cast["alice"], self.cast["bob"] = alice.uid, bob.uid
        for key, name, role, zone in (
            ("carol", "Carol Client", Role.CLIENT, "Europe/London"),
            ("mona", "Mona Manager", Role.MANAGER, "Europe/Amsterdam"),
            ("admin", "Adam Admin", Role.ADMIN, "Europe/Berlin"),
        ):
            uid = self._uid()
            self.cast[key] = uid
            batch.users.append(
                self._user_row(uid, email=f"{key}@{CAST_DOMAIN}", name=name, role=role,
                               zone=zone, days_ago=500, admitted=True, password=pw)
            )  # fmt: skip
        self.manager_ids.append(self.cast["mona"])
        eve = Person(
            uid=self._uid(), name="Eve Early", email=f"eve@{CAST_DOMAIN}", region=europe,
            city=lisbon, archetype=ARCHETYPE_BY_KEY["product_designer"], seniority="mid",
            days_ago=2, skills=[("Figma", 3, 4), ("UX Design", 3, 4), ("Prototyping", 3, 3)],
            admitted=False, currency="EUR", rate=Decimal("60"), hours=25,
            visibility=members_only, client_contact=False, links=[], bio_variant=(2, 1),
        )  # fmt: skip
        self.cast["eve"] = eve.uid
        self._person_rows(eve, batch, pw)
        batch.applications.append(
            self._application_row(eve, Application.Status.SUBMITTED, submitted=self._at(1.9),
                                  referred=False)
        )  # fmt: skip
        others = self.password_hash
        for _ in range(self.managers):
            uid = self._uid()
            region = REGIONS[self._pick(self._region_cum)]
            first, last = self._name(region)
            city = region.cities[self._pick(self._city_cum[region.key])]
            batch.users.append(
                self._user_row(uid, email=self._email(first, last, uid, "team.example.org"),
                               name=f"{first} {last}", role=Role.MANAGER, zone=city.zone,
                               days_ago=300 + self.rng.random() * 400, admitted=True,
                               password=others)
            )  # fmt: skip
            self.manager_ids.append(uid)
        for _ in range(self.clients):
            uid = self._uid()
            region = REGIONS[self._pick(self._region_cum)]
            first, last = self._name(region)
            city = region.cities[self._pick(self._city_cum[region.key])]
            company = self.rng.choice(COMPANIES)
            batch.users.append(
                self._user_row(uid, email=self._email(first, last, uid, f"{company}.example.com"),
                               name=f"{first} {last}", role=Role.CLIENT, zone=city.zone,
                               days_ago=1 + self.rng.random() * 700, admitted=True,
                               password=others)
            )  # fmt: skip
        return batch

    # Members and applicants -------------------------------------------------------------

    def member_batches(self, size: int = 5000) -> Iterator[Batch]:
        """The admitted members besides alice and bob, `size` at a time."""
        remaining = self.members - 2
        while remaining > 0:
            batch = Batch()
            for _ in range(min(size, remaining)):
                person = self._random_person(self._uid(), admitted=True)
                self._person_rows(person, batch, self.password_hash)
                # Some joined through an application that the history keeps.
                if self.rng.random() < 0.08:
                    submitted = self._at(max(0.01, person.days_ago - 0.01))
                    batch.applications.append(
                        self._application_row(
                            person, Application.Status.APPROVED, submitted=submitted,
                            referred=self.rng.random() < 0.3,
                        )
                    )  # fmt: skip
            remaining -= len(batch)
            yield batch

    def applicant_batch(self) -> Batch:
        """People waiting for review, waitlisted or declined; some came with a referral code."""
        batch = Batch()
        statuses = (
            (Application.Status.SUBMITTED, 0.55),
            (Application.Status.WAITLISTED, 0.30),
            (Application.Status.DECLINED, 0.15),
        )
        cumulative = _cumulative([w for _s, w in statuses])
        for _ in range(self.applicants):
            person = self._random_person(self._uid(), admitted=False)
            self._person_rows(person, batch, self.password_hash)
            status = statuses[self._pick(cumulative)][0]
            submitted = self._at(max(0.01, person.days_ago - 0.01))
            batch.applications.append(
                self._application_row(person, status, submitted=submitted,
                                      referred=self.rng.random() < 0.35)
            )  # fmt: skip
        return batch

    # The fabric -----------------------------------------------------------------------

    def connections(self) -> list[tuple[int, int, datetime]]:
        """Mutual ties between admitted members (see graph.weave), alice and bob included."""
        families = sorted({a.family for a in ARCHETYPES})
        edges = weave(
            self.rng,
            uids=self.graph_uid,
            groups=[families.index(ARCHETYPES[a].family) for a in self.graph_arch],
            roles=self.graph_arch,
            regions=self.graph_region,
            per_member=self.connections_per_member,
        )
        edges.add(tuple(sorted((self.cast["alice"], self.cast["bob"]))))
        days = dict(zip(self.graph_uid, self.graph_days, strict=True))
        # A tie is younger than both members' accounts.
        return [
            (a, b, self._at(self.rng.random() * min(days[a], days[b]))) for a, b in sorted(edges)
        ]
