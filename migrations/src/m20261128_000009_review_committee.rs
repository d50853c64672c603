//! The review committee (贷审会): committees and their members, meetings with an agenda of
//! flow tasks, named immutable votes and recusals.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(DOWN).await?;
        Ok(())
    }
}

const UP: &str = r#"
CREATE TABLE committees (
    id                 BIGSERIAL PRIMARY KEY,
    name               TEXT NOT NULL,
    quorum_numerator   INTEGER NOT NULL DEFAULT 2,
    quorum_denominator INTEGER NOT NULL DEFAULT 3,
    pass_numerator     INTEGER NOT NULL DEFAULT 2,
    pass_denominator   INTEGER NOT NULL DEFAULT 3,
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    CHECK (quorum_numerator > 0 AND quorum_numerator <= quorum_denominator),
    CHECK (pass_numerator > 0 AND pass_numerator <= pass_denominator)
);

CREATE TABLE committee_members (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    -- The chair and members vote; a presenter (汇报人) sits in without a vote.
    role         TEXT NOT NULL CHECK (role IN ('chair', 'member', 'presenter')),
    veto         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (committee_id, user_id)
);

-- A task at a committee step remembers its committee, for the pending-agenda list.
ALTER TABLE flow_tasks ADD COLUMN committee_id BIGINT REFERENCES committees(id);

CREATE TABLE committee_meetings (
    id           BIGSERIAL PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    title        TEXT NOT NULL,
    scheduled_at TIMESTAMPTZ NOT NULL,
    place        TEXT NOT NULL,
    present_ids  BIGINT[] NOT NULL DEFAULT '{}',
    created_by   BIGINT NOT NULL REFERENCES users(id),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE committee_agenda_items (
    id          BIGSERIAL PRIMARY KEY,
    meeting_id  BIGINT NOT NULL REFERENCES committee_meetings(id),
    task_id     BIGINT NOT NULL REFERENCES flow_tasks(id),
    title       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('voting', 'decided')),
    outcome     TEXT CHECK (outcome IN ('passed', 'rejected', 'reinvestigate')),
    tally       JSONB,
    decided_by  BIGINT REFERENCES users(id),
    decided_at  TIMESTAMPTZ
);
CREATE INDEX committee_agenda_items_meeting_idx ON committee_agenda_items (meeting_id, id);
-- A task sits on one undecided agenda at a time.
CREATE UNIQUE INDEX committee_agenda_items_task_key ON committee_agenda_items (task_id)
    WHERE status = 'voting';

CREATE TABLE committee_recusals (
    item_id BIGINT NOT NULL REFERENCES committee_agenda_items(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    reason  TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (item_id, user_id)
);

CREATE TABLE committee_votes (
    item_id BIGINT NOT NULL REFERENCES committee_agenda_items(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    vote    TEXT NOT NULL CHECK (vote IN ('agree', 'disagree', 'reinvestigate')),
    veto    BOOLEAN NOT NULL DEFAULT FALSE,
    opinion TEXT NOT NULL,
    cast_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (item_id, user_id)
);

-- Votes are named, written and immutable (RULES.md §12): no update, no delete, ever.
CREATE FUNCTION committee_votes_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'committee votes are immutable';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER committee_votes_no_change BEFORE UPDATE OR DELETE ON committee_votes
    FOR EACH ROW EXECUTE FUNCTION committee_votes_immutable();
"#;

const DOWN: &str = r#"
DROP TRIGGER committee_votes_no_change ON committee_votes;
DROP FUNCTION committee_votes_immutable();
DROP TABLE committee_votes;
DROP TABLE committee_recusals;
DROP TABLE committee_agenda_items;
DROP TABLE committee_meetings;
ALTER TABLE flow_tasks DROP COLUMN committee_id;
DROP TABLE committee_members;
DROP TABLE committees;
"#;
