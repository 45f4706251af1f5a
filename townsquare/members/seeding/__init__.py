"""The demo and benchmark community behind `townsquare seed`.

`archetypes` (roles and the skills that go with them), `world` (regions, cities, names,
currencies), `texts` (bio and decision wording), `graph` (community-shaped ties),
`generate` (deterministic rows from a seed, no queries) and `writer` (COPY on PostgreSQL,
bulk_create elsewhere). The command in `management/commands/seed.py` ties them together.
"""
