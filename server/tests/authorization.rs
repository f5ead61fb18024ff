//! The authorization matrix (issue 10): every page, server function and file route, asked by
//! each role (visitor, attendee, certified coordinator, instructor, administrator) and for
//! records that belong to someone else, against one table of expected answers, on SQLite and
//! PostgreSQL.
//!
//! * `authorization/table.rs` is the table: what is asked and the expected answer per role.
//! * `authorization/world.rs` builds the people and records the table's `{placeholders}`
//!   name, once per database.
//! * `authorization/run.rs` asks every cell and collects every mismatch into one report.
//!
//! `every_route_is_in_the_table` fails naming each route the app serves that the table lacks,
//! and each table route the app no longer serves: the pages from the router's route list,
//! the server functions from server_fn's registry, and the other routes from
//! `cit_server::router::FILE_ROUTES` (which this test also keeps honest by reading the
//! `.route(` calls in server/src).
//!
//! To add a route: add a row to `ROWS` in `authorization/table.rs` with the constructor for
//! its kind (`page`, `call` for a server function, `get` or `upload` for a file route), the
//! route exactly as the completeness failure names it, what to request (with placeholders),
//! the form fields for a server function or upload, and the five expected answers. When the
//! answer depends on whose record is named, add a row for the caller's own record and one for
//! someone else's (add a placeholder to `world.rs` if the world lacks such a record). For a
//! function that changes things, send input that fails validation, or name a spare record;
//! mark the row `.last()` if it would still change what other rows see. For a new plain
//! axum route, also name its path with a constant and list it in `router::FILE_ROUTES`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

#[path = "authorization/run.rs"]
mod run;
#[path = "authorization/table.rs"]
mod table;
#[path = "authorization/world.rs"]
mod world;

use common::TestApp;
use std::collections::BTreeSet;
use table::{Kind, ROWS};

on_both_databases!(every_cell_answers_as_the_table_says);

async fn every_cell_answers_as_the_table_says(app: &TestApp) {
    let started = std::time::Instant::now();
    let world = world::World::build(app).await;
    let built = started.elapsed();
    let stored = run::stored_answers(app, &world).await;
    assert!(
        stored.is_empty(),
        "{} signed-in answers may be stored by a browser or proxy:\n{}",
        stored.len(),
        stored.join("\n")
    );
    let mismatches = run::run_all(app, &world).await;
    eprintln!(
        "authorization matrix: {} rows x 5 roles; world built in {built:?}, whole run {:?}",
        ROWS.len(),
        started.elapsed()
    );
    assert!(mismatches.is_empty(), "{}", run::report(&mismatches));
}

/// The routes the app serves, by kind, as (method, route).
fn served() -> BTreeSet<(&'static str, String, String)> {
    let mut routes = BTreeSet::new();
    // Generating the route list renders the app, which needs the runtime.
    let _runtime = common::runtime().enter();
    for listing in cit_server::router::route_list() {
        routes.insert(("Page", "GET".to_owned(), listing.path().to_owned()));
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        routes.insert(("ServerFn", method.to_string(), path.to_owned()));
    }
    for (method, path) in cit_server::router::FILE_ROUTES {
        routes.insert(("File", (*method).to_owned(), (*path).to_owned()));
    }
    routes
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Page => "Page",
        Kind::ServerFn => "ServerFn",
        Kind::File => "File",
    }
}

#[test]
fn every_route_is_in_the_table() {
    let served = served();
    let tabled: BTreeSet<_> = ROWS
        .iter()
        .map(|r| (kind_name(r.kind), r.method.to_owned(), r.route.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&tabled).collect();
    let stale: Vec<_> = tabled.difference(&served).collect();
    let mut problems = String::new();
    for (kind, method, route) in &missing {
        problems.push_str(&format!("not in the table: {kind} {method} {route}\n"));
    }
    for (kind, method, route) in &stale {
        problems.push_str(&format!(
            "in the table but not served: {kind} {method} {route}\n"
        ));
    }
    assert!(
        problems.is_empty(),
        "add a row to server/tests/authorization/table.rs for each route the app serves \
         (and remove rows for routes it no longer serves):\n{problems}"
    );
    // A completeness check that sees nothing would pass; make sure it saw the app.
    assert!(served.iter().filter(|r| r.0 == "Page").count() > 40);
    assert!(served.iter().filter(|r| r.0 == "ServerFn").count() > 90);
}

/// `FILE_ROUTES` is typed by hand; every `.route(` in server/src must take a named constant,
/// and there must be as many of them as the list has entries, so that a new route cannot
/// bypass the list (and so the table).
#[test]
fn every_axum_route_is_listed() {
    let mut calls = 0;
    let mut literal = Vec::new();
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                // `uploads::file_routes(state, (DOWNLOAD, get), (UPLOAD, post))` adds two
                // routes per call; its own `.route(`s take its parameters.
                let helper = path.ends_with("uploads.rs");
                for (at, _) in source.match_indices("file_routes(") {
                    if source[..at].ends_with("fn ") {
                        continue;
                    }
                    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
                    if source[line_start..at].trim_start().starts_with("//")
                        || source[line_start..at].trim_start().starts_with("use ")
                    {
                        continue;
                    }
                    calls += 2;
                    if source[at..]
                        .split_once(';')
                        .is_some_and(|(call, _)| call.contains("(\""))
                    {
                        literal.push(format!(
                            "{}:{}",
                            path.display(),
                            source[..at].lines().count()
                        ));
                    }
                }
                for (at, _) in source.match_indices(".route(") {
                    if helper {
                        continue;
                    }
                    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
                    if source[line_start..at].trim_start().starts_with("//") {
                        continue; // a comment about routes
                    }
                    calls += 1;
                    if source[at + ".route(".len()..].trim_start().starts_with('"') {
                        literal.push(format!(
                            "{}:{}",
                            path.display(),
                            source[..at].lines().count()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        literal.is_empty(),
        "name these routes' paths with constants listed in router::FILE_ROUTES: {literal:?}"
    );
    assert_eq!(
        calls,
        cit_server::router::FILE_ROUTES.len(),
        "router::FILE_ROUTES must list every .route( in server/src"
    );
}
