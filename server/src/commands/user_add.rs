use super::migrate::anyhow_like::Result;
use app::{
    auth::password_hash,
    db::{self, users::NewUser},
    domain::{agency::AgencyType, email::Email, password, person::required_text, role::Role},
};

/// What `user add` and the demo accounts need.
pub struct Account<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub agency: &'a str,
}

/// Creates an account after the same checks as the sign-up form. Returns its id.
pub async fn create(db: &db::Db, account: &Account<'_>, password: &str) -> Result<i64> {
    let email = Email::parse(account.email).map_err(|e| format!("--email: {e}"))?;
    let name = required_text("name", account.name, "a name")
        .map_err(|e| format!("--name: {}", e.message))?;
    let role: Role = account.role.parse().map_err(|e| format!("--role: {e}"))?;
    password::check(password, &[&name, email.as_str()]).map_err(|e| format!("password: {e}"))?;
    let hash = password_hash::hash(password.to_owned()).await?;
    let new = NewUser {
        email: &email,
        name: &name,
        password_hash: &hash,
        agency: account.agency,
        agency_type: AgencyType::Other,
        role,
    };
    match db::users::insert(db, &new, app::clock::now()).await {
        Ok(id) => {
            // The operator vouches for addresses added at the command line.
            db::users::mark_verified(db, id, app::clock::now()).await?;
            Ok(id)
        }
        Err(db::users::InsertUserError::DuplicateEmail) => {
            Err(format!("an account with the email {email} already exists").into())
        }
        Err(db::users::InsertUserError::Db(e)) => Err(e.into()),
    }
}

/// Reads the password: hidden at a terminal prompt, else the first line of standard input.
pub fn read_password() -> Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        if first != again {
            return Err("the passwords differ".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(password)
}
