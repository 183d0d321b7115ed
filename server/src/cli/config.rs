//! The configuration of `gocua serve`: a TOML file (`--config PATH` or `GOCUA_CONFIG`), the
//! `GOCUA_*` environment variables and the command-line flags, in that order of precedence
//! (a flag overrides the environment, which overrides the file, which overrides the default).
//!
//! Everything is read and checked here, before anything starts: a bad setting is one
//! [`ConfigError`] naming the setting and where it came from (`gocua.toml:4`, the environment
//! variable, the flag), and `gocua serve` exits 2 without opening the database or listening.
//! What goes down to the layers below are plain values ([`ServeConfig`]).
//!
//! docs/operations.md lists every setting with its variable; deploy/gocua.toml is an example.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::Deserialize;
use toml::Spanned;

use super::args::ServeArgs;
use crate::domain::calendar::Calendar;

/// The environment variable naming the configuration file (when `--config` is not given).
pub const CONFIG_VAR: &str = "GOCUA_CONFIG";

/// Where the listener is when nothing says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The database when nothing says otherwise: a SQLite file in the working directory.
pub const DEFAULT_DATABASE: &str = "gocua.db";

/// One setting: its name in the file, its environment variable and its flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub env: &'static str,
    pub flag: &'static str,
}

impl Setting {
    const fn new(key: &'static str, env: &'static str, flag: &'static str) -> Setting {
        Setting { key, env, flag }
    }
}

pub const LISTEN: Setting = Setting::new("listen", "GOCUA_LISTEN", "--listen");
pub const DATABASE: Setting = Setting::new("database", "GOCUA_DATABASE", "--db");
// The variable is the one the calendar has always read (domain/calendar.rs).
pub const TIME_ZONE: Setting = Setting::new(
    "time_zone",
    crate::domain::calendar::ZONE_VAR,
    "--time-zone",
);
pub const PUBLIC_URL: Setting = Setting::new("public_url", "GOCUA_PUBLIC_URL", "--public-url");
pub const TRUSTED_PROXIES: Setting = Setting::new(
    "trusted_proxies",
    "GOCUA_TRUSTED_PROXIES",
    "--trusted-proxies",
);
pub const LOG_FORMAT: Setting = Setting::new("log_format", "GOCUA_LOG_FORMAT", "--log-format");

/// `listen` in the `[metrics]` table.
pub const METRICS_LISTEN: Setting =
    Setting::new("metrics.listen", "GOCUA_METRICS_LISTEN", "--metrics-listen");

/// Every setting, in the order docs/operations.md lists them.
pub const SETTINGS: [Setting; 7] = [
    LISTEN,
    DATABASE,
    TIME_ZONE,
    PUBLIC_URL,
    TRUSTED_PROXIES,
    LOG_FORMAT,
    METRICS_LISTEN,
];

/// How log lines are written on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// What `gocua serve` runs with, every value checked.
#[derive(Clone, PartialEq)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    /// A SQLite file path or a `postgres://` URL (may hold a password: never print it).
    pub database: String,
    pub calendar: Calendar,
    /// The address phones and links use (`https://gocua.example.vn`), without a trailing `/`.
    pub public_url: Option<String>,
    /// Peers whose `X-Forwarded-*` and `X-Request-Id` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    pub log_format: LogFormat,
    /// Where Prometheus metrics are served (a listener of their own); `None`: no metrics.
    pub metrics_listen: Option<SocketAddr>,
}

/// Without the database: a postgres:// URL may hold a password.
impl fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServeConfig")
            .field("listen", &self.listen)
            .field("database", &"<not shown>")
            .field("time_zone", &self.calendar.zone_name())
            .field("public_url", &self.public_url)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log_format", &self.log_format)
            .field("metrics_listen", &self.metrics_listen)
            .finish()
    }
}

impl ServeConfig {
    /// Whether the public URL is `https://` (the dashboard's cookies are then always Secure).
    pub fn public_url_is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File { path: PathBuf, line: usize },
    Env(&'static str),
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("the default"),
            Origin::File { path, line } => write!(f, "{}:{line}", path.display()),
            Origin::Env(var) => write!(f, "environment variable {var}"),
            Origin::Flag(flag) => write!(f, "command-line flag {flag}"),
        }
    }
}

