use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use pacatlas::{
    cli::{CiCommand, Cli, Command, FundingCommand, SitesCommand, TokenCommand},
    config::Config,
    db, demo, http, ingest, search, telemetry,
};

fn main() {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pacatlas: {e}");
            std::process::exit(2);
        }
    };
    telemetry::init(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    if let Err(e) = runtime.block_on(run(cli.command, config)) {
        tracing::debug!(error = format!("{e:#}"), "command failed");
        eprintln!("pacatlas: {e:#}");
        std::process::exit(1);
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Migrate => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            tracing::info!("migrations applied");
        }
        Command::Serve => {
            let pool = db::connect_serving(&config).await?;
            db::migrate(&pool).await?;
            let addr = config.site_addr;
            let index = search::open_index(&config)?;
            if let Err(e) = index.prepare().await {
                tracing::warn!(error = %e, "search engine not ready; pages answer from PostgreSQL until it is");
            }
            pacatlas::catalog::statistics::spawn_refresh(pool.clone(), std::time::Duration::from_secs(30));
            pacatlas::builds::schedule::spawn(pool.clone(), &config.ci);
            pacatlas::archival::schedule::spawn(pool.clone(), &config);
            pacatlas::accounts::session::spawn_cleanup(pool.clone(), std::time::Duration::from_secs(3600));
            pacatlas::criticality::schedule::spawn(pool.clone(), std::time::Duration::from_secs(60));
            pacatlas::accounts::claims::spawn_expiry(
                pool.clone(),
                config.accounts.claim_expiry_days,
                std::time::Duration::from_secs(3600),
            );
            let state = http::AppState::new(config, pool, index);
            http::spawn_watchers(&state);
            state.search.clone().spawn_sync(std::time::Duration::from_secs(2));
            let listener =
                tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
            tracing::info!(%addr, "serving Pacatlas on http://{addr}");
            http::serve(listener, http::router(state)).await?;
        }
        Command::Ingest { ecosystem, channel, revision, url, sources } => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            let progress = ingest::progress::for_cli();
            let request = ingest::Request { ecosystem, channel, channel_url: url, revision, sources };
            let summary = ingest::run(&pool, config.ingest_limits(), request, progress.as_ref()).await?;
            if summary.wrote {
                progress.message("vacuuming and analysing the catalog");
                pacatlas::catalog::statistics::refresh(&pool).await?;
            }
            println!("{summary}");
            if summary.wrote {
                criticality(&pool).await?;
            }
        }
        Command::Reindex => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            let service = search::service::SearchService::new(search::open_index(&config)?, pool);
            let started = Instant::now();
            let n = service.reindex(ingest::progress::for_cli().as_ref()).await?;
            println!("{n} documents indexed ({}) in {:.1}s", service.index.engine(), started.elapsed().as_secs_f64());
        }
        Command::Demo { if_empty } => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            if if_empty && demo::catalog_has_channels(&pool).await? {
                println!("the catalog already holds channels; demo data not loaded");
                return Ok(());
            }
            let started = Instant::now();
            for summary in demo::load(&pool, config.ingest_limits(), ingest::progress::for_cli().as_ref()).await? {
                println!("{summary}");
            }
            let builds = pacatlas::builds::demo::load(&pool).await?;
            println!("{builds} demo build results written (made-up CI services named demo-…)");
            let attested = pacatlas::platforms::demo::load(&pool).await?;
            println!("demo sites loaded (real public machines); {attested} made-up demo attestations written");
            let archival = pacatlas::archival::demo::load(&pool).await?;
            println!("{archival} demo archival results written (made up, labelled demo)");
            let claims = pacatlas::maintainers::demo::load(&pool).await?;
            println!("{claims} demo claims written (a made-up claimant, \"Demo maintainer\")");
            let accounts = pacatlas::accounts::demo::load(&pool).await?;
            println!("{accounts} demo account claims written (made-up demo-admin, demo-moderator, demo-user)");
            let funding = pacatlas::funding::demo::load(&pool).await?;
            println!("{funding} demo sponsorships written (made-up funders named Demo…, invented amounts)");
            pacatlas::catalog::statistics::refresh(&pool).await?;
            criticality(&pool).await?;
            println!("demo data loaded in {:.1}s", started.elapsed().as_secs_f64());
        }
        Command::Archival { command } => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            match command {
                pacatlas::cli::ArchivalCommand::Check { channel, stale_after, limit, request_save, save_limit } => {
                    use pacatlas::archival::{check, client::Client, save};
                    let client = Client::new(config.swh_options())?;
                    let options = check::Options { channel, stale_after, limit, ..Default::default() };
                    let progress = ingest::progress::for_cli();
                    let summary = check::run(&pool, &client, &options, progress.as_ref()).await?;
                    println!("{summary}");
                    if request_save {
                        let within = std::time::Duration::from_secs(30 * 86_400);
                        let saved =
                            save::request_saves(&pool, &client, options.channel.as_deref(), save_limit, within).await?;
                        println!("{saved}");
                    }
                }
            }
        }
        Command::Token { command } => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            match command {
                TokenCommand::Create { scope } => {
                    let created = pacatlas::accounts::tokens::create(&pool, &scope).await?;
                    // The one time the secret is shown: on stdout, never in the logs.
                    eprintln!(
                        "token {} created with scope {scope}; keep its secret now, it is not shown again:",
                        created.id
                    );
                    println!("{}", created.secret);
                }
                TokenCommand::Revoke { id } => {
                    if !pacatlas::accounts::tokens::revoke(&pool, id).await? {
                        anyhow::bail!("no live token with id {id}");
                    }
                    println!("token {id} revoked");
                }
            }
        }
        Command::Funding { command } => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            match command {
                FundingCommand::Criticality => criticality(&pool).await?,
            }
        }
        Command::Sites { command } => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            match command {
                SitesCommand::Load { file } => {
                    let name = file.display().to_string();
                    let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {name}"))?;
                    println!("{}", pacatlas::platforms::sites::load(&pool, &name, &text).await?);
                }
            }
        }
        Command::Ci { command } => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            match command {
                CiCommand::Service { name, kind, channel, ecosystem, url } => {
                    let Some(ecosystem) = ecosystem.or(kind.ecosystem()) else {
                        anyhow::bail!("a push service needs --ecosystem (guix, spack or nix)");
                    };
                    let service =
                        pacatlas::builds::ensure_service(&pool, &name, kind, url.as_deref(), ecosystem, &channel)
                            .await?;
                    println!(
                        "CI service {} ({}) builds {}/{}",
                        service.name, service.kind, service.ecosystem, service.channel
                    );
                }
                CiCommand::Import { kind, service, url, channel, latest, since, evaluations, jobset } => {
                    use pacatlas::builds::{import, since::parse_since};
                    let mut request = import::Request::new(kind, &service, &url, &channel);
                    request.latest = latest;
                    request.evaluations = evaluations;
                    request.jobset = jobset;
                    request.since = since
                        .as_deref()
                        .map(|s| parse_since(s, chrono::Utc::now()))
                        .transpose()
                        .map_err(|e| anyhow::anyhow!("--since: {e}"))?;
                    let progress = ingest::progress::for_cli();
                    println!("{}", import::run(&pool, &request, progress.as_ref()).await?);
                }
            }
        }
    }
    Ok(())
}

/// Recomputes the criticality with a progress line, and says what it did.
async fn criticality(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let started = Instant::now();
    let progress = ingest::progress::for_cli();
    match pacatlas::criticality::recompute(pool, progress.as_ref()).await? {
        pacatlas::criticality::Outcome::Done(summary) => {
            println!("{summary}; {:.1}s in all", started.elapsed().as_secs_f64())
        }
        pacatlas::criticality::Outcome::Skipped => {
            println!("criticality is being computed by another process; skipped")
        }
    }
    Ok(())
}
