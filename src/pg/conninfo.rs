//! Connection strings as libpq users write them: `postgres://` and `postgresql://` URLs or
//! `key=value` strings, completed from the `PG*` environment variables and `~/.pgpass` the way
//! libpq completes them.
//!
//! The string as given is kept for the libpq tools we run (`pg_dump --dbname`), so they resolve
//! it themselves; our own connections use the completed [`tokio_postgres::Config`]. Neither the
//! string nor the password is ever printed: [`ConnSpec`]'s `Display` and `Debug` name host, port
//! and database only.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, NoTls};

use super::errors;
use super::pgpass;
use super::tls::{self, SslMode, Tls};
use crate::error::Error;

/// A database to connect to.
#[derive(Clone)]
pub struct ConnSpec {
    /// The string as the user gave it (may hold a password: never printed).
    raw: String,
    config: Config,
    tls: Tls,
    host: String,
    port: u16,
    dbname: String,
}

impl ConnSpec {
    /// Parses a URL or `key=value` string and completes it from the environment.
    pub fn parse(text: &str) -> Result<ConnSpec, Error> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        // tokio-postgres knows neither verify-ca/verify-full nor sslrootcert: we apply them.
        let (rest, sslmode, sslrootcert) = tls::split_ssl_params(text);
        let mut config = Config::from_str(&rest).map_err(|e| {
            // tokio-postgres' parse errors name the option, never its value.
            Error::input(
                format!("cannot parse the connection string: {e}"),
                Default::default(),
            )
        })?;
        let mode = match sslmode.or_else(|| env("PGSSLMODE")) {
            Some(m) => SslMode::parse(&m)?,
            None => SslMode::Prefer,
        };
        let root = sslrootcert
            .or_else(|| env("PGSSLROOTCERT"))
            .map(PathBuf::from);
        if config.get_hosts().is_empty() {
            match env("PGHOST") {
                Some(h) => {
                    config.host(&h);
                }
                None => {
                    let dir = ["/var/run/postgresql", "/tmp"]
                        .into_iter()
                        .find(|d| Path::new(d).is_dir())
                        .unwrap_or("/tmp");
                    config.host_path(dir);
                }
            }
        }
        if config.get_ports().is_empty() {
            let port = env("PGPORT").and_then(|p| p.parse().ok()).unwrap_or(5432);
            config.port(port);
        }
        if config.get_user().is_none() {
            let user = env("PGUSER")
                .or_else(|| env("USER"))
                .or_else(|| env("LOGNAME"))
                .unwrap_or_else(|| "postgres".into());
            config.user(user);
        }
        if config.get_dbname().is_none() {
            let db = env("PGDATABASE").unwrap_or_else(|| config.get_user().unwrap_or("").into());
            config.dbname(db);
        }
        if config.get_connect_timeout().is_none() {
            if let Some(t) = env("PGCONNECT_TIMEOUT").and_then(|t| t.parse::<u64>().ok()) {
                config.connect_timeout(Duration::from_secs(t.max(2)));
            }
        }
        if config.get_application_name().is_none() {
            config.application_name("understudy");
        }
        let (host, unix_socket) = match &config.get_hosts()[0] {
            Host::Tcp(h) => (h.clone(), false),
            Host::Unix(p) => (p.display().to_string(), true),
        };
        let tls = tls::setup(mode, root, unix_socket)?;
        config.ssl_mode(if unix_socket {
            tokio_postgres::config::SslMode::Disable
        } else {
            mode.negotiation()
        });
        let port = config.get_ports()[0];
        let dbname = config.get_dbname().unwrap_or("").to_string();
        if config.get_password().is_none() {
            let password = env("PGPASSWORD")
                .or_else(|| pgpass::lookup(&host, port, &dbname, config.get_user().unwrap_or("")));
            if let Some(p) = password {
                config.password(p);
            }
        }
        Ok(ConnSpec {
            raw: text.to_string(),
            config,
            tls,
            host,
            port,
            dbname,
        })
    }

    /// The string as given, for libpq tools (`pg_dump --dbname`). Never print it.
    pub fn libpq_string(&self) -> &str {
        &self.raw
    }

    /// The database name.
    pub fn dbname(&self) -> &str {
        &self.dbname
    }

    /// The same server and user, another database. Only for our own connections: the libpq
    /// string still names the original database.
    pub fn with_dbname(&self, dbname: &str) -> ConnSpec {
        let mut other = self.clone();
        other.config.dbname(dbname);
        other.dbname = dbname.to_string();
        other
    }

    /// Whether both name the same database on the same server (host names compared after
    /// mapping the loopback spellings together).
    pub fn same_database(&self, other: &ConnSpec) -> bool {
        fn norm(h: &str) -> &str {
            match h {
                "localhost" | "127.0.0.1" | "::1" => "loopback",
                h => h.trim_end_matches('/'),
            }
        }
        norm(&self.host) == norm(&other.host)
            && self.port == other.port
            && self.dbname == other.dbname
    }

    /// Connects; the connection is driven by a task on the current tokio runtime.
    pub async fn connect(&self) -> Result<Client, Error> {
        let fail = |e: tokio_postgres::Error| {
            let message = errors::describe(&e);
            Error::input(
                format!("cannot connect to {self}: {message}{}", tls::hint(&message)),
                Default::default(),
            )
        };
        // A broken connection surfaces as an error on the client's next request.
        match &self.tls {
            Tls::Plain => {
                let (client, connection) = self.config.connect(NoTls).await.map_err(fail)?;
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                Ok(client)
            }
            Tls::Rustls(make) => {
                let (client, connection) = self.config.connect(make.clone()).await.map_err(fail)?;
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                Ok(client)
            }
        }
    }
}

impl fmt::Display for ConnSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.starts_with('/') {
            write!(
                f,
                "database {} (socket {}, port {})",
                self.dbname, self.host, self.port
            )
        } else {
            write!(f, "database {} on {}:{}", self.dbname, self.host, self.port)
        }
    }
}

impl fmt::Debug for ConnSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConnSpec({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_key_value_strings() {
        let a = ConnSpec::parse("postgres://u:secret@127.0.0.1:5433/prod").unwrap();
        assert_eq!(a.dbname(), "prod");
        assert_eq!(a.to_string(), "database prod on 127.0.0.1:5433");
        assert!(!format!("{a:?}").contains("secret"));
        let b = ConnSpec::parse("host=localhost port=5433 dbname=prod user=u").unwrap();
        assert!(a.same_database(&b));
        assert!(!a.same_database(&b.with_dbname("staging")));
        let c = ConnSpec::parse("postgresql:///db?host=/tmp/sock").unwrap();
        assert_eq!(c.host, "/tmp/sock");
    }

    #[test]
    fn sslmode_values_are_libpq_s() {
        let e =
            ConnSpec::parse("postgres://h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
                .unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let e = ConnSpec::parse("host=h dbname=db sslmode=bogus").unwrap_err();
        assert!(e.to_string().contains("invalid sslmode"), "{e}");
        let a = ConnSpec::parse("postgres://h/db?sslmode=require").unwrap();
        assert!(matches!(a.tls, Tls::Rustls(_)));
        let b = ConnSpec::parse("host=h dbname=db sslmode=disable").unwrap();
        assert!(matches!(b.tls, Tls::Plain));
    }
}
