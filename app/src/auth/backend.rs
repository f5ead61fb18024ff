//! axum-login's view of our accounts.

use super::password_hash::{self, HashError};
use crate::{
    db::{self, Db},
    domain::{email::Email, role::Role},
    model::CurrentUser,
};

/// The user held by a session. The password hash is the session's "auth hash": changing a
/// password ends every session of that account.
#[derive(Clone)]
pub struct SessionUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub agency: String,
    /// Kept with the session so that every page and save can show times in it without a
    /// lookup of its own.
    pub time_zone: String,
    password_hash: String,
}

// Never print the hash.
impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl SessionUser {
    pub fn current(&self) -> CurrentUser {
        CurrentUser {
            id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            agency: self.agency.clone(),
        }
    }
}

impl From<db::users::UserRecord> for SessionUser {
    fn from(r: db::users::UserRecord) -> Self {
        let role = r.role();
        Self {
            id: r.id,
            name: r.name,
            email: r.email,
            role,
            agency: r.agency,
            time_zone: r.time_zone,
            password_hash: r.password_hash,
        }
    }
}

impl axum_login::AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

/// What a sign-in form gives.
#[derive(Clone)]
pub struct Credentials {
    pub email: Email,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] HashError),
}

#[derive(Clone, Debug)]
pub struct Backend {
    db: Db,
}

impl Backend {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl axum_login::AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, BackendError> {
        let record = db::users::find_by_email(&self.db, &creds.email).await?;
        let stored = record.as_ref().map(|r| r.password_hash.clone());
        let ok = password_hash::verify(creds.password, stored).await?;
        Ok(record.filter(|_| ok).map(SessionUser::from))
    }

    async fn get_user(&self, id: &i64) -> Result<Option<SessionUser>, BackendError> {
        Ok(db::users::find_by_id(&self.db, *id)
            .await?
            .map(SessionUser::from))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;
