// The one diesel schema for both backends. Mirrors migrations/{sqlite,postgres}/*/up.sql;
// the migration tests run every table through both databases.
diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        locale -> Text,
        time_zone -> Nullable<Text>,
        active -> Bool,
        calendar_token_hash -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        action_digest_on -> Nullable<Date>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        purpose -> Text,
        user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        scope_key -> Text,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        prefix -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_user_id -> Nullable<BigInt>,
        actor_label -> Text,
        action -> Text,
        target -> Nullable<Text>,
        details -> Nullable<Text>,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    audiences (id) {
        id -> BigInt,
        key -> Text,
        name_en -> Text,
        name_de -> Text,
        internal -> Bool,
        lay -> Bool,
        weight -> Double,
        position -> Integer,
    }
}

diesel::table! {
    policies (id) {
        id -> BigInt,
        severity -> Text,
        audience_id -> BigInt,
        first_message_min -> Integer,
        update_interval_min -> Integer,
        all_clear_min -> Integer,
        reply_target_min -> Integer,
    }
}

diesel::table! {
    services (id) {
        id -> BigInt,
        name -> Text,
        aliases -> Text,
        description -> Text,
    }
}

diesel::table! {
    incidents (id) {
        id -> BigInt,
        key -> Text,
        title -> Text,
        kind -> Text,
        severity -> Text,
        status -> Text,
        language -> Text,
        started_at -> Nullable<Timestamp>,
        detected_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        summary -> Text,
        affected_services -> Text,
        apology_expected -> Bool,
        source -> Nullable<Text>,
        external_id -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    incident_audiences (incident_id, audience_id) {
        incident_id -> BigInt,
        audience_id -> BigInt,
    }
}

diesel::table! {
    incident_policies (id) {
        id -> BigInt,
        incident_id -> BigInt,
        audience_id -> BigInt,
        first_message_min -> Integer,
        update_interval_min -> Integer,
        all_clear_min -> Integer,
        reply_target_min -> Integer,
    }
}

diesel::table! {
    import_batches (id) {
        id -> BigInt,
        incident_id -> Nullable<BigInt>,
        user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        format -> Text,
        file_name -> Text,
        checksum -> Text,
        counts -> Text,
        skipped -> Text,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        incident_id -> BigInt,
        occurred_at -> Timestamp,
        kind -> Text,
        description -> Text,
        source -> Nullable<Text>,
        external_id -> Nullable<Text>,
        content_hash -> Text,
        import_batch_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mentions (id) {
        id -> BigInt,
        incident_id -> BigInt,
        posted_at -> Timestamp,
        platform -> Text,
        author_handle -> Text,
        text -> Text,
        url -> Nullable<Text>,
        external_id -> Nullable<Text>,
        content_hash -> Text,
        import_batch_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        incident_id -> BigInt,
        sent_at -> Timestamp,
        channel -> Text,
        platform -> Nullable<Text>,
        author -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        body_html -> Nullable<Text>,
        language -> Text,
        kind -> Text,
        in_reply_to -> Nullable<BigInt>,
        next_update_at -> Nullable<Timestamp>,
        eta_at -> Nullable<Timestamp>,
        source -> Nullable<Text>,
        external_id -> Nullable<Text>,
        content_hash -> Text,
        import_batch_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    message_audiences (message_id, audience_id) {
        message_id -> BigInt,
        audience_id -> BigInt,
    }
}

diesel::table! {
    scores (id) {
        id -> BigInt,
        incident_id -> BigInt,
        scope -> Text,
        audience_id -> Nullable<BigInt>,
        message_id -> Nullable<BigInt>,
        dimension -> Text,
        value -> Nullable<Double>,
        measurements -> Text,
        rubric_version -> Integer,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    findings (id) {
        id -> BigInt,
        incident_id -> BigInt,
        code -> Text,
        severity -> Text,
        impact -> Double,
        text_en -> Text,
        text_de -> Text,
        audience_id -> Nullable<BigInt>,
        message_id -> Nullable<BigInt>,
        gap_from -> Nullable<Timestamp>,
        gap_to -> Nullable<Timestamp>,
        evidence -> Text,
        rubric_version -> Integer,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    recipients (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        audience_id -> Nullable<BigInt>,
        locale -> Text,
        opted_out -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    surveys (id) {
        id -> BigInt,
        incident_id -> BigInt,
        title -> Text,
        template -> Text,
        status -> Text,
        anonymous -> Bool,
        open_link_token_hash -> Nullable<Text>,
        default_locale -> Text,
        opens_at -> Nullable<Timestamp>,
        closes_at -> Nullable<Timestamp>,
        reminder_delay_hours -> Nullable<Integer>,
        max_reminders -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        title_de -> Text,
        intro_en -> Text,
        intro_de -> Text,
    }
}

diesel::table! {
    survey_audiences (survey_id, audience_id) {
        survey_id -> BigInt,
        audience_id -> BigInt,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        survey_id -> BigInt,
        position -> Integer,
        qtype -> Text,
        code -> Nullable<Text>,
        required -> Bool,
        text_en -> Text,
        text_de -> Text,
        options -> Text,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        survey_id -> BigInt,
        recipient_id -> Nullable<BigInt>,
        audience_id -> Nullable<BigInt>,
        locale -> Text,
        token_hash -> Text,
        status -> Text,
        sent_at -> Nullable<Timestamp>,
        reminders_sent -> Integer,
        last_reminder_at -> Nullable<Timestamp>,
        answered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invitation_tokens (token_hash) {
        token_hash -> Text,
        invitation_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    unsubscribe_tokens (token_hash) {
        token_hash -> Text,
        recipient_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    responses (id) {
        id -> BigInt,
        survey_id -> BigInt,
        invitation_id -> Nullable<BigInt>,
        audience_id -> Nullable<BigInt>,
        locale -> Text,
        browser_key_hash -> Nullable<Text>,
        submitted_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    answers (id) {
        id -> BigInt,
        response_id -> BigInt,
        question_id -> BigInt,
        value_number -> Nullable<Double>,
        value_text -> Nullable<Text>,
        value_choices -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        to_address -> Text,
        to_name -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        headers -> Text,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        invitation_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    reviews (id) {
        id -> BigInt,
        incident_id -> BigInt,
        status -> Text,
        facilitator_id -> Nullable<BigInt>,
        meeting_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    review_sections (id) {
        id -> BigInt,
        review_id -> BigInt,
        section_key -> Text,
        auto_content -> Nullable<Text>,
        auto_generated_at -> Nullable<Timestamp>,
        team_content -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    review_section_history (id) {
        id -> BigInt,
        section_id -> BigInt,
        user_id -> Nullable<BigInt>,
        at -> Timestamp,
        old_content -> Text,
        new_content -> Text,
    }
}

diesel::table! {
    review_participants (id) {
        id -> BigInt,
        review_id -> BigInt,
        user_id -> Nullable<BigInt>,
        name -> Text,
        email -> Nullable<Text>,
        role -> Text,
        token_hash -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    review_contributions (id) {
        id -> BigInt,
        review_id -> BigInt,
        participant_id -> BigInt,
        went_well -> Text,
        went_badly -> Text,
        should_change -> Text,
        submitted_at -> Timestamp,
        merged_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    review_pins (id) {
        id -> BigInt,
        review_id -> BigInt,
        finding_code -> Text,
        finding_text -> Text,
        message_id -> Nullable<BigInt>,
        audience_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    improvement_actions (id) {
        id -> BigInt,
        title -> Text,
        description -> Text,
        category -> Text,
        owner_id -> Nullable<BigInt>,
        due_date -> Nullable<Date>,
        priority -> Text,
        status -> Text,
        incident_id -> Nullable<BigInt>,
        review_id -> Nullable<BigInt>,
        pin_id -> Nullable<BigInt>,
        external_link -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    action_history (id) {
        id -> BigInt,
        action_id -> BigInt,
        user_id -> Nullable<BigInt>,
        at -> Timestamp,
        field -> Text,
        old_value -> Nullable<Text>,
        new_value -> Nullable<Text>,
        comment -> Nullable<Text>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(policies -> audiences (audience_id));
diesel::joinable!(incidents -> users (created_by));
diesel::joinable!(incident_audiences -> incidents (incident_id));
diesel::joinable!(incident_audiences -> audiences (audience_id));
diesel::joinable!(incident_policies -> incidents (incident_id));
diesel::joinable!(incident_policies -> audiences (audience_id));
diesel::joinable!(import_batches -> incidents (incident_id));
diesel::joinable!(import_batches -> users (user_id));
diesel::joinable!(events -> incidents (incident_id));
diesel::joinable!(events -> import_batches (import_batch_id));
diesel::joinable!(mentions -> incidents (incident_id));
diesel::joinable!(mentions -> import_batches (import_batch_id));
diesel::joinable!(messages -> incidents (incident_id));
diesel::joinable!(messages -> mentions (in_reply_to));
diesel::joinable!(messages -> import_batches (import_batch_id));
diesel::joinable!(message_audiences -> messages (message_id));
diesel::joinable!(message_audiences -> audiences (audience_id));
diesel::joinable!(scores -> incidents (incident_id));
diesel::joinable!(scores -> audiences (audience_id));
diesel::joinable!(scores -> messages (message_id));
diesel::joinable!(findings -> incidents (incident_id));
diesel::joinable!(findings -> audiences (audience_id));
diesel::joinable!(findings -> messages (message_id));
diesel::joinable!(recipients -> audiences (audience_id));
diesel::joinable!(surveys -> incidents (incident_id));
diesel::joinable!(surveys -> users (created_by));
diesel::joinable!(survey_audiences -> surveys (survey_id));
diesel::joinable!(survey_audiences -> audiences (audience_id));
diesel::joinable!(questions -> surveys (survey_id));
diesel::joinable!(invitations -> surveys (survey_id));
diesel::joinable!(invitation_tokens -> invitations (invitation_id));
diesel::joinable!(unsubscribe_tokens -> recipients (recipient_id));
diesel::joinable!(invitations -> recipients (recipient_id));
diesel::joinable!(invitations -> audiences (audience_id));
diesel::joinable!(responses -> surveys (survey_id));
diesel::joinable!(responses -> invitations (invitation_id));
diesel::joinable!(responses -> audiences (audience_id));
diesel::joinable!(answers -> responses (response_id));
diesel::joinable!(answers -> questions (question_id));
diesel::joinable!(outbox -> invitations (invitation_id));
diesel::joinable!(reviews -> incidents (incident_id));
diesel::joinable!(review_sections -> reviews (review_id));
diesel::joinable!(review_sections -> users (updated_by));
diesel::joinable!(review_section_history -> review_sections (section_id));
diesel::joinable!(review_section_history -> users (user_id));
diesel::joinable!(review_participants -> reviews (review_id));
diesel::joinable!(review_participants -> users (user_id));
diesel::joinable!(review_contributions -> reviews (review_id));
diesel::joinable!(review_contributions -> review_participants (participant_id));
diesel::joinable!(review_pins -> reviews (review_id));
diesel::joinable!(review_pins -> messages (message_id));
diesel::joinable!(review_pins -> audiences (audience_id));
diesel::joinable!(review_pins -> users (created_by));
diesel::joinable!(improvement_actions -> incidents (incident_id));
diesel::joinable!(improvement_actions -> reviews (review_id));
diesel::joinable!(improvement_actions -> review_pins (pin_id));
diesel::joinable!(action_history -> improvement_actions (action_id));
diesel::joinable!(action_history -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    staged_uploads,
    settings,
    users,
    sessions,
    one_time_tokens,
    login_attempts,
    api_tokens,
    audit_log,
    audiences,
    policies,
    services,
    incidents,
    incident_audiences,
    incident_policies,
    import_batches,
    events,
    mentions,
    messages,
    message_audiences,
    scores,
    findings,
    recipients,
    surveys,
    survey_audiences,
    questions,
    invitations,
    invitation_tokens,
    unsubscribe_tokens,
    responses,
    answers,
    outbox,
    reviews,
    review_sections,
    review_section_history,
    review_participants,
    review_contributions,
    review_pins,
    improvement_actions,
    action_history,
);

diesel::table! {
    staged_uploads (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        options -> Text,
        file_name -> Text,
        content -> Binary,
        created_at -> Timestamp,
    }
}
