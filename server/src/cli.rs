//! The `pacatlas` command line.
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::catalog::Ecosystem;

#[derive(Debug, Parser)]
#[command(name = "pacatlas", version, about = "Pacatlas: the HPC package atlas for Guix, Spack and Nix")]
pub struct Cli {
    /// Configuration file (TOML). Default: ./pacatlas.toml when it exists.
    #[arg(long, short, global = true, env = "PACATLAS_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve the portal (LEPTOS_SITE_ADDR, default 127.0.0.1:3000).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Ingest one revision of a channel from files or http(s) URLs
    /// (gzip, zstd or brotli compressed inputs are recognised).
    ///
    /// guix: packages.json (+ sources.json); spack: `spack list --format
    /// version_json` output or the per-package JSON; nix: packages.json (v2).
    Ingest {
        /// Which ecosystem's format the inputs are in.
        #[arg(value_enum)]
        ecosystem: Ecosystem,
        /// The channel's name, e.g. guix, guix-science, spack, nixos-25.05.
        #[arg(long)]
        channel: String,
        /// The channel revision (commit); default: named by the input, else its hash.
        #[arg(long)]
        revision: Option<String>,
        /// The channel's repository URL, shown on its page.
        #[arg(long)]
        url: Option<String>,
        /// Input files or URLs.
        #[arg(required = true)]
        sources: Vec<String>,
    },
    /// Rebuild the search index from the catalog (Meilisearch when MEILI_URL
    /// is set, else the embedded index; stop `serve` first for the embedded one).
    Reindex,
    /// Load the demo data set shipped in the binary (real Spack packages and
    /// Guix and Nix channels covering the same software).
    Demo {
        /// Only when the catalog holds no channel yet.
        #[arg(long)]
        if_empty: bool,
    },
    /// API tokens (the push API's bearer tokens).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Archival coverage in Software Heritage.
    Archival {
        #[command(subcommand)]
        command: ArchivalCommand,
    },
    /// CI services and their build results.
    Ci {
        #[command(subcommand)]
        command: CiCommand,
    },
    /// HPC sites, their machines and partitions (the hardware-support matrix).
    Sites {
        #[command(subcommand)]
        command: SitesCommand,
    },
    /// Funding: criticality and the critical-but-unfunded list.
    Funding {
        #[command(subcommand)]
        command: FundingCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum FundingCommand {
    /// Recomputes every project's criticality (dependents over the dependency
    /// graph, ecosystems, maintainers, funding, CI, archival; the score) in one
    /// transaction. Skipped when another computation is running.
    Criticality,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Creates a token and prints its secret, once: only its hash is stored.
    Create {
        /// What the token may do: ci:SERVICE pushes build results of that CI service;
        /// site:SITE attests what works on that site's machines.
        #[arg(long)]
        scope: String,
    },
    /// Revokes a token: requests bearing it are refused from then on.
    Revoke {
        /// The token's id, as `token create` printed it.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum CiCommand {
    /// Adds a CI service (or updates its URL and channel).
    Service {
        /// The service's name, e.g. guix-berlin (lower-case letters, digits, '.', '_', '-').
        name: String,
        #[arg(long, value_enum)]
        kind: crate::builds::Kind,
        /// The channel it builds.
        #[arg(long)]
        channel: String,
        /// The channel's ecosystem; default: guix for cuirass, nix for hydra, spack for gitlab.
        #[arg(long, value_enum)]
        ecosystem: Option<Ecosystem>,
        /// The service's base URL.
        #[arg(long)]
        url: Option<String>,
    },
    /// Imports the latest build results of a Cuirass, Hydra or GitLab CI service (adding the service when new).
    Import {
        #[arg(value_enum)]
        kind: ImportKind,
        /// The service's name in Pacatlas.
        #[arg(long)]
        service: String,
        /// The service's base URL, e.g. https://ci.guix.gnu.org or https://hydra.nixos.org;
        /// GitLab: the project's API URL, e.g. https://gitlab.spack.io/api/v4/projects/2
        #[arg(long)]
        url: String,
        /// The channel it builds.
        #[arg(long)]
        channel: String,
        /// How many of the latest builds (Cuirass, Hydra), evaluations (with --evaluations) or
        /// pipelines (GitLab) to read.
        #[arg(long, default_value_t = 1000)]
        latest: u32,
        /// Leave out what is older: an RFC 3339 date (2026-11-01, 2026-11-01T00:00:00Z) or a
        /// duration back from now (7d, 12h, 2w).
        #[arg(long)]
        since: Option<String>,
        /// Cuirass, Hydra: walk evaluation by evaluation (/api/evaluations, /jobset/…/evals)
        /// rather than reading the latest builds.
        #[arg(long)]
        evaluations: bool,
        /// Hydra: the PROJECT/JOBSET whose evaluations to walk, e.g. nixpkgs/trunk.
        #[arg(long)]
        jobset: Option<String>,
    },
}

/// The services an importer exists for.
pub use crate::builds::import::Source as ImportKind;

#[derive(Debug, Subcommand)]
pub enum ArchivalCommand {
    /// Checks every source not checked within the window against Software
    /// Heritage (swh_api_url, swh_token), then takes the coverage snapshots.
    /// Resumable: results are written batch by batch; a rerun continues.
    Check {
        /// Only this channel's sources (its name, or ecosystem/name).
        #[arg(long)]
        channel: Option<String>,
        /// Sources checked more recently than this are not checked again, e.g. 30d, 12h, 1w.
        #[arg(long, default_value = "30d", value_parser = humantime::parse_duration)]
        stale_after: std::time::Duration,
        /// Check at most this many sources.
        #[arg(long)]
        limit: Option<u64>,
        /// Then ask Software Heritage to archive the git, svn and hg origins found missing ("save code now").
        #[arg(long)]
        request_save: bool,
        /// With --request-save: at most this many requests (an origin is not asked about twice within 30 days).
        #[arg(long, default_value_t = 100)]
        save_limit: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum SitesCommand {
    /// Adds or updates the sites, machines and partitions of a TOML file
    /// (checked whole first: a wrong record writes nothing).
    Load {
        /// The TOML file (see README, "Hardware-support matrix").
        file: PathBuf,
    },
}
