//! The `normen-registry` binary: parses the command line and runs one subcommand.

use std::io::IsTerminal;

use anyhow::Context;
use clap::Parser;
use migration::MigratorTrait;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use normen_registry::config::{Cli, Command, LogFormat, ServeArgs, UserCommand};
use normen_registry::entities::document;
use std::sync::Arc;

use index::SearchIndex;
use normen_registry::services::{approvals, demo, export, import, search, users};
use normen_registry::{AppState, build_router, db};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    let db = db::connect(cli.database_url.as_deref(), &cli.data_dir).await?;
    migration::Migrator::up(&db, None)
        .await
        .context("migrating the database")?;
    match command {
        Command::Serve(args) => serve(db, &cli.data_dir, args).await,
        Command::Migrate => {
            println!("database is up to date");
            Ok(())
        }
        Command::Import { file } => run_import(&db, &file).await,
        Command::Export { output } => {
            let counts = match output {
                Some(path) => {
                    let file =
                        std::fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
                    export::export(&db, &mut std::io::BufWriter::new(file)).await?
                }
                None => export::export(&db, &mut std::io::BufWriter::new(std::io::stdout().lock())).await?,
            };
            eprintln!(
                "exported {} documents, {} versions, {} other records",
                counts.documents, counts.versions, counts.other
            );
            Ok(())
        }
        Command::Backup { file } => {
            export::backup_sqlite(&db, &file).await?;
            println!("backed up to {}", file.display());
            Ok(())
        }
        Command::Reindex => reindex(&db, &cli.data_dir).await,
        Command::Approval { required_for } => {
            let rules = match required_for {
                None => approvals::rules(&db).await,
                Some(list) => {
                    let required_for = list
                        .split(',')
                        .map(str::trim)
                        .filter(|k| !k.is_empty() && *k != "none")
                        .map(str::to_string)
                        .collect();
                    approvals::set_rules(&db, "cli", &approvals::ApprovalRules { required_for }).await
                }
            }
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            if rules.required_for.is_empty() {
                println!("approval before publishing: required for no kind");
            } else {
                println!(
                    "approval before publishing: required for {}",
                    rules.required_for.join(", ")
                );
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::Add { name, role, password },
        } => {
            let role = role.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let hash = password.map(|p| users::hash_password(&p)).transpose()?;
            let token = users::add_user(&db, &name, role, hash)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("added {name} as {role}; API token (shown once):");
            println!("{token}");
            Ok(())
        }
        Command::User {
            command: UserCommand::Password { name },
        } => {
            let password = read_password()?;
            let hash = users::hash_password(&password)?;
            let ended = users::set_password(&db, "cli", users::UserRef::Name(&name), hash)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("set the password of {name}; ended {ended} web sessions");
            Ok(())
        }
        Command::User {
            command: UserCommand::Disable { name },
        } => {
            let done = users::disable_user(&db, "cli", None, users::UserRef::Name(&name))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "disabled {name}; ended {} web sessions, revoked {} API tokens",
                done.sessions, done.tokens
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Enable { name },
        } => {
            users::enable_user(&db, "cli", users::UserRef::Name(&name))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("enabled {name}");
            Ok(())
        }
    }
}

/// The new password: NORMEN_PASSWORD, or else the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("NORMEN_PASSWORD") {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        eprintln!("new password (one line):");
    }
    use std::io::{BufRead, Read};
    let mut line = String::new();
    // Bounded: a password is at most 1024 characters.
    std::io::stdin()
        .lock()
        .take(8 * 1024)
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => logs.json().init(),
        // Colour codes only on a terminal: a log piped to a file stays plain text.
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

/// Takes the data dir for this process alone: its search index has one writer. The lock is
/// held as long as the returned file is open, and the system lets go of it when the process
/// ends, however it ends.
fn lock_data_dir(data_dir: &std::path::Path) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create data dir {}", data_dir.display()))?;
    let path = data_dir.join("serve.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another normen-registry process is using the data dir {} (its search index has one writer); \
             give each process its own --data-dir, or stop the other one",
            data_dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
    }
}

