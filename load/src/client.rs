//! One taker's browser: its own cookie jar and its own kept-alive connection, calling the
//! server functions the way the pages do. Forms that navigate (sign in, start, submit) are
//! sent as a browser without JavaScript sends them (accepting HTML, answered with a
//! redirect); the autosave is sent as the live app sends it (answered with JSON).

use crate::acks::Answer;
use base64::Engine;
use reqwest::{header, redirect::Policy, Client, StatusCode};
use std::{sync::Arc, time::Duration};

/// What kind of question a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Single choice with this many options.
    Single(usize),
    Text,
}

pub struct Browser {
    client: Client,
    base: Arc<str>,
}

/// A failed request, in a few words (errors are grouped by this text).
pub type Failure = String;

impl Browser {
    pub fn new(base: Arc<str>, timeout: Duration) -> Result<Browser, Failure> {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(timeout)
            // A tab open on the test keeps its connection; without this the client would
            // drop it after 90 s idle and the synchronized start would open 10,000 at once.
            .pool_idle_timeout(None)
            .pool_max_idle_per_host(1)
            .build()
            .map_err(|e| format!("client: {e}"))?;
        Ok(Browser { client, base })
    }

    /// A form post without JavaScript; returns where it redirects to.
    async fn navigate(
        &self,
        function: &str,
        from: &str,
        fields: &[(&str, &str)],
    ) -> Result<String, Failure> {
        let response = self
            .client
            .post(format!("{}/api/{function}", self.base))
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::ORIGIN, &*self.base)
            .header(header::REFERER, format!("{}{from}", self.base))
            .form(fields)
            .send()
            .await
            .map_err(describe)?;
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Read the (empty) body so that the connection goes back to the pool.
        let _ = response.bytes().await;
        match location {
            Some(l) if status.is_redirection() => match form_error(&l) {
                Some(message) => Err(message),
                None => Ok(l),
            },
            _ => Err(format!("HTTP {}", status.as_u16())),
        }
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<(), Failure> {
        let to = self
            .navigate(
                "sign_in",
                "/signin",
                &[("email", email), ("password", password)],
            )
            .await?;
        expect_path(&to, "/dashboard")
    }

    /// Starts the test; returns the attempt.
    pub async fn start(&self, registration_id: i64) -> Result<i64, Failure> {
        let id = registration_id.to_string();
        let to = self
            .navigate(
                "start_test",
                &format!("/registrations/{id}/test"),
                &[("registration_id", &id)],
            )
            .await?;
        path_of(&to)
            .strip_prefix("/attempts/")
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("redirected to {}", path_of(&to)))
    }

    /// Opens question `q` (the server-rendered page).
    pub async fn page(&self, attempt_id: i64, q: usize) -> Result<Shown, Failure> {
        let response = self
            .client
            .get(format!("{}/attempts/{attempt_id}?q={q}", self.base))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .map_err(describe)?;
        let status = response.status();
        let body = response.text().await.map_err(describe)?;
        if status != StatusCode::OK {
            return Err(format!("HTTP {}", status.as_u16()));
        }
        let options = body.matches("name=\"single\"").count();
        if options > 0 {
            Ok(Shown::Single(options))
        } else if body.contains("name=\"text\"") {
            Ok(Shown::Text)
        } else {
            Err("no single-choice or text question on the page".into())
        }
    }

    /// Autosaves an answer as save number `seq`. Ok means the server said "Saved".
    pub async fn save(
        &self,
        attempt_id: i64,
        position: usize,
        seq: i64,
        answer: &Answer,
    ) -> Result<(), Failure> {
        let (field, value) = match answer {
            Answer::Single(place) => ("single", place.to_string()),
            Answer::Text(text) => ("text", text.clone()),
        };
        let response = self
            .client
            .post(format!("{}/api/save_answer", self.base))
            .header(header::ORIGIN, &*self.base)
            .form(&[
                ("attempt_id", attempt_id.to_string()),
                ("position", position.to_string()),
                ("seq", seq.to_string()),
                (field, value),
            ])
            .send()
            .await
            .map_err(describe)?;
        let status = response.status();
        let body = response.text().await.map_err(describe)?;
        if status == StatusCode::OK && body.starts_with("\"Saved") {
            Ok(())
        } else {
            Err(format!(
                "HTTP {}: {}",
                status.as_u16(),
                body.chars().take(100).collect::<String>()
            ))
        }
    }

    pub async fn submit(&self, attempt_id: i64) -> Result<(), Failure> {
        let id = attempt_id.to_string();
        let to = self
            .navigate(
                "submit_attempt",
                &format!("/attempts/{id}/review"),
                &[("attempt_id", &id)],
            )
            .await?;
        expect_path(&to, &format!("/attempts/{id}/result"))
    }
}

fn describe(e: reqwest::Error) -> Failure {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        // The chain's innermost cause says most ("connection reset by peer").
        let mut source: &dyn std::error::Error = &e;
        while let Some(inner) = source.source() {
            source = inner;
        }
        source.to_string()
    }
}

/// The path of a Location (relative, or absolute to our server).
fn path_of(location: &str) -> &str {
    let without_scheme = location
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map(|i| &rest[i..]).unwrap_or("/"))
        .unwrap_or(location);
    without_scheme.split('?').next().unwrap_or(without_scheme)
}

fn expect_path(location: &str, want: &str) -> Result<(), Failure> {
    if path_of(location) == want {
        Ok(())
    } else {
        Err(format!("redirected to {}", path_of(location)))
    }
}

/// A failed form's error, which Leptos puts into the redirect as `__err=<base64 JSON>`.
fn form_error(location: &str) -> Option<String> {
    let (_, query) = location.split_once('?')?;
    let encoded = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("__err="))?;
    // Padding may arrive percent-encoded, or not at all.
    let cleaned = encoded.replace("%3D", "=");
    let bytes = base64::engine::general_purpose::URL_SAFE
        .decode(cleaned.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cleaned.trim_end_matches('='))
        })
        .ok();
    let text = bytes
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|| "an error".into());
    Some(text.chars().take(100).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_locations() {
        assert_eq!(path_of("/attempts/7"), "/attempts/7");
        assert_eq!(path_of("http://127.0.0.1:3000/dashboard?x=1"), "/dashboard");
    }

    #[test]
    fn form_errors_are_read_from_the_redirect() {
        let json = r#"{"Conflict":"closed"}"#;
        let encoded = base64::engine::general_purpose::URL_SAFE.encode(json);
        let location = format!("/dashboard?__path=%2Fapi%2Fstart_test&__err={encoded}");
        assert_eq!(form_error(&location).as_deref(), Some(json));
        assert_eq!(form_error("/attempts/3"), None);
    }
}
