//! A certificate as an Open Badges 3.0 credential
//! (<https://www.imsglobal.org/spec/ob/v3p0/>): a W3C Verifiable Credential 2.0 of type
//! `OpenBadgeCredential` whose subject holds the achievement, with its revocation read from
//! the site's Bitstring Status List. Built here as plain JSON; the server signs it.
//!
//! The holder is named by an `IdentityObject` of type `name` (plain, not hashed): the name is
//! printed on the certificate and shown on the public verification page anyway, and nothing
//! else about the person (never the email) goes into the credential.

use super::certificate::Kind;
use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde_json::{json, Value};

/// The two contexts every OB 3.0 credential names, in this order.
pub const CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// Who issues: the site.
#[derive(Debug, Clone)]
pub struct Issuer<'a> {
    /// The public address, without a trailing slash (`https://academy.example.org`).
    pub public_url: &'a str,
    pub name: &'a str,
}

impl Issuer<'_> {
    /// Where the issuer's profile is published (and its `id`).
    pub fn id(&self) -> String {
        format!("{}/api/issuer", self.public_url)
    }

    /// The OB 3.0 `Profile`.
    pub fn profile(&self) -> Value {
        json!({
            "id": self.id(),
            "type": ["Profile"],
            "name": self.name,
            "url": self.public_url,
        })
    }

    /// Where the status list credential is published.
    pub fn status_list_url(&self) -> String {
        format!("{}/api/status/revocation", self.public_url)
    }

    /// Where certificate `code`'s credential is published (and its `id`).
    pub fn credential_url(&self, code: &str) -> String {
        format!("{}/api/badges/{code}", self.public_url)
    }
}

/// What the credential says about one certificate.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The verification code (canonical form).
    pub code: &'a str,
    pub number: &'a str,
    pub kind: Kind,
    pub holder_name: &'a str,
    pub course_code: &'a str,
    pub course_title: &'a str,
    pub issued_at: DateTime<Utc>,
    /// The last valid day (in Denver); None: does not expire.
    pub expires_on: Option<NaiveDate>,
    /// The certificate's bit in the status list.
    pub status_index: i64,
}

