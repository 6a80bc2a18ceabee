//! The demo data set, embedded in the binary: real Spack packages (facts
//! only, from the spack-packages repository), the same software in the real
//! Guix channel (facts at commit 4dffeced), and demo guix-science and Nix
//! channels in their published formats. See demo/README.md.
use std::time::Instant;

use sqlx::PgPool;

use crate::{
    catalog::Ecosystem,
    ingest::{self, input, IngestError, Limits, Progress, Request, Summary},
};

struct DemoChannel {
    ecosystem: Ecosystem,
    channel: &'static str,
    url: &'static str,
    revision: Option<&'static str>,
    file: &'static str,
    bytes: &'static [u8],
}

const CHANNELS: [DemoChannel; 4] = [
    DemoChannel {
        ecosystem: Ecosystem::Spack,
        channel: "builtin",
        url: "https://github.com/spack/spack-packages",
        revision: None,
        file: "demo/spack.json",
        bytes: include_bytes!("../demo/spack.json"),
    },
    DemoChannel {
        ecosystem: Ecosystem::Guix,
        channel: "guix",
        url: "https://git.savannah.gnu.org/git/guix.git",
        // The real channel's facts at this commit (2022-02-10).
        revision: Some("4dffeced6c6e1c4ce141a76ad1f2323f6541bace"),
        file: "demo/guix-packages.json",
        bytes: include_bytes!("../demo/guix-packages.json"),
    },
    DemoChannel {
        ecosystem: Ecosystem::Guix,
        channel: "guix-science",
        url: "https://codeberg.org/guix-science/guix-science.git",
        revision: Some("demo-2026.11"),
        file: "demo/guix-science-packages.json",
        bytes: include_bytes!("../demo/guix-science-packages.json"),
    },
    DemoChannel {
        ecosystem: Ecosystem::Nix,
        channel: "nixos-25.11",
        url: "https://github.com/NixOS/nixpkgs",
        revision: Some("demo-25.11"),
        file: "demo/nix-packages.json",
        bytes: include_bytes!("../demo/nix-packages.json"),
    },
];

pub async fn catalog_has_channels(pool: &PgPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM channels)").fetch_one(pool).await
}

/// Ingests every demo channel (idempotent: loading twice changes nothing).
pub async fn load(pool: &PgPool, limits: Limits, progress: &dyn Progress) -> Result<Vec<Summary>, IngestError> {
    let mut out = Vec::new();
    for c in &CHANNELS {
        let started = Instant::now();
        let input = input::from_bytes(c.file, c.bytes.to_vec(), limits.max_bytes)?;
        let request = Request {
            ecosystem: c.ecosystem,
            channel: c.channel.to_string(),
            channel_url: Some(c.url.to_string()),
            revision: c.revision.map(str::to_string),
            sources: vec![c.file.to_string()],
        };
        out.push(ingest::run_inputs(pool, limits, request, vec![input], progress, started).await?);
    }
    Ok(out)
}
