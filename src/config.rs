//! Command line and environment: one clap definition for every subcommand.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// normen-registry keeps Normen's guidance material (fact sheets and guides) through its life.
#[derive(Debug, Parser)]
#[command(name = "normen-registry", version, about)]
pub struct Cli {
    /// Folder for the SQLite database and the search index.
    #[arg(long, env = "NORMEN_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// PostgreSQL URL (postgres://...); without it, SQLite in the data dir is used. Several
    /// `serve` processes may share one database, each with its own data dir.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Log lines as plain text or as JSON objects (one per line).
    #[arg(long, env = "NORMEN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// What to do; `serve` when none is given.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrates the database, loads the demo content into an empty one, and serves HTTP.
    Serve(ServeArgs),
    /// Applies pending database migrations.
    Migrate,
    /// Imports a corpus file (JSON lines, plain or .gz) or a registry export.
    Import {
        /// The file to import.
        file: PathBuf,
    },
    /// Writes the whole registry as JSON lines to standard output (or --output).
    Export {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Writes an online, consistent copy of the SQLite database to FILE.
    Backup {
        /// Where to write the copy (must not exist).
        file: PathBuf,
    },
    /// Rebuilds the search index from the database.
    Reindex,
    /// Shows which kinds of document need approval before publishing, or sets them.
    Approval {
        /// Comma-separated kinds (fact_sheet,guide,norm,template,other), or "none".
        #[arg(long)]
        required_for: Option<String>,
    },
    /// Manages users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

/// Options of `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "NORMEN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Do not load the demo content into an empty database.
    #[arg(long, env = "NORMEN_NO_DEMO")]
    pub no_demo: bool,
    /// Milliseconds between looks at the change log for other processes' writes (on
    /// PostgreSQL a notification wakes the process sooner; this is the fallback).
    #[arg(long, env = "NORMEN_POLL_INTERVAL_MS", default_value_t = 1000)]
    pub poll_interval_ms: u64,
    /// Seconds a connection may take to send a request's headers, and may sit idle between requests.
    #[arg(long, env = "NORMEN_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a request may take, upload included.
    #[arg(long, env = "NORMEN_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Most connections open at once; more wait to be accepted.
    #[arg(long, env = "NORMEN_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,
    /// The public address of the site (`https://veiledning.example.no`), for absolute links in
    /// the sitemap; without it they are built from the request's `Host`.
    #[arg(long, env = "NORMEN_BASE_URL")]
    pub base_url: Option<String>,
}

impl ServeArgs {
    /// How often the change log is read when nothing wakes the process sooner.
    pub fn poll_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.poll_interval_ms.clamp(10, 60_000))
    }

    /// The connection limits these options give.
    pub fn limits(&self) -> crate::server::ServerLimits {
        crate::server::ServerLimits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout.max(1)),
            request_timeout: std::time::Duration::from_secs(self.request_timeout.max(1)),
            max_connections: self.max_connections.max(1),
        }
    }
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            addr: "127.0.0.1:8080".parse().expect("static address"),
            no_demo: false,
            header_timeout: 10,
            request_timeout: 30,
            max_connections: 512,
            base_url: None,
            poll_interval_ms: 1000,
        }
    }
}

/// `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Adds a user and prints a new API token for it (shown once; only its hash is kept).
    Add {
        /// The user's name.
        name: String,
        /// reviewer, editor or admin.
        #[arg(long, default_value = "editor")]
        role: String,
        /// Also set a password for the web workspace (read from NORMEN_PASSWORD).
        #[arg(long, env = "NORMEN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Sets a user's password for the web workspace and ends the user's web sessions. The
    /// password is read from NORMEN_PASSWORD, or else from the first line of standard input.
    Password {
        /// The user's name.
        name: String,
    },
    /// Disables a user: no sign-in, web sessions ended, API tokens revoked.
    Disable {
        /// The user's name.
        name: String,
    },
    /// Enables a disabled user again (revoked tokens stay revoked; issue a new one).
    Enable {
        /// The user's name.
        name: String,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
