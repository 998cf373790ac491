-- Organisation-wide settings as typed JSON values keyed by name (organisation name, time zone,
-- confidentiality label, scoring weights). One row per key keeps later settings free of migrations.
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    password_hash TEXT,
    locale TEXT NOT NULL DEFAULT 'en',
    time_zone TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    calendar_token_hash TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Single-use links: first-admin setup, password reset, user invitation.
CREATE TABLE one_time_tokens (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('setup', 'password_reset', 'invitation')),
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE login_attempts (
    id BIGSERIAL PRIMARY KEY,
    scope_key TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_scope ON login_attempts(scope_key, attempted_at);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT,
    ip TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE audiences (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_de TEXT NOT NULL,
    internal BOOLEAN NOT NULL,
    lay BOOLEAN NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    position INTEGER NOT NULL
);

-- Organisation default communication policy per severity and audience.
CREATE TABLE policies (
    id BIGSERIAL PRIMARY KEY,
    severity TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
    audience_id BIGINT NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
    first_message_min INTEGER NOT NULL,
    update_interval_min INTEGER NOT NULL,
    all_clear_min INTEGER NOT NULL,
    reply_target_min INTEGER NOT NULL,
    UNIQUE (severity, audience_id)
);

CREATE TABLE services (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    aliases TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE incidents (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('it_outage', 'social_media', 'security', 'other')),
    severity TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
    status TEXT NOT NULL CHECK (status IN ('open', 'in_review', 'closed')),
    language TEXT NOT NULL CHECK (language IN ('de', 'en')),
    started_at TIMESTAMP,
    detected_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    summary TEXT NOT NULL DEFAULT '',
    affected_services TEXT NOT NULL DEFAULT '[]',
    apology_expected BOOLEAN NOT NULL DEFAULT FALSE,
    source TEXT,
    external_id TEXT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX incidents_detected ON incidents(detected_at);

CREATE TABLE incident_audiences (
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    audience_id BIGINT NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, audience_id)
);

-- Per-incident overrides of the organisation policy.
CREATE TABLE incident_policies (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    audience_id BIGINT NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
    first_message_min INTEGER NOT NULL,
    update_interval_min INTEGER NOT NULL,
    all_clear_min INTEGER NOT NULL,
    reply_target_min INTEGER NOT NULL,
    UNIQUE (incident_id, audience_id)
);

CREATE TABLE import_batches (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT REFERENCES incidents(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    skipped TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('detected', 'acknowledged', 'escalated', 'diagnosed', 'mitigated', 'resolved', 'monitoring', 'note')),
    description TEXT NOT NULL DEFAULT '',
    source TEXT,
    external_id TEXT,
    content_hash TEXT NOT NULL,
    import_batch_id BIGINT REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX events_incident ON events(incident_id, occurred_at);

CREATE TABLE mentions (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    posted_at TIMESTAMP NOT NULL,
    platform TEXT NOT NULL,
    author_handle TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    url TEXT,
    external_id TEXT,
    content_hash TEXT NOT NULL,
    import_batch_id BIGINT REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mentions_incident ON mentions(incident_id, posted_at);

CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    sent_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'status_page', 'dark_site', 'intranet', 'chat', 'social_media', 'sms', 'phone', 'press_release', 'other')),
    platform TEXT,
    author TEXT NOT NULL DEFAULT '',
    subject TEXT,
    body TEXT NOT NULL,
    body_html TEXT,
    language TEXT NOT NULL CHECK (language IN ('de', 'en')),
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'update', 'resolution', 'post_incident', 'reply')),
    in_reply_to BIGINT REFERENCES mentions(id) ON DELETE SET NULL,
    next_update_at TIMESTAMP,
    eta_at TIMESTAMP,
    source TEXT,
    external_id TEXT,
    content_hash TEXT NOT NULL,
    import_batch_id BIGINT REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX messages_incident ON messages(incident_id, sent_at);

CREATE TABLE message_audiences (
    message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    audience_id BIGINT NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, audience_id)
);

-- Computed scores, with the rubric version and raw measurements that produced them.
CREATE TABLE scores (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    scope TEXT NOT NULL CHECK (scope IN ('incident', 'audience', 'message')),
    audience_id BIGINT REFERENCES audiences(id) ON DELETE CASCADE,
    message_id BIGINT REFERENCES messages(id) ON DELETE CASCADE,
    dimension TEXT NOT NULL,
    value DOUBLE PRECISION,
    measurements TEXT NOT NULL DEFAULT '{}',
    rubric_version INTEGER NOT NULL,
    computed_at TIMESTAMP NOT NULL
);
CREATE INDEX scores_incident ON scores(incident_id);

