"""The database's schema, as the steps that made it: each step runs once, in order, on SQLite and PostgreSQL alike
(bot/database.py records how many a database has had). To change the schema, append a step — never edit one
that has shipped:

    ("why the step is needed", "ALTER TABLE questions ADD COLUMN decline_reason TEXT"),

Write SQL both databases accept; `{id}` is an auto-numbered primary key. Statements are separated by `;` (so
never write one in a comment).
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    # IF NOT EXISTS: a journal written before schema versions already has these tables, and is adopted as it is.
    ("the journal: questions, their feedback, the admins' audit trail", """
        CREATE TABLE IF NOT EXISTS questions (
            id {id},
            pseudonym TEXT NOT NULL,
            asked_at TEXT NOT NULL,
            lang TEXT NOT NULL,
            question TEXT NOT NULL,
            answered INTEGER NOT NULL,
            passage_ids TEXT NOT NULL,  -- JSON array
            topics TEXT NOT NULL        -- JSON array
        );
        CREATE INDEX IF NOT EXISTS questions_pseudonym ON questions (pseudonym);
        CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
        CREATE TABLE IF NOT EXISTS feedback (
            question_id BIGINT NOT NULL REFERENCES questions (id),
            pseudonym TEXT NOT NULL,
            value INTEGER NOT NULL CHECK (value IN (-1, 1)),
            at TEXT NOT NULL,
            PRIMARY KEY (question_id, pseudonym)
        );
        CREATE INDEX IF NOT EXISTS feedback_pseudonym ON feedback (pseudonym);
        CREATE TABLE IF NOT EXISTS admin_actions (
            id {id},
            pseudonym TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            allowed INTEGER NOT NULL,
            at TEXT NOT NULL
        )
    """),
    ("which key made the pseudonyms, so a replica started with another key refuses to mix them", """
        CREATE TABLE journal_key (fingerprint TEXT NOT NULL)
    """),
    ("webhook replicas: who is alive and what it serves, and each update answered once", """
        CREATE TABLE replicas (
            name TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            index_version TEXT
        );
        CREATE TABLE updates (
            update_id BIGINT PRIMARY KEY,
            replica TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            done INTEGER NOT NULL
        );
        CREATE INDEX updates_claimed_at ON updates (claimed_at)
    """),
    ("the admin loop (#17): why a question was declined, the best passage found and how much of it that covered,"
     " the articles an answer quoted; the gaps /gaps listed, and what an admin decided about each", """
        ALTER TABLE questions ADD COLUMN reason TEXT;
        ALTER TABLE questions ADD COLUMN best_passage TEXT;
        ALTER TABLE questions ADD COLUMN best_coverage REAL;
        ALTER TABLE questions ADD COLUMN articles TEXT;
        CREATE TABLE gaps (
            id {id},
            listing BIGINT NOT NULL,  -- the /gaps run that found it: the id of that run's first gap
            rank INTEGER NOT NULL,    -- 0: the largest of its run
            listed_at TEXT NOT NULL,
            state TEXT,               -- NULL while open, else one of bot.journal.GAP_STATES
            decided_by TEXT,          -- the deciding admin's pseudonym
            decided_at TEXT,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX gaps_listing ON gaps (listing, rank);
        CREATE TABLE gap_questions (
            gap_id BIGINT NOT NULL REFERENCES gaps (id),
            question_id BIGINT NOT NULL,  -- no foreign key: retention and /hapus delete questions, not gaps
            PRIMARY KEY (gap_id, question_id)
        );
        CREATE INDEX gap_questions_question ON gap_questions (question_id)
    """),
)
