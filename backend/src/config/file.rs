//! The config file (`--config PATH`): TOML whose keys are the long flag names
//! (`max-rooms = 500`, `allowed-origin = ["https://a.example"]`).
//!
//! Precedence is flag, then environment, then file, then built-in default. Clap
//! already ranks a flag over its environment variable over its default, so the
//! file's values are installed as the defaults of a second parse: nothing here
//! re-implements that ranking, and every value the file gives goes through the
//! same parser and checks as the flag it stands for.

use super::Config;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::path::PathBuf;

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the config file {path} is not valid TOML")]
    Syntax {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("unknown key `{key}` in the config file {path}")]
    UnknownKey { path: PathBuf, key: String },
    #[error("`{key}` in the config file {path} must be a string, a number or a list of them")]
    BadValue { path: PathBuf, key: String },
    #[error(transparent)]
    Flags(#[from] clap::Error),
}

/// Flags that belong on the command line only.
const NOT_IN_FILE: [&str; 4] = ["config", "print-config", "help", "version"];

/// The effective configuration and where each value came from.
pub struct Loaded {
    pub config: Config,
    matches: ArgMatches,
    /// The keys the file set: clap reports their values as defaults.
    file_keys: Vec<String>,
}

impl Loaded {
    /// Reads flags, environment and the config file they name, in that order of
    /// precedence.
    pub fn from_args<I, T>(args: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let first = Config::command().try_get_matches_from(&args)?;
        let (matches, file_keys) = match first.get_one::<PathBuf>("config") {
            // A fresh command: defaults installed into one clap has already
            // parsed with were seen to win even over a flag.
            Some(path) => {
                let (command, keys) = with_file_defaults(Config::command(), path)?;
                (command.try_get_matches_from(&args)?, keys)
            }
            None => (first, Vec::new()),
        };
        let config = Config::from_arg_matches(&matches)?;
        Ok(Self {
            config,
            matches,
            file_keys,
        })
    }

    /// The effective configuration as a config file, each line saying where its
    /// value came from; secrets masked.
    pub fn describe(&self) -> String {
        let mut out = String::from("# confab's effective configuration\n");
        for arg in Config::command().get_arguments() {
            let (Some(key), id) = (arg.get_long(), arg.get_id().as_str()) else {
                continue;
            };
            if NOT_IN_FILE.contains(&key) {
                continue;
            }
            let source = match self.matches.value_source(id) {
                Some(ValueSource::CommandLine) => "flag",
                Some(ValueSource::EnvVariable) => "environment",
                Some(ValueSource::DefaultValue) if self.file_keys.iter().any(|k| k == key) => {
                    "file"
                }
                Some(ValueSource::DefaultValue) => "default",
                _ => "unset",
            };
            let values: Vec<String> = self
                .matches
                .get_raw(id)
                .into_iter()
                .flatten()
                .map(|v| mask(key, &v.to_string_lossy()))
                .collect();
            let line = match values.as_slice() {
                [] => format!("# {key} =\n"),
                [one] if !matches!(arg.get_action(), clap::ArgAction::Append) => {
                    format!("{key} = {}    # {source}\n", toml_value(one))
                }
                many => {
                    let items: Vec<String> = many.iter().map(|v| toml_value(v)).collect();
                    format!("{key} = [{}]    # {source}\n", items.join(", "))
                }
            };
            out.push_str(&line);
        }
        out
    }
}

/// Installs the file's values as the defaults of `command`'s flags, and lists
/// the keys it set.
fn with_file_defaults(
    mut command: clap::Command,
    path: &PathBuf,
) -> Result<(clap::Command, Vec<String>), ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let table: toml::Table = text.parse().map_err(|source| ConfigError::Syntax {
        path: path.clone(),
        source,
    })?;
    let mut seen = Vec::new();
    for (key, value) in table {
        let id = command
            .get_arguments()
            .find(|arg| {
                arg.get_long() == Some(key.as_str()) && !NOT_IN_FILE.contains(&key.as_str())
            })
            .map(|arg| arg.get_id().clone());
        let Some(id) = id else {
            return Err(ConfigError::UnknownKey {
                path: path.clone(),
                key,
            });
        };
        let Some(values) = as_strings(&value) else {
            return Err(ConfigError::BadValue {
                path: path.clone(),
                key,
            });
        };
        command = command.mut_arg(id, |arg| arg.default_values(values));
        seen.push(key);
    }
    Ok((command, seen))
}

