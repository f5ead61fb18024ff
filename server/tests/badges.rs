//! Certificates as Open Badges 3.0 credentials, on both databases: the JSON-LD has every
//! required field and names the holder but never their email, the signed form verifies with
//! the published key (and not once a byte changes), and the status list it points to decodes
//! to at least 16 KB in which the certificate's bit is off, then on after revocation.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::domain::status_list;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::Utc;
use cit_server::badge_key;
use common::{
    exam::{eligible, objective_bank, take_test},
    Browser, TestApp,
};
use reqwest::{header, StatusCode};
use serde_json::Value;

on_both_databases!(
    a_certificate_is_a_signed_open_badge_whose_status_bit_flips_on_revocation,
    badges_are_found_by_code_only_and_rate_limited,
);

const NAME: &str = "Robin Harlow";
const EMAIL: &str = "robin@springfield.gov";

/// GET `path` as `b` with `accept`: (status, content type, body).
async fn fetch(
    app: &TestApp,
    b: &Browser,
    path: &str,
    accept: &str,
) -> (StatusCode, String, String) {
    let response = b
        .get(app.url(path))
        .header(header::ACCEPT, accept)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// The status list's bytes, as a verifier reads them from the signed list.
async fn status_bytes(app: &TestApp, key: &Value) -> Vec<u8> {
    let (status, kind, jws) = fetch(
        app,
        &app.browser(),
        "/api/status/revocation",
        "application/vc+jwt",
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/vc+jwt")
    );
    let list =
        badge_key::verify(&jws, key).expect("the status list is signed by the published key");
    assert_eq!(list["type"][1], "BitstringStatusListCredential");
    assert_eq!(list["credentialSubject"]["type"], "BitstringStatusList");
    assert_eq!(list["credentialSubject"]["statusPurpose"], "revocation");
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    // By hand, as the spec says: multibase 'u', base64url without padding, then GZIP.
    let compressed = URL_SAFE_NO_PAD
        .decode(encoded.strip_prefix('u').unwrap())
        .unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(compressed.as_slice()),
        &mut bytes,
    )
    .unwrap();
    assert!(bytes.len() >= 16 * 1024, "{} bytes", bytes.len());
    bytes
}