CREATE TABLE findings (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('red', 'amber', 'info', 'good')),
    impact DOUBLE PRECISION NOT NULL,
    text_en TEXT NOT NULL,
    text_de TEXT NOT NULL,
    audience_id BIGINT REFERENCES audiences(id) ON DELETE CASCADE,
    message_id BIGINT REFERENCES messages(id) ON DELETE CASCADE,
    gap_from TIMESTAMP,
    gap_to TIMESTAMP,
    evidence TEXT NOT NULL DEFAULT '{}',
    rubric_version INTEGER NOT NULL,
    computed_at TIMESTAMP NOT NULL
);
CREATE INDEX findings_incident ON findings(incident_id);

CREATE TABLE recipients (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL,
    locale TEXT NOT NULL DEFAULT 'de',
    opted_out BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE surveys (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    template TEXT NOT NULL CHECK (template IN ('default', 'stakeholder', 'custom')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    open_link_token_hash TEXT UNIQUE,
    default_locale TEXT NOT NULL DEFAULT 'de',
    opens_at TIMESTAMP,
    closes_at TIMESTAMP,
    reminder_delay_hours INTEGER,
    max_reminders INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE survey_audiences (
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    audience_id BIGINT NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
    PRIMARY KEY (survey_id, audience_id)
);

CREATE TABLE questions (
    id BIGSERIAL PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    qtype TEXT NOT NULL CHECK (qtype IN ('rating5', 'scale10', 'single', 'multiple', 'yes_partly_no', 'text')),
    code TEXT,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    text_en TEXT NOT NULL,
    text_de TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX questions_survey ON questions(survey_id, position);

CREATE TABLE invitations (
    id BIGSERIAL PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    recipient_id BIGINT REFERENCES recipients(id) ON DELETE SET NULL,
    audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL,
    locale TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'queued', 'sent', 'failed', 'answered')),
    sent_at TIMESTAMP,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    last_reminder_at TIMESTAMP,
    answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (survey_id, recipient_id)
);

-- invitation_id is NULL for anonymous surveys and the open link: answers cannot be traced back.
CREATE TABLE responses (
    id BIGSERIAL PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    invitation_id BIGINT UNIQUE REFERENCES invitations(id) ON DELETE SET NULL,
    audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL,
    locale TEXT NOT NULL,
    browser_key_hash TEXT,
    submitted_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (survey_id, browser_key_hash)
);
CREATE INDEX responses_survey ON responses(survey_id);

CREATE TABLE answers (
    id BIGSERIAL PRIMARY KEY,
    response_id BIGINT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    value_number DOUBLE PRECISION,
    value_text TEXT,
    value_choices TEXT,
    UNIQUE (response_id, question_id)
);

-- Persistent mail queue: jobs are claimed with a lease so a crashed worker's job is retried,
-- and the Message-ID is fixed at enqueue time so a retry is recognisable as the same mail.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    to_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    headers TEXT NOT NULL DEFAULT '{}',
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    locked_by TEXT,
    last_error TEXT,
    invitation_id BIGINT REFERENCES invitations(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

CREATE TABLE reviews (
    id BIGSERIAL PRIMARY KEY,
    incident_id BIGINT NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'published')),
    facilitator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    meeting_at TIMESTAMP,
    published_at TIMESTAMP,
    published_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- auto_content is regenerated on demand; team_content is only ever written by people.
CREATE TABLE review_sections (
    id BIGSERIAL PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    section_key TEXT NOT NULL,
    auto_content TEXT,
    auto_generated_at TIMESTAMP,
    team_content TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (review_id, section_key)
);

CREATE TABLE review_section_history (
    id BIGSERIAL PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES review_sections(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at TIMESTAMP NOT NULL,
    old_content TEXT NOT NULL,
    new_content TEXT NOT NULL
);

CREATE TABLE review_participants (
    id BIGSERIAL PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT,
    role TEXT NOT NULL DEFAULT 'participant',
    token_hash TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE review_contributions (
    id BIGSERIAL PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL UNIQUE REFERENCES review_participants(id) ON DELETE CASCADE,
    went_well TEXT NOT NULL DEFAULT '',
    went_badly TEXT NOT NULL DEFAULT '',
    should_change TEXT NOT NULL DEFAULT '',
    submitted_at TIMESTAMP NOT NULL,
    merged_at TIMESTAMP
);

CREATE TABLE review_pins (
    id BIGSERIAL PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    finding_code TEXT NOT NULL,
    finding_text TEXT NOT NULL,
    message_id BIGINT REFERENCES messages(id) ON DELETE SET NULL,
    audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE improvement_actions (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL CHECK (category IN ('guidelines_templates', 'tools', 'training', 'process', 'roles_contacts', 'technical')),
    owner_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    due_date DATE,
    priority TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'wont_do')),
    incident_id BIGINT REFERENCES incidents(id) ON DELETE CASCADE,
    review_id BIGINT REFERENCES reviews(id) ON DELETE SET NULL,
    pin_id BIGINT REFERENCES review_pins(id) ON DELETE SET NULL,
    external_link TEXT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX improvement_actions_owner ON improvement_actions(owner_id, status);

CREATE TABLE action_history (
    id BIGSERIAL PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES improvement_actions(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at TIMESTAMP NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    comment TEXT
);
