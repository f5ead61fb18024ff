//! `load run`: a fresh database, the real server, the scenario, the check.

use crate::{
    acks,
    check::{self, Verdict},
    cli::{Backend, RunArgs},
    client::Browser,
    crash, limits, prepare,
    report::{self, Facts},
    server::{self, Server, Settings},
    stats::{Kind, Stats},
    taker::{self, Scenario},
    Result,
};
use app::db::{on_db, Db};
use std::{path::Path, sync::Arc, time::Duration};
use tokio::{sync::Semaphore, task::JoinSet, time::Instant};

/// Time between the last sign-in and the synchronized start.
const LEAD_IN: Duration = Duration::from_secs(3);

pub async fn run(args: RunArgs) -> Result<bool> {
    check_args(&args)?;
    let binary = server::binary(args.server_bin.clone())?;
    let files = limits::raise_open_files();
    // The server and this process each hold one connection per taker, plus their own files.
    if files < args.takers as u64 + 256 {
        eprintln!(
            "warning: the open-file limit is {files}; {} takers need about {} (raise `ulimit -Hn`)",
            args.takers,
            args.takers + 256
        );
    }
    let temp = match &args.work_dir {
        Some(_) => None,
        None => Some(tempfile::Builder::new().prefix("cit-load-").tempdir()?),
    };
    let dir = match (&args.work_dir, &temp) {
        (Some(d), _) => d.clone(),
        (None, Some(t)) => t.path().to_path_buf(),
        (None, None) => return Err("no work directory".into()),
    };
    std::fs::create_dir_all(&dir)?;
    let database = Scratch::create(&args, &dir).await?;
    let outcome = measure(&args, binary, &dir, &database.url).await;
    // A run that broke keeps its work directory: the server's log says why.
    if args.keep || outcome.is_err() {
        if let Some(t) = temp {
            let kept = t.keep();
            println!("kept {} and {}", kept.display(), database.url);
        } else {
            println!("kept {} and {}", dir.display(), database.url);
        }
    } else {
        database.drop().await;
    }
    outcome
}

fn check_args(args: &RunArgs) -> Result<()> {
    if args.takers == 0 || args.questions == 0 || args.saves_per_question == 0 {
        return Err("--takers, --questions and --saves-per-question must be at least 1".into());
    }
    if !(5..=600).contains(&args.minutes) || args.autosave_secs == 0 {
        return Err("--minutes must be 5 to 600 and --autosave-secs at least 1".into());
    }
    if args.rush_secs < 3 || args.rush_secs >= length(args).as_secs() {
        return Err("--rush-secs must be at least 3 and shorter than the run".into());
    }
    Ok(())
}

/// How long takers work: until the deadline, or less with --run-secs.
fn length(args: &RunArgs) -> Duration {
    let limit = args.minutes.unsigned_abs() * 60;
    Duration::from_secs(args.run_secs.map_or(limit, |r| r.min(limit)))
}

/// The scratch database: a SQLite file in the work directory, or a new PostgreSQL database.
struct Scratch {
    url: String,
    /// (server URL, database name) to drop afterwards.
    postgres: Option<(String, String)>,
}

impl Scratch {
    async fn create(args: &RunArgs, dir: &Path) -> Result<Scratch> {
        match args.db {
            Backend::Sqlite => Ok(Scratch {
                url: format!("sqlite://{}", dir.join("load.db").display()),
                postgres: None,
            }),
            Backend::Postgres => {
                let name = format!("cit_load_{}", rand::random::<u32>());
                let admin = sqlx::PgPool::connect(&args.postgres_url)
                    .await
                    .map_err(|e| format!("PostgreSQL at {}: {e}", args.postgres_url))?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await?;
                admin.close().await;
                Ok(Scratch {
                    url: with_database(&args.postgres_url, &name),
                    postgres: Some((args.postgres_url.clone(), name)),
                })
            }
        }
    }

    async fn drop(self) {
        let Some((server, name)) = self.postgres else {
            return;
        };
        match sqlx::PgPool::connect(&server).await {
            Ok(admin) => {
                if let Err(e) = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await
                {
                    eprintln!("warning: could not drop {name}: {e}");
                }
                admin.close().await;
            }
            Err(e) => eprintln!("warning: could not drop {name}: {e}"),
        }
    }
}

/// The URL with its database name replaced (query string kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let root = base[after_scheme..]
        .find('/')
        .map_or(base, |i| &base[..after_scheme + i]);
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