async fn a_certificate_is_a_signed_open_badge_whose_status_bit_flips_on_revocation(app: &TestApp) {
    objective_bank(app).await;
    let (holder, registration) = eligible(app, NAME, EMAIL).await;
    take_test(app, &holder, registration, "0").await;
    let (id, code, index): (i64, String, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT id, verification_code, status_index FROM certificates").fetch_one(pool).await.unwrap());

    // The holder's page and the verification page link the credential.
    let (_, _, page) = app.get(&holder, "/certificates").await;
    assert!(
        page.contains(&format!("href=\"/api/badges/{code}\"")),
        "{page}"
    );
    let (_, _, page) = app.get(&app.browser(), &format!("/verify/{code}")).await;
    assert!(
        page.contains(&format!("href=\"/api/badges/{code}/jwt\"")),
        "{page}"
    );

    // The JSON-LD: every field OB 3.0 requires, the holder's name, no email.
    let visitor = app.browser();
    let (status, kind, body) = fetch(app, &visitor, &format!("/api/badges/{code}"), "*/*").await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/ld+json"),
        "{body}"
    );
    assert!(
        !body.contains(EMAIL) && !body.contains("springfield"),
        "{body}"
    );
    let c: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(c["@context"][0], "https://www.w3.org/ns/credentials/v2");
    assert_eq!(
        c["@context"][1],
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    );
    assert_eq!(
        c["type"],
        serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(c["id"], app.url(&format!("/api/badges/{code}")));
    assert_eq!(c["issuer"]["type"], serde_json::json!(["Profile"]));
    assert_eq!(c["issuer"]["url"], app.base);
    for field in ["validFrom", "validUntil", "name"] {
        assert!(c[field].is_string(), "{field} missing: {c}");
    }
    let subject = &c["credentialSubject"];
    assert_eq!(subject["type"], serde_json::json!(["AchievementSubject"]));
    assert_eq!(subject["identifier"][0]["identityHash"], NAME);
    let achievement = &subject["achievement"];
    for field in ["id", "name", "description"] {
        assert!(
            achievement[field].is_string(),
            "achievement {field} missing: {c}"
        );
    }
    assert_eq!(achievement["type"], serde_json::json!(["Achievement"]));
    assert!(achievement["criteria"]["narrative"].is_string());
    let entry = &c["credentialStatus"];
    assert_eq!(entry["type"], "BitstringStatusListEntry");
    assert_eq!(entry["statusPurpose"], "revocation");
    assert_eq!(entry["statusListIndex"], index.to_string());
    assert_eq!(
        entry["statusListCredential"],
        app.url("/api/status/revocation")
    );
    // The issuer's profile is published where its id says.
    let (status, _, profile) = fetch(app, &visitor, "/api/issuer", "*/*").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&profile).unwrap()["id"],
        c["issuer"]["id"]
    );

    // Signed: verifies with the published key, and its payload is the same credential.
    let (status, _, jwks) = fetch(app, &visitor, "/.well-known/jwks.json", "*/*").await;
    assert_eq!(status, StatusCode::OK);
    let key = serde_json::from_str::<Value>(&jwks).unwrap()["keys"][0].clone();
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    assert!(key.get("d").is_none(), "never the private key");
    let (status, kind, jws) = fetch(app, &visitor, &format!("/api/badges/{code}/jwt"), "*/*").await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/vc+jwt")
    );
    let payload = badge_key::verify(&jws, &key).expect("signature verifies");
    assert_eq!(payload, c);
    // One byte changed anywhere in the payload: no longer verifies.
    let (head, rest) = jws.split_once('.').unwrap();
    let (body, sig) = rest.split_once('.').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(body).unwrap();
    let at = bytes
        .windows(NAME.len())
        .position(|w| w == NAME.as_bytes())
        .unwrap();
    bytes[at] = b'B';
    let forged = format!("{head}.{}.{sig}", URL_SAFE_NO_PAD.encode(&bytes));
    assert_eq!(badge_key::verify(&forged, &key), None);
    // The same signed form by content negotiation on the credential's id.
    let (_, kind, negotiated) = fetch(
        app,
        &visitor,
        &format!("/api/badges/{code}"),
        "application/vc+jwt",
    )
    .await;
    assert_eq!(kind, "application/vc+jwt");
    assert!(badge_key::verify(&negotiated, &key).is_some());

    // The status list: the bit is off, then on after revocation.
    let index = usize::try_from(index).unwrap();
    assert!(!status_list::bit(&status_bytes(app, &key).await, index));
    let admin: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = 'registrar@cit.org'").fetch_one(pool).await.unwrap());
    app::db::certificates::revoke(&app.db, id, "Issued in error", admin, Utc::now())
        .await
        .unwrap();
    let bytes = status_bytes(app, &key).await;
    assert!(status_list::bit(&bytes, index));
    assert_eq!(
        bytes.iter().map(|b| b.count_ones()).sum::<u32>(),
        1,
        "only this certificate's bit"
    );
    // The JSON form decodes the same way.
    let (_, _, list) = fetch(app, &visitor, "/api/status/revocation", "*/*").await;
    let list: Value = serde_json::from_str(&list).unwrap();
    let decoded =
        status_list::decode(list["credentialSubject"]["encodedList"].as_str().unwrap()).unwrap();
    assert!(status_list::bit(&decoded, index));
}

async fn badges_are_found_by_code_only_and_rate_limited(app: &TestApp) {
    let visitor = app.browser();
    let (status, _, body) = fetch(app, &visitor, "/api/badges/ABCDEFGHJKMNPQRS", "*/*").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(!body.contains("ABCDEFGHJKMNPQRS"));
    let limit = app::api::certificates::server::LOOKUP_LIMIT;
    for _ in 0..limit {
        fetch(app, &visitor, "/api/badges/ABCDEFGHJKMNPQRS/jwt", "*/*").await;
    }
    let (status, ..) = fetch(app, &visitor, "/api/badges/ABCDEFGHJKMNPQRS/jwt", "*/*").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // The status list and the key are not look-ups: still served.
    let (status, ..) = fetch(app, &visitor, "/api/status/revocation", "*/*").await;
    assert_eq!(status, StatusCode::OK);
}
