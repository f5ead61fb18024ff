//! Runs every (row, role) cell of the table against the fixture world and reports every cell
//! whose answer differs from the table.

use super::table::{Kind, Outcome, Role, Row, ROWS};
use super::world::World;
use crate::common::{Browser, Submitted, TestApp};
use app::error::AppError;
use reqwest::{header, StatusCode};

/// One cell whose answer was not the expected one.
pub struct Mismatch {
    pub kind: Kind,
    pub target: String,
    pub args: String,
    pub role: Role,
    pub expected: Outcome,
    pub got: String,
}

/// Runs the whole table as every role; returns the cells that did not answer as expected.
pub async fn run_all(app: &TestApp, world: &World) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    let ordered = ROWS
        .iter()
        .filter(|r| !r.last)
        .chain(ROWS.iter().filter(|r| r.last));
    for row in ordered {
        for (column, role) in Role::ALL.into_iter().enumerate() {
            let fresh;
            // Signing out ends the session; that row gets sessions of its own.
            let browser = if row.route == "/api/sign_out" {
                fresh = World::fresh_browser(app, role).await;
                &fresh
            } else {
                world.browser(role)
            };
            let got = ask(app, world, browser, row).await;
            let expected = row.expect[column];
            if got.as_ref() != Ok(&expected) {
                mismatches.push(Mismatch {
                    kind: row.kind,
                    target: world.resolve(row.target),
                    args: row
                        .args
                        .iter()
                        .map(|(k, v)| format!("{k}={}", world.resolve(v)))
                        .collect::<Vec<_>>()
                        .join("&"),
                    role,
                    expected,
                    got: match got {
                        Ok(outcome) => format!("{outcome:?}"),
                        Err(odd) => odd,
                    },
                });
            }
        }
    }
    mismatches
}

/// The table of mismatches, one line per cell.
pub fn report(mismatches: &[Mismatch]) -> String {
    let mut out = format!(
        "{} cell(s) differ from the table:\n{:<9} {:<11} {:<10} {:<10} {}\n",
        mismatches.len(),
        "kind",
        "role",
        "expected",
        "got",
        "request"
    );
    for m in mismatches {
        let args = if m.args.is_empty() {
            String::new()
        } else {
            format!(" [{}]", m.args)
        };
        out.push_str(&format!(
            "{:<9} {:<11} {:<10} {:<10} {}{}\n",
            format!("{:?}", m.kind),
            format!("{:?}", m.role),
            format!("{:?}", m.expected),
            m.got,
            m.target,
            args
        ));
    }
    out
}

/// Makes the row's request as `browser`; the outcome, or a description of an answer that is
/// neither an answer nor a refusal (a server error, a malformed request).
async fn ask(
    app: &TestApp,
    world: &World,
    browser: &Browser,
    row: &Row,
) -> Result<Outcome, String> {
    let target = world.resolve(row.target);
    let fields: Vec<(&str, String)> = row
        .args
        .iter()
        .map(|(k, v)| (*k, world.resolve(v)))
        .collect();
    match (row.kind, row.multipart) {
        (Kind::ServerFn, false) => {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let endpoint = target.trim_start_matches("/api/");
            of_submission(&app.submit(browser, "/", endpoint, &fields).await)
        }
        (Kind::ServerFn, true) => of_submission(&Submitted::from(
            post_multipart(app, browser, &target, &fields).await,
        )),
        (_, true) => {
            let response = post_multipart(app, browser, &target, &fields).await;
            let location = location(&response);
            of_http(response.status(), location.as_deref())
        }
        (_, false) => {
            let (status, location, _) = app.get(browser, &target).await;
            of_http(status, location.as_deref())
        }
    }
}

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A page, file or upload's answer.
fn of_http(status: StatusCode, location: Option<&str>) -> Result<Outcome, String> {
    let to_sign_in = location.is_some_and(|l| l == "/signin" || l.starts_with("/signin?"));
    // `/join/{meeting}` sends anyone without a seat back to the dashboard, saying the meeting
    // is unknown to them (as for one that does not exist).
    let unknown_meeting = location.is_some_and(|l| l.ends_with("?join=unknown"));
    match status.as_u16() {
        401 => Ok(Outcome::SignIn),
        _ if status.is_redirection() && to_sign_in => Ok(Outcome::SignIn),
        _ if status.is_redirection() && unknown_meeting => Ok(Outcome::NotFound),
        403 => Ok(Outcome::Forbidden),
        404 => Ok(Outcome::NotFound),
        // Answered: the page, a redirect onwards, or a complaint about the input (which
        // comes after the permission checks), or a link that is used up.
        200..=399 | 400 | 409 | 410 | 413 | 422 => Ok(Outcome::Allow),
        _ => Err(format!("HTTP {status} {}", location.unwrap_or_default())),
    }
}

/// A server function's answer to a form posted without JavaScript.
fn of_submission(done: &Submitted) -> Result<Outcome, String> {
    match &done.error {
        None if done.status.is_redirection() => Ok(Outcome::Allow),
        None => Err(format!("HTTP {}", done.status)),
        Some(AppError::Unauthenticated) => Ok(Outcome::SignIn),
        Some(AppError::Forbidden) => Ok(Outcome::Forbidden),
        Some(AppError::NotFound(_)) => Ok(Outcome::NotFound),
        // About the input or the state of things: the permission checks were passed.
        Some(
            AppError::Invalid { .. }
            | AppError::Conflict(_)
            | AppError::Finished { .. }
            | AppError::TooManyRequests(_),
        ) => Ok(Outcome::Allow),
        // Unreadable arguments or a server error: the row's request is wrong, or the app is.
        Some(other) => Err(format!("{other:?}")),
    }
}

/// Posts `fields` as a multipart form, as a browser without JavaScript sends an upload form.
async fn post_multipart(
    app: &TestApp,
    browser: &Browser,
    target: &str,
    fields: &[(&str, String)],
) -> reqwest::Response {
    const BOUNDARY: &str = "----cit-authorization-matrix";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    browser
        .post(app.url(target))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::ACCEPT, "text/html")
        .header(header::ORIGIN, &app.base)
        .header(header::REFERER, app.url("/"))
        .body(body)
        .send()
        .await
        .expect("request")
}

/// Every page and file a signed-in role fetches must say `Cache-Control: no-store` (or
/// `private, no-store`): a shared computer's back button or a proxy must never show one
/// person's result page (with its answer key) to the next (issue 22, finding 7). Returns one
/// line per response that lacks it.
pub async fn stored_answers(app: &TestApp, world: &World) -> Vec<String> {
    // Public documents, the same whoever asks and meant for verifiers and wallets to fetch
    // (and cache): a badge credential and the revocation list. Their routes set their own
    // rules.
    let public =
        |route: &str| route.starts_with("/api/badges/") || route.starts_with("/api/status/");
    let mut problems = Vec::new();
    for row in ROWS
        .iter()
        .filter(|r| r.method == "GET" && !r.multipart && r.kind != Kind::ServerFn)
        .filter(|r| !public(r.route))
    {
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Visitor) {
            let target = world.resolve(row.target);
            let response = world
                .browser(role)
                .get(app.url(&target))
                .header(header::ACCEPT, "text/html")
                .send()
                .await
                .expect("request");
            let cache = response
                .headers()
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            if !cache.split(',').any(|d| d.trim() == "no-store") {
                problems.push(format!(
                    "{role:?} GET {target}: HTTP {} Cache-Control {cache:?}",
                    response.status()
                ));
            }
        }
    }
    problems
}