fn as_strings(value: &toml::Value) -> Option<Vec<String>> {
    match value {
        toml::Value::String(s) => Some(vec![s.clone()]),
        toml::Value::Integer(n) => Some(vec![n.to_string()]),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                toml::Value::Array(_) => None,
                other => as_strings(other).map(|mut v| v.remove(0)),
            })
            .collect(),
        _ => None,
    }
}

/// Numbers stay bare; everything else is a quoted, escaped TOML string.
fn toml_value(raw: &str) -> String {
    if raw.parse::<i64>().is_ok() {
        raw.to_owned()
    } else {
        toml::Value::String(raw.to_owned()).to_string()
    }
}

/// Hides secrets: the password in a URL (`postgres://user:pw@host`), and the
/// whole value of a key that names a password, secret or token.
fn mask(key: &str, value: &str) -> String {
    if ["password", "secret", "token"]
        .iter()
        .any(|w| key.contains(w))
    {
        return "********".to_owned();
    }
    let Some((scheme, rest)) = value.split_once("://") else {
        return value.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return value.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:********@{host}"),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!("confab-{name}-{}.toml", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    fn load(args: &[&str]) -> Result<Loaded, ConfigError> {
        Loaded::from_args(std::iter::once("confab").chain(args.iter().copied()))
    }

    #[test]
    fn a_flag_beats_the_file_and_the_file_beats_the_default() {
        let path = file(
            "precedence",
            "max-rooms = 5\nbig-room = 7\nallowed-origin = [\"https://a.test\", \"https://b.test\"]\n",
        );
        let loaded = load(&["--config", path.to_str().unwrap(), "--max-rooms", "6"]).unwrap();
        assert_eq!(loaded.config.max_rooms, 6, "flag");
        assert_eq!(loaded.config.big_room, 7, "file");
        assert_eq!(loaded.config.rate_per_sec, 10, "default");
        assert_eq!(
            loaded.config.allowed_origins,
            ["https://a.test", "https://b.test"]
        );
        let described = loaded.describe();
        assert!(described.contains("max-rooms = 6    # flag"), "{described}");
        assert!(described.contains("big-room = 7    # file"), "{described}");
        assert!(
            described.contains("rate-per-sec = 10    # default"),
            "{described}"
        );
        assert!(
            described
                .contains("allowed-origin = [\"https://a.test\", \"https://b.test\"]    # file"),
            "{described}"
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        let path = file("unknown", "max-rooms = 5\nmax-romos = 6\n");
        let error = load(&["--config", path.to_str().unwrap()]).err().unwrap();
        assert!(
            matches!(&error, ConfigError::UnknownKey { key, .. } if key == "max-romos"),
            "{error}"
        );
        assert!(error.to_string().contains("`max-romos`"));
    }

    #[test]
    fn a_file_value_is_checked_like_the_flag() {
        let path = file("invalid", "header-timeout = 0\n");
        assert!(matches!(
            load(&["--config", path.to_str().unwrap()]),
            Err(ConfigError::Flags(_))
        ));
        let path = file("table", "[addr]\nport = 1\n");
        assert!(matches!(
            load(&["--config", path.to_str().unwrap()]),
            Err(ConfigError::BadValue { .. })
        ));
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            mask("database-url", "postgres://confab:hunter2@db/confab"),
            "postgres://confab:********@db/confab"
        );
        assert_eq!(mask("redis-password", "hunter2"), "********");
        assert_eq!(mask("addr", "127.0.0.1:8080"), "127.0.0.1:8080");
    }
}