/// A bad setting: which one, where it came from, what is wrong (in English; the operator reads
/// it in a terminal or the journal, next to the Vietnamese line `gocua serve` prints before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub setting: String,
    pub origin: Origin,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: setting `{}`: {}",
            self.origin, self.setting, self.problem
        )
    }
}

impl std::error::Error for ConfigError {}

fn error(setting: &str, origin: &Origin, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        setting: setting.to_owned(),
        origin: origin.clone(),
        problem: problem.into(),
    }
}

/// The configuration file. Unknown keys are refused (a misspelt key would otherwise be ignored
/// silently). A group of settings of one part of the server is a table of its own
/// (`[metrics]`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<Spanned<String>>,
    database: Option<Spanned<String>>,
    time_zone: Option<Spanned<String>>,
    public_url: Option<Spanned<String>>,
    trusted_proxies: Option<Spanned<Vec<Spanned<String>>>>,
    log_format: Option<Spanned<String>>,
    metrics: Option<MetricsTable>,
}

/// The `[metrics]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricsTable {
    listen: Option<Spanned<String>>,
}

/// A raw value and where it came from.
struct Raw<T> {
    value: T,
    origin: Origin,
}

/// Reads the configuration: the file named by `flags.config` or `GOCUA_CONFIG` (none by
/// default), then the environment (`env` looks a variable up; empty counts as unset), then the
/// flags. Reads nothing but the file and the variables.
pub fn load(
    flags: &ServeArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ServeConfig, ConfigError> {
    let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let path = match (&flags.config, env(CONFIG_VAR)) {
        (Some(p), _) => Some(Raw {
            value: p.clone(),
            origin: Origin::Flag("--config"),
        }),
        (None, Some(p)) => Some(Raw {
            value: PathBuf::from(p),
            origin: Origin::Env(CONFIG_VAR),
        }),
        (None, None) => None,
    };
    let (file, text) = match &path {
        Some(p) => {
            let text = std::fs::read_to_string(&p.value).map_err(|e| {
                error(
                    "config",
                    &p.origin,
                    format!("cannot read {}: {e}", p.value.display()),
                )
            })?;
            (parse_file(&p.value, &text)?, text)
        }
        None => (FileConfig::default(), String::new()),
    };
    let file_path = path.as_ref().map(|p| p.value.as_path());
    let at = |span: std::ops::Range<usize>| Origin::File {
        path: file_path.unwrap_or(Path::new("")).to_path_buf(),
        line: line_of(&text, span.start),
    };
    // One string setting: the flag, else the variable, else the file, else nothing.
    let pick = |s: Setting, flag: &Option<String>, in_file: Option<Spanned<String>>| {
        if let Some(v) = flag {
            return Some(Raw {
                value: v.clone(),
                origin: Origin::Flag(s.flag),
            });
        }
        if let Some(v) = env(s.env) {
            return Some(Raw {
                value: v,
                origin: Origin::Env(s.env),
            });
        }
        in_file.map(|v| {
            let origin = at(v.span());
            Raw {
                value: v.into_inner(),
                origin,
            }
        })
    };

    let listen = match pick(LISTEN, &flags.listen, file.listen) {
        Some(raw) => parse_address(LISTEN, &raw, "127.0.0.1:8080 or [::1]:8080")?,
        None => DEFAULT_LISTEN.parse().expect("the default address"),
    };

    let database = match pick(DATABASE, &flags.db, file.database) {
        Some(raw) => check_database(&raw)?,
        None => DEFAULT_DATABASE.to_owned(),
    };

    let calendar = match pick(TIME_ZONE, &flags.time_zone, file.time_zone) {
        Some(raw) => Calendar::from_zone_name(raw.value.trim()).map_err(|_| {
            not_valid(
                TIME_ZONE,
                &raw,
                "a known IANA time zone (e.g. Asia/Ho_Chi_Minh)",
            )
        })?,
        None => Calendar::default(),
    };

    let public_url = pick(PUBLIC_URL, &flags.public_url, file.public_url)
        .map(|raw| check_public_url(&raw))
        .transpose()?;

    let trusted_proxies = if let Some(v) = &flags.trusted_proxies {
        parse_proxy_list(v, &Origin::Flag(TRUSTED_PROXIES.flag))?
    } else if let Some(v) = env(TRUSTED_PROXIES.env) {
        parse_proxy_list(&v, &Origin::Env(TRUSTED_PROXIES.env))?
    } else if let Some(list) = file.trusted_proxies {
        list.into_inner()
            .into_iter()
            .map(|item| {
                let origin = at(item.span());
                parse_proxy(item.get_ref(), &origin)
            })
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };

    let log_format = match pick(LOG_FORMAT, &flags.log_format, file.log_format) {
        Some(raw) => match raw.value.trim() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(error(
                    LOG_FORMAT.key,
                    &raw.origin,
                    format!("{other:?} is not a log format (text or json)"),
                ))
            }
        },
        None => LogFormat::default(),
    };

    let metrics_in_file = file.metrics.and_then(|m| m.listen);
    let metrics_listen = pick(METRICS_LISTEN, &flags.metrics_listen, metrics_in_file)
        .map(|raw| parse_address(METRICS_LISTEN, &raw, "127.0.0.1:9464"))
        .transpose()?;

    Ok(ServeConfig {
        listen,
        database,
        calendar,
        public_url,
        trusted_proxies,
        log_format,
        metrics_listen,
    })
}