/// The end of the last valid day: midnight in Denver after `expires_on`, as an instant.
pub fn valid_until(expires_on: NaiveDate) -> Option<DateTime<Utc>> {
    let next = expires_on.succ_opt()?.and_hms_opt(0, 0, 0)?;
    chrono_tz::America::Denver
        .from_local_datetime(&next)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// RFC 3339 in UTC, to the second (`2026-11-23T17:04:05Z`).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The achievement a kind of certificate stands for, and its type in OB 3.0's vocabulary.
fn achievement(kind: Kind, issuer: &Issuer, course_code: &str, course_title: &str) -> Value {
    let (achievement_type, description, criteria) = match kind {
        Kind::Coordinator => (
            "Certification",
            format!("Certifies the holder as a Crisis Intervention Team (CIT) program coordinator for three years from issue, with membership of the organisation while it is valid. Earned through the {course_title} course."),
            format!("Attend every live session of the {course_title} course (at least 90% of each session's minutes), settle the tuition, and pass the randomized certification test at its pass mark."),
        ),
        Kind::Completion => (
            "CertificateOfCompletion",
            format!("The holder completed the {course_title} course for emergency call-center staff: understanding the CIT model, the role of 911 in a crisis response system, and crisis call management. Does not expire."),
            format!("Be employed by an emergency call center, attend every live session of the {course_title} course, and pass its test."),
        ),
    };
    json!({
        "id": format!("{}/courses/{course_code}", issuer.public_url),
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": kind.credential(),
        "description": description,
        "criteria": { "narrative": criteria },
        "creator": issuer.profile(),
    })
}

/// The Open Badges 3.0 credential for certificate `f` (unsigned).
pub fn credential(f: &Facts, issuer: &Issuer) -> Value {
    let id = issuer.credential_url(f.code);
    let list = issuer.status_list_url();
    let mut c = json!({
        "@context": CONTEXT,
        "id": id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.profile(),
        "validFrom": timestamp(f.issued_at),
        "name": f.kind.credential(),
        "description": format!("{} {}, issued by {}.", f.kind.credential(), f.number, issuer.name),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": f.holder_name,
                "identityType": "name",
                "hashed": false,
            }],
            "achievement": achievement(f.kind, issuer, f.course_code, f.course_title),
        },
        "credentialStatus": {
            "id": format!("{list}#{}", f.status_index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": f.status_index.to_string(),
            "statusListCredential": list,
        },
    });
    if let Some(until) = f.expires_on.and_then(valid_until) {
        c["validUntil"] = Value::String(timestamp(until));
    }
    c
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const ISSUER: Issuer = Issuer {
        public_url: "https://academy.example.org",
        name: "CIT Academy",
    };

    fn facts(kind: Kind, expires_on: Option<NaiveDate>) -> Facts<'static> {
        Facts {
            code: "ABCDEFGHJKMNPQRS",
            number: "CITC-2026-000123",
            kind,
            holder_name: "Robin Harlow",
            course_code: "CITC",
            course_title: "CIT Coordinator Certification",
            issued_at: Utc.with_ymd_and_hms(2026, 11, 23, 17, 4, 5).unwrap(),
            expires_on,
            status_index: 42,
        }
    }

    /// Every property OB 3.0 and VC 2.0 require of an OpenBadgeCredential, its Profile,
    /// AchievementSubject, Achievement, Criteria and BitstringStatusListEntry.
    #[test]
    fn the_credential_has_every_required_field() {
        let c = credential(
            &facts(Kind::Coordinator, NaiveDate::from_ymd_opt(2029, 11, 23)),
            &ISSUER,
        );
        assert_eq!(c["@context"], json!(CONTEXT));
        assert_eq!(
            c["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(
            c["id"],
            "https://academy.example.org/api/badges/ABCDEFGHJKMNPQRS"
        );
        assert_eq!(c["issuer"]["id"], "https://academy.example.org/api/issuer");
        assert_eq!(c["issuer"]["type"], json!(["Profile"]));
        assert_eq!(c["issuer"]["name"], "CIT Academy");
        assert_eq!(c["issuer"]["url"], "https://academy.example.org");
        assert_eq!(c["validFrom"], "2026-11-23T17:04:05Z");
        assert_eq!(c["name"], "Certified CIT Coordinator");
        let subject = &c["credentialSubject"];
        assert_eq!(subject["type"], json!(["AchievementSubject"]));
        assert_eq!(subject["identifier"][0]["type"], "IdentityObject");
        assert_eq!(subject["identifier"][0]["identityHash"], "Robin Harlow");
        assert_eq!(subject["identifier"][0]["hashed"], false);
        let a = &subject["achievement"];
        assert_eq!(a["id"], "https://academy.example.org/courses/CITC");
        assert_eq!(a["type"], json!(["Achievement"]));
        assert_eq!(a["name"], "Certified CIT Coordinator");
        assert!(a["description"].as_str().unwrap().contains("three years"));
        assert!(a["criteria"]["narrative"]
            .as_str()
            .unwrap()
            .contains("pass"));
        let status = &c["credentialStatus"];
        assert_eq!(
            status["id"],
            "https://academy.example.org/api/status/revocation#42"
        );
        assert_eq!(status["type"], "BitstringStatusListEntry");
        assert_eq!(status["statusPurpose"], "revocation");
        assert_eq!(status["statusListIndex"], "42");
        assert_eq!(
            status["statusListCredential"],
            "https://academy.example.org/api/status/revocation"
        );
    }

    #[test]
    fn valid_until_is_the_end_of_the_last_valid_day_in_denver() {
        let c = credential(
            &facts(Kind::Coordinator, NaiveDate::from_ymd_opt(2029, 11, 23)),
            &ISSUER,
        );
        // Midnight MST (UTC-7) after 23 November 2029.
        assert_eq!(c["validUntil"], "2029-11-24T07:00:00Z");
        // Daylight time (UTC-6) in July.
        assert_eq!(
            valid_until(NaiveDate::from_ymd_opt(2029, 7, 1).unwrap()).map(timestamp),
            Some("2029-07-02T06:00:00Z".to_owned())
        );
    }

    #[test]
    fn a_certificate_of_completion_has_no_valid_until() {
        let c = credential(&facts(Kind::Completion, None), &ISSUER);
        assert!(c.get("validUntil").is_none(), "{c}");
        assert_eq!(
            c["credentialSubject"]["achievement"]["achievementType"],
            "CertificateOfCompletion"
        );
        assert_eq!(c["name"], Kind::Completion.credential());
    }
}