async fn measure(
    args: &RunArgs,
    binary: std::path::PathBuf,
    dir: &Path,
    url: &str,
) -> Result<bool> {
    let backend = match args.db {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!(
        "preparing {} takers on {backend} in {}",
        args.takers,
        dir.display()
    );
    let began = Instant::now();
    let db = cit_server::commands::migrate::open_migrated(url).await?;
    let test = prepare::Test {
        takers: args.takers,
        questions: args.questions,
        minutes: args.minutes,
    };
    let takers = prepare::prepare(&db, test).await?;
    db.close().await;
    let prepared = began.elapsed();

    let settings = Settings {
        binary,
        database_url: url.to_owned(),
        data_dir: dir.to_path_buf(),
        bind: server::free_address()?,
        log: dir.join("server.log"),
        env: args.server_env.clone(),
    };
    let server = Server::start(&settings).await?;
    let base: Arc<str> = Arc::from(settings.base_url());
    println!("server at {base}, log {}", settings.log.display());

    let stats = Stats::default();
    let began = Instant::now();
    let signed = sign_in_all(args, &takers, &base, &stats).await;
    let signed_in = began.elapsed();
    let peak_sign_in = server.peak_kib();
    if !server.reset_peak() {
        eprintln!("warning: could not reset the server's peak memory; it includes the sign-ins");
    }

    let acks_path = dir.join("acks.tsv");
    let (ack_tx, writer) = acks::writer(&acks_path)?;
    let scenario = Arc::new(Scenario {
        start_at: Instant::now() + LEAD_IN,
        limit: length(args),
        autosave: Duration::from_secs(args.autosave_secs),
        saves_per_question: args.saves_per_question,
        questions: args.questions,
        rush: Duration::from_secs(args.rush_secs),
    });
    println!(
        "{} signed in in {:.0} s; all start together in {} s; the rush is the last {} s of {} s",
        signed.len(),
        signed_in.as_secs_f64(),
        LEAD_IN.as_secs(),
        args.rush_secs,
        length(args).as_secs()
    );
    let began = Instant::now();
    let (server_cpu_before, own_cpu_before) = (server.cpu(), limits::own_cpu());
    let signed_count = signed.len();
    let kill_seed = args.kill_seed.unwrap_or_else(rand::random);
    if args.kills > 0 {
        println!("crash test: {} SIGKILLs, seed {kill_seed}", args.kills);
    }
    let moments = crash::moments(args.kills, scenario.start_at, length(args), kill_seed);
    let killer = tokio::spawn(crash::kill_at(server, settings.clone(), moments));
    let analyzer = tokio::spawn(prepare::autoanalyze(app::db::connect(url).await?));
    let mut tasks = JoinSet::new();
    for t in signed {
        tasks.spawn(taker::take(
            t,
            scenario.clone(),
            stats.clone(),
            ack_tx.clone(),
        ));
    }
    drop(ack_tx);
    while tasks.join_next().await.is_some() {}
    analyzer.abort();
    let written = writer.await??;
    let ran = began.elapsed();
    let (server, crashes) = killer.await??;
    let peak_scenario = server.peak_kib();
    let server_cpu = server
        .cpu()
        .zip(server_cpu_before)
        .map(|(a, b)| a.saturating_sub(b));
    let client_cpu = limits::own_cpu().saturating_sub(own_cpu_before);
    let load = limits::load_average();
    server.stop().await;
    println!(
        "{written} acknowledged saves written to {}",
        acks_path.display()
    );

    let db = app::db::connect(url).await?;
    let verdict: Verdict = check::check(&db, &acks::read(&acks_path)?).await?;
    let attempts = attempt_statuses(&db).await?;
    db.close().await;
    let facts = Facts {
        backend,
        takers: args.takers,
        signed_in: signed_count,
        prepare: prepared,
        sign_in: signed_in,
        scenario: ran,
        peak_sign_in,
        peak_scenario,
        server_cpu,
        client_cpu,
        load,
        attempts,
    };
    report::print(&facts, &stats, &verdict);
    crashes.print();
    Ok(verdict.lost == 0)
}

/// Signs every taker in (a few at a time: each is an Argon2 hash on the server). Those who
/// fail are counted as sign-in errors and sit the scenario out.
async fn sign_in_all(
    args: &RunArgs,
    takers: &[prepare::Taker],
    base: &Arc<str>,
    stats: &Stats,
) -> Vec<taker::Taker> {
    let gate = Arc::new(Semaphore::new(args.sign_in_concurrency.max(1)));
    let timeout = Duration::from_secs(args.timeout_secs);
    let mut tasks = JoinSet::new();
    for (index, t) in takers.iter().cloned().enumerate() {
        let (gate, base, stats) = (gate.clone(), base.clone(), stats.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.ok()?;
            let browser = match Browser::new(base, timeout) {
                Ok(b) => b,
                Err(e) => {
                    stats.error(Kind::SignIn, e);
                    return None;
                }
            };
            let began = Instant::now();
            match browser.sign_in(&t.email, prepare::PASSWORD).await {
                Ok(()) => stats.ok(Kind::SignIn, began.elapsed()),
                Err(e) => {
                    stats.error(Kind::SignIn, e);
                    return None;
                }
            }
            Some(taker::Taker {
                index,
                registration_id: t.registration_id,
                browser,
            })
        });
    }
    let mut signed = Vec::with_capacity(takers.len());
    while let Some(done) = tasks.join_next().await {
        if let Ok(Some(t)) = done {
            signed.push(t);
            if signed.len() % 1000 == 0 {
                println!("  {} signed in", signed.len());
            }
        }
    }
    signed
}

async fn attempt_statuses(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(
        on_db!(db, pool => sqlx::query_as("SELECT status, COUNT(*) FROM attempts GROUP BY status ORDER BY status").fetch_all(pool).await)?,
    )
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "cit_load_1"),
            "postgres://postgres@127.0.0.1:5432/cit_load_1"
        );
        assert_eq!(
            with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