/// The error for a value of `setting` that is not `what` it takes ("an address and port").
fn not_valid(setting: Setting, raw: &Raw<String>, what: &str) -> ConfigError {
    error(
        setting.key,
        &raw.origin,
        format!("{:?} is not {what}", raw.value),
    )
}

/// A listening address and port; `example` is shown when the value is not one.
fn parse_address(
    setting: Setting,
    raw: &Raw<String>,
    example: &str,
) -> Result<SocketAddr, ConfigError> {
    raw.value.trim().parse::<SocketAddr>().map_err(|_| {
        not_valid(
            setting,
            raw,
            &format!("an address and port (e.g. {example})"),
        )
    })
}

/// The file's settings; a syntax error, an unknown key or a value of the wrong type names the
/// key of the line it is on.
fn parse_file(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str::<FileConfig>(text).map_err(|e| {
        let start = e.span().map_or(0, |s| s.start);
        let line = line_of(text, start);
        let unknown = e
            .message()
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(key, _)| key.to_owned());
        let setting = unknown
            .or_else(|| {
                text.lines()
                    .nth(line - 1)
                    .and_then(|l| l.split_once('='))
                    .map(|(key, _)| key.trim().trim_matches('"').to_owned())
                    .filter(|k| !k.is_empty() && !k.starts_with('#'))
            })
            .unwrap_or_else(|| "config".to_owned());
        error(
            &setting,
            &Origin::File {
                path: path.to_path_buf(),
                line,
            },
            e.message().trim().to_owned(),
        )
    })
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn check_database(raw: &Raw<String>) -> Result<String, ConfigError> {
    let value = raw.value.trim();
    if value.is_empty() {
        return Err(error(
            DATABASE.key,
            &raw.origin,
            "empty: give a SQLite file path or a postgres:// URL",
        ));
    }
    let lower = value.to_ascii_lowercase();
    if lower.contains("://")
        && !lower.starts_with("postgres://")
        && !lower.starts_with("postgresql://")
    {
        // The value is not repeated: a URL may hold a password.
        return Err(error(
            DATABASE.key,
            &raw.origin,
            "a URL must start with postgres:// or postgresql:// (or give a SQLite file path)",
        ));
    }
    Ok(value.to_owned())
}

