-- Alert history (issue 11): one row per alert id; the whole record as JSON, the filter columns beside it.
CREATE TABLE alert (
    id       VARCHAR(200) PRIMARY KEY,
    t        BIGINT       NOT NULL,   -- observedAt, epoch milliseconds
    camera   VARCHAR(200),
    person   VARCHAR(200),
    type     VARCHAR(40),
    severity VARCHAR(20),
    known    BOOLEAN      NOT NULL,   -- known_person: its images have the known-person retention
    record   CHARACTER VARYING NOT NULL
);
CREATE INDEX alert_time ON alert (t DESC, id DESC);
CREATE INDEX alert_camera_time ON alert (camera, t DESC, id DESC);
CREATE INDEX alert_person_time ON alert (person, t DESC, id DESC);
CREATE INDEX alert_type_time ON alert (type, t DESC, id DESC);

-- The face crop and snapshot JPEGs of an alert's deciding frame.
CREATE TABLE image (
    alert_id VARCHAR(200) NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    kind     VARCHAR(10)  NOT NULL,
    jpeg     BINARY LARGE OBJECT NOT NULL,
    PRIMARY KEY (alert_id, kind)
);
