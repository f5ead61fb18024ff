//! Accounts.

use super::{audit, is_unique_violation, on_db, order_by, BeginWrite, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use crate::domain::{agency::AgencyType, email::Email, role::Role};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// A stored account. `password_hash` never leaves the server.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub agency: String,
    pub agency_type: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    /// The zone the person chose for dates and times ("" until they choose).
    pub time_zone: String,
    /// When the account first opened a link sent to its address; `None`: not yet.
    pub email_verified_at: Option<DateTime<Utc>>,
}

impl UserRecord {
    /// What deciding who receives a record matched by this address needs.
    pub fn facts(&self) -> crate::domain::record_holder::AccountFacts {
        crate::domain::record_holder::AccountFacts {
            email_verified: self.email_verified_at.is_some(),
            has_password: self.password_hash != crate::auth::password_hash::NO_PASSWORD,
        }
    }

    /// The stored role; an unreadable value (never written by us) counts as the least.
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Attendee)
    }
}

/// A new account, ready to store.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub agency: &'a str,
    pub agency_type: AgencyType,
    pub role: Role,
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("an account with this email already exists")]
    DuplicateEmail,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const COLUMNS: &str = "id, email, name, password_hash, agency, agency_type, role, created_at, \
                       time_zone, email_verified_at";

#[instrument(skip_all, fields(db = db.backend()))]
pub async fn insert(
    db: &Db,
    user: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<i64, InsertUserError> {
    let sql = "INSERT INTO users (email, name, password_hash, agency, agency_type, role, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
    let result: Result<i64, sqlx::Error> = on_db!(db, pool => {
        sqlx::query_scalar(sql)
            .bind(user.email.as_str())
            .bind(user.name)
            .bind(user.password_hash)
            .bind(user.agency)
            .bind(user.agency_type.as_str())
            .bind(user.role.as_str())
            .bind(now)
            .fetch_one(pool)
            .await
    });
    result.map_err(|e| {
        if is_unique_violation(&e) {
            InsertUserError::DuplicateEmail
        } else {
            InsertUserError::Db(e)
        }
    })
}

#[instrument(skip_all, fields(db = db.backend()))]
pub async fn find_by_email(db: &Db, email: &Email) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(email.as_str()).fetch_optional(pool).await)
}

#[instrument(skip_all, fields(db = db.backend(), user_id = id))]
pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// The columns the administrators' list of accounts sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    Name,
    Email,
    Role,
    Joined,
}

impl SortKey for UserSort {
    const ALL: &'static [UserSort] = &[
        UserSort::Name,
        UserSort::Email,
        UserSort::Role,
        UserSort::Joined,
    ];
    const DEFAULT: (UserSort, Dir) = (UserSort::Joined, Dir::Desc);
    fn key(self) -> &'static str {
        match self {
            UserSort::Name => "name",
            UserSort::Email => "email",
            UserSort::Role => "role",
            UserSort::Joined => "joined",
        }
    }
}

impl OrderBy for UserSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            UserSort::Name => &["LOWER(name)"],
            UserSort::Email => &["LOWER(email)"],
            UserSort::Role => &["role"],
            UserSort::Joined => &["created_at"],
        }
    }
}

/// A page of accounts in `sort` order: `limit` of them after skipping `offset`.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn list(
    db: &Db,
    sort: Sort<UserSort>,
    limit: i64,
    offset: i64,
) -> Result<Vec<UserRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users {} LIMIT $1 OFFSET $2",
        order_by(sort, "id")
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(pool).await)
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)
}

/// Changes a role and records who did it. Returns the previous role, or `None` when there is
/// no such account. `actor` is `None` for the command line.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn set_role(
    db: &Db,
    user_id: i64,
    role: Role,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<Role>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let before: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(before) = before else { return Ok(None) };
        if before != role.as_str() {
            sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
                .bind(role.as_str())
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            audit::record!(tx, actor, "user.role_changed", "user", user_id, &before, role.as_str(), now);
        }
        tx.commit().await?;
        Ok(Some(before.parse().unwrap_or(Role::Attendee)))
    })
}

/// Replaces a password hash (the command line's `user add` for an existing account, and the
/// demo accounts). Changing the hash signs the person out everywhere: sessions carry it.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn set_password_hash(
    db: &Db,
    user_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// What the settings page shows and edits.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub agency: String,
    pub agency_type: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub time_zone: String,
    pub ship_street: String,
    pub ship_city: String,
    pub ship_region: String,
    pub ship_postal_code: String,
    pub ship_country: String,
}

#[instrument(skip_all, fields(db = db.backend(), user_id = id))]
pub async fn find_account(db: &Db, id: i64) -> Result<Option<AccountRecord>, sqlx::Error> {
    let sql =
        "SELECT id, email, name, agency, agency_type, email_verified_at, time_zone, ship_street, \
               ship_city, ship_region, ship_postal_code, ship_country FROM users WHERE id = $1";
    on_db!(db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await)
}

/// Changes name, agency and agency type.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn update_profile(
    db: &Db,
    user_id: i64,
    name: &str,
    agency: &str,
    agency_type: AgencyType,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql =
        "UPDATE users SET name = $1, agency = $2, agency_type = $3, updated_at = $4 WHERE id = $5";
    on_db!(db, pool => {
        sqlx::query(sql)
            .bind(name)
            .bind(agency)
            .bind(agency_type.as_str())
            .bind(now)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Replaces the shipping address (all empty clears it).
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn update_shipping(
    db: &Db,
    user_id: i64,
    address: &crate::domain::account::ShippingAddress,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET ship_street = $1, ship_city = $2, ship_region = $3, ship_postal_code = $4, \
               ship_country = $5, updated_at = $6 WHERE id = $7";
    on_db!(db, pool => {
        sqlx::query(sql)
            .bind(&address.street)
            .bind(&address.city)
            .bind(&address.region)
            .bind(&address.postal_code)
            .bind(&address.country)
            .bind(now)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Sets the preferred time zone (an IANA name, or empty for none).
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn update_time_zone(
    db: &Db,
    user_id: i64,
    time_zone: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE users SET time_zone = $1, updated_at = $2 WHERE id = $3";
    on_db!(db, pool => {
        sqlx::query(sql).bind(time_zone).bind(now).bind(user_id).execute(pool).await.map(|_| ())
    })
}

/// Marks an address as verified without a link: accounts made at the command line, whose
/// address the operator vouches for. Records waiting for the address are attached with it.
pub async fn mark_verified(db: &Db, user_id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    use super::pending_records::AttachPending;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        (*tx).attach_pending(user_id, now).await?;
        tx.commit().await
    })
}
