//! A new account's details, parsed from what the person typed. Parse, don't validate: once a
//! `NewPerson` exists, every field is known to be acceptable.

use super::{agency::AgencyType, email::Email, password};

/// Longest name or agency accepted, in characters.
pub const MAX_TEXT: usize = 200;

/// A field-level refusal: which field, and the message to show next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// What a sign-up form submits, as typed.
#[derive(Debug, Clone, Default)]
pub struct SignUpInput {
    pub name: String,
    pub email: String,
    pub password: String,
    pub agency: String,
    pub agency_type: String,
}

/// An accepted sign-up (the password is still plain: hashing is the caller's job, off the
/// async threads).
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub email: Email,
    pub password: String,
    pub agency: String,
    pub agency_type: AgencyType,
}

/// Trims and bounds a required one-line text field.
pub fn required_text(field: &'static str, value: &str, what: &str) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, format!("Enter {what}.")));
    }
    if trimmed.chars().count() > MAX_TEXT || trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            format!("Enter {what} of at most {MAX_TEXT} characters, on one line."),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Checks every field in form order and returns the first problem. `password_check` is the
/// password policy (the full one on the server).
pub fn parse_sign_up(
    input: &SignUpInput,
    password_check: impl Fn(&str, &[&str]) -> Result<(), password::PasswordError>,
) -> Result<NewPerson, FieldError> {
    let name = required_text("name", &input.name, "your full name")?;
    let email = Email::parse(&input.email).map_err(|e| FieldError::new("email", e.to_string()))?;
    let agency = required_text("agency", &input.agency, "the agency you work for")?;
    let agency_type: AgencyType =
        input
            .agency_type
            .parse()
            .map_err(|e: super::agency::UnknownAgencyType| {
                FieldError::new("agency_type", e.to_string())
            })?;
    let mut related: Vec<&str> = name.split_whitespace().collect();
    related.push(email.as_str());
    related.extend(email.as_str().split(['@', '.']));
    related.push(&agency);
    password_check(&input.password, &related)
        .map_err(|e| FieldError::new("password", e.to_string()))?;
    Ok(NewPerson {
        name,
        email,
        password: input.password.clone(),
        agency,
        agency_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SignUpInput {
        SignUpInput {
            name: "  Jane Doe ".into(),
            email: "Jane@Denver.gov".into(),
            password: "Correct-Horse-Battery-9".into(),
            agency: "Denver Police Department".into(),
            agency_type: "law_enforcement".into(),
        }
    }

    #[test]
    fn accepts_and_normalises() {
        let p = parse_sign_up(&input(), |p, _| password::check_length(p)).unwrap();
        assert_eq!(p.name, "Jane Doe");
        assert_eq!(p.email.as_str(), "jane@denver.gov");
        assert_eq!(p.agency_type, AgencyType::LawEnforcement);
    }

    #[test]
    fn names_the_field_at_fault() {
        let check = |p: &str, _: &[&str]| password::check_length(p);
        let mut i = input();
        i.name = " ".into();
        assert_eq!(parse_sign_up(&i, check).unwrap_err().field, "name");
        let mut i = input();
        i.email = "nope".into();
        assert_eq!(parse_sign_up(&i, check).unwrap_err().field, "email");
        let mut i = input();
        i.agency_type = "".into();
        assert_eq!(parse_sign_up(&i, check).unwrap_err().field, "agency_type");
        let mut i = input();
        i.password = "short".into();
        let err = parse_sign_up(&i, check).unwrap_err();
        assert_eq!(
            (err.field, err.message.as_str()),
            ("password", "Use at least 8 characters.")
        );
    }

    #[test]
    fn passes_personal_details_to_the_password_check() {
        let seen = std::cell::RefCell::new(Vec::new());
        let _ = parse_sign_up(&input(), |_, related| {
            seen.borrow_mut()
                .extend(related.iter().map(|s| s.to_string()));
            Ok(())
        });
        let seen = seen.into_inner();
        assert!(seen.contains(&"Jane".to_string()) && seen.contains(&"denver".to_string()));
    }

    #[test]
    fn refuses_control_characters_and_overlong_text() {
        assert!(required_text("name", "Jane\nDoe", "x").is_err());
        assert!(required_text("name", &"a".repeat(201), "x").is_err());
        assert_eq!(
            required_text("name", &"a".repeat(200), "x").unwrap().len(),
            200
        );
    }
}