/// Opens the search index in the data dir (it stays local also when the database is PostgreSQL).
fn open_index(data_dir: &std::path::Path) -> anyhow::Result<Arc<SearchIndex>> {
    let dir = data_dir.join("index");
    let index = SearchIndex::open(&dir).with_context(|| format!("opening the search index in {}", dir.display()))?;
    Ok(Arc::new(index))
}

async fn serve(db: DatabaseConnection, data_dir: &std::path::Path, args: ServeArgs) -> anyhow::Result<()> {
    let _lock = lock_data_dir(data_dir)?;
    let base_url = args
        .base_url
        .as_deref()
        .map(normen_registry::links::check_base_url)
        .transpose()?;
    if !args.no_demo && document::Entity::find().count(&db).await? == 0 {
        // Demo content is a convenience: if it cannot be loaded, say so and serve anyway.
        match demo::load(&db).await {
            Ok(n) => tracing::info!(documents = n, "loaded demo content into the empty registry"),
            Err(e) => tracing::error!(error = %e, "loading demo content failed; serving without it"),
        }
    }
    let index = search::SearchHandle::new(open_index(data_dir)?);
    let state = AppState::new(db.clone(), index.clone()).with_base_url(base_url);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    // Requests wait for the first catch-up (the probes do not: `/readyz` says 503 meanwhile);
    // then the loop follows the other processes' writes.
    let follower = tokio::spawn({
        let (index, db, poll, stopped) = (index.clone(), db.clone(), args.poll_interval(), until_stopped());
        async move {
            match index.catch_up(&db).await {
                Ok(done) => tracing::info!(
                    change = done.applied,
                    applied = done.changes,
                    rebuilt = done.rebuilt,
                    "search index is up to date"
                ),
                Err(e) => tracing::error!(error = %e, "catching up at start failed; the loop tries again"),
            }
            index.follow(db, poll, stopped).await;
        }
    });
    // Registered before the address is printed: from then on a SIGTERM is a graceful stop.
    let shutdown = shutdown_signal()?;
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: no new connections, finishing open requests");
        let _ = stop.send(true);
    });
    println!("normen-registry is running at http://{}/", listener.local_addr()?);
    normen_registry::server::serve(listener, build_router(state), args.limits(), until_stopped()).await?;
    let _ = follower.await;
    let held = index.close().await;
    tracing::info!(
        change = held,
        "stopped; the search index holds every change up to this one"
    );
    Ok(())
}

fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot listen for SIGTERM")?;
    Ok(async move {
        #[cfg(unix)]
        let term = async move {
            term.recv().await;
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        tokio::select! { () = ctrl_c => {}, () = term => {} }
    })
}

async fn reindex(db: &DatabaseConnection, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let _lock = lock_data_dir(data_dir)?;
    let index = open_index(data_dir)?;
    let bar = progress_bar("documents");
    let mut progress = |done: usize, total: usize| report(bar.as_ref(), done, total, "documents read");
    let n = search::rebuild(db, &index, &mut progress)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    println!("reindexed {n} entries in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// A progress bar on a terminal; `None` (plain lines) otherwise.
fn progress_bar(unit: &str) -> Option<indicatif::ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {unit} {{elapsed}}"))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

fn report(bar: Option<&indicatif::ProgressBar>, done: usize, total: usize, what: &str) {
    match bar {
        Some(bar) => {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
        None if done.is_multiple_of(100) || done == total => eprintln!("{done}/{total} {what}"),
        None => {}
    }
}

async fn run_import(db: &DatabaseConnection, file: &std::path::Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bar = progress_bar("documents");
    let mut progress = |done: usize, total: usize| report(bar.as_ref(), done, total, "documents imported");
    let summary = import::import_file(db, file, &mut progress).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for (line, why) in &summary.skipped {
        eprintln!("line {line}: skipped: {why}");
    }
    println!(
        "{}: {} lines, {} documents added, {} extended, {} unchanged, {} versions added, {} withdrawn, {} lines skipped ({:.1} s)",
        file.display(),
        summary.lines,
        summary.documents_added,
        summary.documents_extended,
        summary.unchanged_documents,
        summary.versions_added,
        summary.withdrawn,
        summary.skipped.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
