-- People added at runtime (POST /api/people, docs/teaching.md): the household file is never rewritten.
CREATE TABLE runtime_person (
    id       VARCHAR(255) PRIMARY KEY,
    name     VARCHAR(500),
    added_at BIGINT NOT NULL,   -- epoch milliseconds
    added_by VARCHAR(500)
);
