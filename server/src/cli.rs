//! The `pacatlas` command line.
use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
}
