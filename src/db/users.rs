use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::users;
use super::{DbConn, StoreError, StoreResult, now};
use crate::domain::{Role, User};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    password_hash: Option<String>,
    locale: String,
    time_zone: Option<String>,
    active: bool,
    created_at: NaiveDateTime,
}

impl UserRow {
    fn into_user(self) -> StoreResult<(User, Option<String>)> {
        let role = self
            .role
            .parse::<Role>()
            .map_err(|e| StoreError::Corrupt(format!("user {}: {e}", self.id)))?;
        let has_password = self.password_hash.is_some();
        Ok((
            User {
                id: self.id,
                email: self.email,
                name: self.name,
                role,
                locale: self.locale,
                time_zone: self.time_zone,
                active: self.active,
                has_password,
                created_at: self.created_at,
            },
            self.password_hash,
        ))
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct UserInsertForm<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub password_hash: Option<&'a str>,
    pub locale: &'a str,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// E-mail addresses are compared case-insensitively; they are stored lower-cased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

pub fn insert(conn: &mut DbConn, form: &UserInsertForm) -> StoreResult<i64> {
    Ok(diesel::insert_into(users::table)
        .values(form)
        .returning(users::id)
        .get_result(conn)?)
}

pub fn find(conn: &mut DbConn, id: i64) -> StoreResult<Option<User>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(|r| r.into_user().map(|(u, _)| u))
        .transpose()
}

/// The user and their password hash, for login.
pub fn find_by_email_with_hash(
    conn: &mut DbConn,
    email: &str,
) -> StoreResult<Option<(User, Option<String>)>> {
    users::table
        .filter(users::email.eq(normalise_email(email)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(UserRow::into_user)
        .transpose()
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> StoreResult<Option<User>> {
    Ok(find_by_email_with_hash(conn, email)?.map(|(u, _)| u))
}

pub fn list(conn: &mut DbConn) -> StoreResult<Vec<User>> {
    users::table
        .order(users::name.asc())
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| r.into_user().map(|(u, _)| u))
        .collect()
}

pub fn set_password(conn: &mut DbConn, id: i64, hash: &str) -> StoreResult<()> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

pub fn update_profile(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    locale: &str,
    time_zone: Option<&str>,
) -> StoreResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name),
            users::locale.eq(locale),
            users::time_zone.eq(time_zone),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_locale(conn: &mut DbConn, id: i64, locale: &str) -> StoreResult<()> {
    diesel::update(users::table.find(id))
        .set(users::locale.eq(locale))
        .execute(conn)?;
    Ok(())
}

pub fn update_admin_fields(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    role: Role,
    active: bool,
) -> StoreResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name),
            users::role.eq(role.as_str()),
            users::active.eq(active),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn count_active_admins(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(users::table
        .filter(users::role.eq("admin"))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)?)
}
