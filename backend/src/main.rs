use confab::config::{ConfigError, Loaded};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let loaded = match Loaded::from_args(std::env::args_os()) {
        Ok(loaded) => loaded,
        // --help, --version and bad flags print as clap prints them.
        Err(ConfigError::Flags(error)) => error.exit(),
        Err(error) => {
            eprintln!(
                "error: {}",
                anyhow::Error::from(error)
                    .chain()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(": ")
            );
            std::process::exit(2);
        }
    };
    if loaded.config.print_config {
        print!("{}", loaded.describe());
        return Ok(());
    }
    let config = loaded.config;
    let logs = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "confab=info".into()))
        .with_writer(std::io::stderr);
    match config.log_format {
        confab::config::LogFormat::Text => logs.init(),
        confab::config::LogFormat::Json => logs.json().init(),
    }
    // Every connection is a file descriptor; the usual soft limit of 1024 is far
    // below --max-connections. Raise it to the hard limit the system allows.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "file descriptor limit"),
        Err(error) => tracing::warn!(%error, "could not raise the file descriptor limit"),
    }
    if let Some(confab::config::Command::Admin(command)) = &config.command {
        return confab::admin::run(&config, command).await;
    }
    confab::server::run(config, confab::server::shutdown_signal()).await
}
