//! Demonstration mode: demo accounts with fresh random passwords, printed on the console.

use super::{migrate::anyhow_like::Result, user_add};
use app::{auth::password_hash, db, domain::email::Email};
use rand::{distr::Alphanumeric, Rng};

/// The demonstration accounts: email, name, role, agency.
pub const ACCOUNTS: [(&str, &str, &str, &str); 3] = [
    (
        "admin@demo.cit-academy.org",
        "Avery Admin",
        "admin",
        "CIT Academy",
    ),
    (
        "instructor@demo.cit-academy.org",
        "Ingrid Instructor",
        "instructor",
        "CIT Academy",
    ),
    (
        "attendee@demo.cit-academy.org",
        "Alex Attendee",
        "attendee",
        "Metro Police Department",
    ),
];

/// A random password: 20 letters and digits (about 119 bits).
fn fresh_password() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

/// Creates the demo accounts, or gives existing ones a fresh password, and prints them.
pub async fn prepare(db: &db::Db) -> Result<()> {
    let mut lines = Vec::new();
    for (email, name, role, agency) in ACCOUNTS {
        let password = fresh_password();
        let parsed = Email::parse(email).map_err(|e| format!("{email}: {e}"))?;
        match db::users::find_by_email(db, &parsed).await? {
            Some(existing) => {
                let hash = password_hash::hash(password.clone()).await?;
                db::users::set_password_hash(db, existing.id, &hash, chrono::Utc::now()).await?;
            }
            None => {
                user_add::create(
                    db,
                    &user_add::Account {
                        email,
                        name,
                        role,
                        agency,
                    },
                    &password,
                )
                .await?;
            }
        }
        lines.push(format!("  {role:<11} {email:<34} {password}"));
    }
    println!("\nDemonstration accounts (demo mode only; new passwords every start):");
    println!("  {:<11} {:<34} password", "role", "email");
    for line in lines {
        println!("{line}");
    }
    println!();
    Ok(())
}
