use cit_server::{
    cli::{Cli, Command, UserCommand},
    commands::{self, migrate::anyhow_like::Result},
    config::Config,
    telemetry,
};
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal; a broken one is worth saying.
    if let Err(e) = dotenvy::dotenv() {
        if !e.not_found() {
            eprintln!("warning: .env not read: {e}");
        }
    }
    telemetry::init();
    let cli = Cli::parse();
    match cit_server::config::clock_offset_days() {
        Ok(0) => {}
        Ok(days) => {
            tracing::warn!(
                days,
                "CIT_CLOCK_OFFSET_DAYS is set: the clock is moved (rehearsal only)"
            );
            app::clock::set_offset_days(days);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let config = Config::from_env(args.bind)?;
            let db = commands::migrate::open_migrated(&config.database_url).await?;
            commands::seed::if_empty(&db).await?;
            commands::serve::run(&config, db).await
        }
        Command::Migrate => {
            let config = Config::from_env(None)?;
            let db = commands::migrate::open_migrated(&config.database_url).await?;
            db.close().await;
            println!("Database migrated.");
            Ok(())
        }
        Command::Seed(args) => {
            let config = Config::from_env(None)?;
            let db = commands::migrate::open_migrated(&config.database_url).await?;
            let created = if args.demo {
                commands::seed::demonstration(&db).await?
            } else {
                commands::seed::catalog(&db).await?
            };
            db.close().await;
            println!(
                "Catalog loaded ({created} new courses){}.",
                if args.demo {
                    ", with the demonstration classes, questions and tests"
                } else {
                    ""
                }
            );
            Ok(())
        }
        Command::User(UserCommand::Add(args)) => {
            let config = Config::from_env(None)?;
            let db = commands::migrate::open_migrated(&config.database_url).await?;
            let password = commands::user_add::read_password()?;
            let account = commands::user_add::Account {
                email: &args.email,
                name: &args.name,
                role: &args.role,
                agency: &args.agency,
            };
            let id = commands::user_add::create(&db, &account, &password).await?;
            db.close().await;
            println!(
                "Account {id} created for {} ({}).",
                args.email.trim().to_lowercase(),
                args.role
            );
            Ok(())
        }
        Command::BadgeKey => {
            let pem = cit_server::badge_key::BadgeKey::generate_pem()
                .map_err(|e| format!("no key made: {e}"))?;
            print!("{pem}");
            Ok(())
        }
        Command::Backup(args) => {
            let config = Config::from_env(None)?;
            let files =
                commands::backup::run(&config.database_url, &config.data_dir, &args.to).await?;
            println!(
                "Backup written to {} (the database and {files} uploaded files).",
                args.to.display()
            );
            Ok(())
        }
        Command::Restore(args) => {
            let config = Config::from_env(None)?;
            let files = commands::backup::restore(
                &config.database_url,
                &config.data_dir,
                &args.from,
                args.force,
            )
            .await?;
            // A backup from an older version is brought up to this one.
            let db = commands::migrate::open_migrated(&config.database_url).await?;
            db.close().await;
            println!(
                "Restored from {} (the database and {files} uploaded files).",
                args.from.display()
            );
            Ok(())
        }
        Command::Demo(args) => {
            let config = Config::from_env(args.bind)?;
            let db = commands::migrate::open_migrated(&config.database_url).await?;
            commands::seed::demonstration(&db).await?;
            commands::demo::prepare(&db).await?;
            commands::demo::finished_class(&db).await?;
            commands::serve::run(&config, db).await
        }
    }
}
