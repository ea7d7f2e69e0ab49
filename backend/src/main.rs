use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = confab::Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "confab=info".into()))
        .with_writer(std::io::stderr)
        .init();
    confab::server::run(config, confab::server::shutdown_signal()).await
}
