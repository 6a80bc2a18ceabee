use anyhow::Context;
use clap::Parser;
use pacatlas::{
    cli::{Cli, Command},
    config::Config,
    db, http, telemetry,
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = runtime.block_on(run(cli.command, config)) {
        tracing::error!(error = format!("{e:#}"), "command failed");
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
            Ok(())
        }
        Command::Serve => {
            let pool = db::connect(&config).await?;
            db::migrate(&pool).await?;
            let addr = config.site_addr;
            let state = http::AppState::new(config, pool);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            tracing::info!(%addr, "serving Pacatlas on http://{addr}");
            http::serve(listener, http::router(state)).await?;
            Ok(())
        }
    }
}