/// `https://host[:port][/prefix]`, or `http://` to this machine only (a demo or a test): phones
/// refuse plain http to anything else.
fn check_public_url(raw: &Raw<String>) -> Result<String, ConfigError> {
    let given = raw.value.trim().trim_end_matches('/');
    let bad = |problem: &str| error(PUBLIC_URL.key, &raw.origin, format!("{given:?}: {problem}"));
    let url = url::Url::parse(given)
        .map_err(|_| bad("not a web address (e.g. https://gocua.example.vn)"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(bad("must start with https:// and name a host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(bad("must not carry a query, a fragment or a user name"));
    }
    if url.scheme() == "http" && !is_loopback_host(&url) {
        return Err(bad(
            "plain http:// is allowed only to this machine (127.0.0.1, ::1, localhost); phones \
             refuse it to any other host: use https://",
        ));
    }
    Ok(given.to_owned())
}

fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A comma- or space-separated list of addresses and CIDR ranges.
fn parse_proxy_list(list: &str, origin: &Origin) -> Result<Vec<IpNet>, ConfigError> {
    list.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| parse_proxy(s, origin))
        .collect()
}

/// `10.0.0.0/8`, `127.0.0.1` (one address), `::1`, `fd00::/8`.
fn parse_proxy(value: &str, origin: &Origin) -> Result<IpNet, ConfigError> {
    let value = value.trim();
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Ok(IpNet::from(ip));
    }
    value.parse::<IpNet>().map(|n| n.trunc()).map_err(|_| {
        error(
            TRUSTED_PROXIES.key,
            origin,
            format!(
                "{value:?} is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1)"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    struct File {
        _dir: tempfile::TempDir,
        path: PathBuf,
    }

    fn file(text: &str) -> File {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gocua.toml");
        std::fs::write(&path, text).unwrap();
        File { _dir: dir, path }
    }

    fn with_file(f: &File) -> ServeArgs {
        ServeArgs {
            config: Some(f.path.clone()),
            ..ServeArgs::default()
        }
    }

    const FULL: &str = r#"# a comment
listen = "0.0.0.0:9000"
database = "postgres://gocua@127.0.0.1/gocua"
time_zone = "Asia/Bangkok"
public_url = "https://gocua.example.vn/"
trusted_proxies = ["127.0.0.1", "10.0.0.0/8", "::1"]
log_format = "json"

[metrics]
listen = "127.0.0.1:9464"
"#;

    #[test]
    fn defaults_without_any_source() {
        let c = load(&ServeArgs::default(), &no_env).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(c.database, "gocua.db");
        assert_eq!(c.calendar, Calendar::default());
        assert_eq!(c.public_url, None);
        assert!(c.trusted_proxies.is_empty());
        assert_eq!(c.log_format, LogFormat::Text);
        assert!(!c.public_url_is_https());
        assert_eq!(c.metrics_listen, None, "no metrics unless configured");
    }

    /// Asserts the settings that are one value each: `[listen, database, time zone, public URL,
    /// metrics listen]` (as given, without a trailing `/`) and the log format.
    fn assert_settings(c: &ServeConfig, expected: [&str; 5], log_format: LogFormat) {
        let [listen, database, zone, public_url, metrics_listen] = expected;
        assert_eq!(c.listen, listen.parse().unwrap());
        assert_eq!(c.database, database);
        assert_eq!(c.calendar.zone_name(), zone);
        assert_eq!(c.public_url.as_deref(), Some(public_url));
        assert_eq!(c.log_format, log_format);
        assert_eq!(c.metrics_listen, Some(metrics_listen.parse().unwrap()));
    }

    #[test]
    fn the_file_gives_every_setting() {
        let f = file(FULL);
        let c = load(&with_file(&f), &no_env).unwrap();
        assert_settings(
            &c,
            [
                "0.0.0.0:9000",
                "postgres://gocua@127.0.0.1/gocua",
                "Asia/Bangkok",
                "https://gocua.example.vn",
                "127.0.0.1:9464",
            ],
            LogFormat::Json,
        );
        assert!(c.public_url_is_https());
        let proxies: Vec<String> = c.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(proxies, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
    }

    #[test]
    fn the_file_may_come_from_gocua_config() {
        let f = file("listen = \"127.0.0.1:7000\"\n");
        let path = f.path.to_string_lossy().into_owned();
        let c = load(&ServeArgs::default(), &env_of(&[(CONFIG_VAR, &path)])).unwrap();
        assert_eq!(c.listen, "127.0.0.1:7000".parse().unwrap());
        // --config wins over GOCUA_CONFIG.
        let other = file("listen = \"127.0.0.1:7001\"\n");
        let c = load(&with_file(&other), &env_of(&[(CONFIG_VAR, &path)])).unwrap();
        assert_eq!(c.listen, "127.0.0.1:7001".parse().unwrap());
    }

    #[test]
    fn environment_overrides_the_file_and_flags_override_both() {
        let f = file(FULL);
        let env = env_of(&[
            ("GOCUA_LISTEN", "127.0.0.1:9100"),
            ("GOCUA_DATABASE", "/var/lib/gocua/gocua.db"),
            ("GOCUA_TIME_ZONE", "Asia/Tokyo"),
            ("GOCUA_PUBLIC_URL", "https://env.example.vn"),
            ("GOCUA_TRUSTED_PROXIES", "192.168.0.0/16, 127.0.0.1"),
            ("GOCUA_LOG_FORMAT", "text"),
            ("GOCUA_METRICS_LISTEN", "127.0.0.1:9465"),
        ]);
        let c = load(&with_file(&f), &env).unwrap();
        assert_settings(
            &c,
            [
                "127.0.0.1:9100",
                "/var/lib/gocua/gocua.db",
                "Asia/Tokyo",
                "https://env.example.vn",
                "127.0.0.1:9465",
            ],
            LogFormat::Text,
        );
        assert_eq!(c.trusted_proxies.len(), 2);

        let flags = ServeArgs {
            listen: Some("127.0.0.1:9200".into()),
            db: Some("flag.db".into()),
            time_zone: Some("UTC".into()),
            public_url: Some("http://127.0.0.1:9200".into()),
            trusted_proxies: Some("::1".into()),
            log_format: Some("json".into()),
            metrics_listen: Some("[::1]:9466".into()),
            ..with_file(&f)
        };
        let c = load(&flags, &env).unwrap();
        assert_settings(
            &c,
            [
                "127.0.0.1:9200",
                "flag.db",
                "UTC",
                "http://127.0.0.1:9200",
                "[::1]:9466",
            ],
            LogFormat::Json,
        );
        assert!(!c.public_url_is_https());
        assert_eq!(c.trusted_proxies, vec!["::1/128".parse::<IpNet>().unwrap()]);
    }

    #[test]
    fn an_empty_variable_counts_as_unset() {
        let f = file("time_zone = \"Asia/Bangkok\"\n");
        let c = load(&with_file(&f), &env_of(&[("GOCUA_TIME_ZONE", " ")])).unwrap();
        assert_eq!(c.calendar.zone_name(), "Asia/Bangkok");
    }

    fn file_error(text: &str) -> (ConfigError, File) {
        let f = file(text);
        let e = load(&with_file(&f), &no_env).unwrap_err();
        (e, f)
    }

    fn at_line(f: &File, line: usize) -> Origin {
        Origin::File {
            path: f.path.clone(),
            line,
        }
    }

    #[test]
    fn file_errors_name_the_setting_and_the_line() {
        let cases: [(&str, &str, usize); 11] = [
            (
                "listen = \"127.0.0.1:8080\"\nlissten = \"x\"\n",
                "lissten",
                2,
            ),
            ("\n\nlisten = 8080\n", "listen", 3),
            ("listen = \"localhost\"\n", "listen", 1),
            ("# zone\ntime_zone = \"Asia/Saigon_City\"\n", "time_zone", 2),
            (
                "public_url = \"http://gocua.example.vn\"\n",
                "public_url",
                1,
            ),
            ("public_url = \"gocua.example.vn\"\n", "public_url", 1),
            (
                "trusted_proxies = [\n  \"127.0.0.1\",\n  \"10.0.0/8\",\n]\n",
                "trusted_proxies",
                3,
            ),
            ("log_format = \"xml\"\n", "log_format", 1),
            ("database = \"mysql://x\"\n", "database", 1),
            ("listen = \"127.0.0.1:8080\n", "listen", 1),
            ("[metrics]\nlisten = \"9464\"\n", "metrics.listen", 2),
        ];
        for (text, setting, line) in cases {
            let (e, f) = file_error(text);
            assert_eq!(e.setting, setting, "{text:?}: {e}");
            assert_eq!(e.origin, at_line(&f, line), "{text:?}: {e}");
            let shown = e.to_string();
            assert!(
                shown.starts_with(&format!("{}:{line}: setting `{setting}`", f.path.display())),
                "{shown}"
            );
        }
    }

    #[test]
    fn unknown_tables_are_refused_too() {
        let (e, f) = file_error("listen = \"127.0.0.1:8080\"\n[metric]\nlisten = \"x\"\n");
        assert_eq!(e.origin, at_line(&f, 2), "{e}");
        assert_eq!(e.setting, "metric", "{e}");
    }

    #[test]
    fn environment_errors_name_the_variable() {
        // An empty variable is unset, not an error.
        assert!(load(&ServeArgs::default(), &env_of(&[("GOCUA_DATABASE", " ")])).is_ok());
        let cases = [
            (LISTEN, "8080"),
            (TIME_ZONE, "Mars/Olympus"),
            (PUBLIC_URL, "http://10.0.0.5:8080"),
            (PUBLIC_URL, "https://x.vn/?a=1"),
            (TRUSTED_PROXIES, "127.0.0.1,300.1.1.1"),
            (TRUSTED_PROXIES, "10.0.0.0/33"),
            (LOG_FORMAT, "JSON lines"),
        ];
        for (setting, value) in cases {
            let (var, setting) = (setting.env, setting.key);
            let e = load(&ServeArgs::default(), &env_of(&[(var, value)])).unwrap_err();
            assert_eq!(e.setting, setting, "{var}={value:?}");
            assert_eq!(e.origin, Origin::Env(var), "{var}={value:?}");
            assert!(
                e.to_string()
                    .starts_with(&format!("environment variable {var}: setting `{setting}`")),
                "{e}"
            );
        }
    }

    #[test]
    fn flag_errors_name_the_flag() {
        let bad_listen = ServeArgs {
            listen: Some("nowhere".into()),
            ..ServeArgs::default()
        };
        let bad_proxies = ServeArgs {
            trusted_proxies: Some("127.0.0.1 fe80::/129".into()),
            ..ServeArgs::default()
        };
        for (flags, setting, flag) in [
            (bad_listen, "listen", "--listen"),
            (bad_proxies, "trusted_proxies", "--trusted-proxies"),
        ] {
            let e = load(&flags, &no_env).unwrap_err();
            assert_eq!(
                (e.setting.as_str(), e.origin),
                (setting, Origin::Flag(flag))
            );
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let flags = ServeArgs {
            config: Some("/nonexistent/gocua.toml".into()),
            ..ServeArgs::default()
        };
        let e = load(&flags, &no_env).unwrap_err();
        assert_eq!(e.setting, "config");
        assert_eq!(e.origin, Origin::Flag("--config"));
        assert!(e.problem.contains("/nonexistent/gocua.toml"), "{e}");
    }

    #[test]
    fn a_postgres_password_is_never_repeated() {
        let e = load(
            &ServeArgs::default(),
            &env_of(&[("GOCUA_DATABASE", "mysql://u:hunter2@db/x")]),
        )
        .unwrap_err();
        assert_eq!(e.setting, "database");
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn loopback_http_public_urls_are_allowed() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost:8080/",
            "http://[::1]:8080",
            "http://127.8.0.1",
        ] {
            let c = load(&ServeArgs::default(), &env_of(&[("GOCUA_PUBLIC_URL", url)]))
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(!c.public_url_is_https());
        }
        for url in [
            "http://192.168.1.20:8080",
            "http://gocua.example.vn",
            "http://localhost.example.vn",
        ] {
            assert!(
                load(&ServeArgs::default(), &env_of(&[("GOCUA_PUBLIC_URL", url)])).is_err(),
                "{url}"
            );
        }
    }

    #[test]
    fn a_single_address_is_a_host_range_and_ranges_are_normalised() {
        let o = Origin::Default;
        for (given, range) in [
            ("127.0.0.1", "127.0.0.1/32"),
            ("10.1.2.3/8", "10.0.0.0/8"),
            (" fd00::/8 ", "fd00::/8"),
        ] {
            assert_eq!(parse_proxy(given, &o).unwrap().to_string(), range);
        }
        assert!(parse_proxy("localhost", &o).is_err());
        assert!(parse_proxy("", &o).is_err());
    }
}
