//! Which PostgreSQL server the tests of this process talk to, found or started once.
//!
//! In order: `$UNDERSTUDY_TEST_DATABASE_URL` when set (it must answer; an explicit choice never
//! falls back), else the local server at `postgres://postgres@127.0.0.1:5432/postgres` when it
//! answers within a few seconds, else a private throwaway server started from the installed
//! `initdb` and `pg_ctl`. `UNDERSTUDY_TEST_PRIVATE_SERVER=1` skips the local server. When none
//! can be had the first test to ask panics saying how to get one: tests never skip silently.
//!
//! The private server listens only on a unix socket in its own temporary directory (no TCP, so
//! nothing else on the machine can reach it and no port can clash), runs with `fsync=off`, and
//! lives as long as the test process. Rust runs no destructor for statics, so it is stopped by a
//! watchdog: a `sh` child that ignores SIGINT/SIGTERM/SIGHUP and blocks reading a pipe whose only
//! write end this process holds (std opens pipes close-on-exec, so no other child inherits it).
//! When this process ends, however it ends (even SIGKILL), the kernel closes that end, the read
//! returns, and the watchdog runs `pg_ctl stop -m immediate` and removes the directory.

use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use super::pg_bin;

/// The default local server of the service machines (see GROUND.md).
const LOCAL_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Where the server came from; printed in messages so a failure says which server it was.
#[derive(Debug)]
pub enum Origin {
    EnvUrl,
    Local,
    Private { dir: PathBuf },
}

/// A server the harness may create and drop databases on.
#[derive(Debug)]
pub struct Server {
    /// A URL for the maintenance database (the one `CREATE DATABASE` is run from).
    admin_url: String,
    pub origin: Origin,
    /// Held, never written, until the process exits: its closing tells the watchdog to stop the
    /// private server. `None` for servers the harness did not start.
    _watchdog: Option<ChildStdin>,
}

impl Server {
    /// The URL for the maintenance database.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The URL for database `db` on this server, keeping user, host, port and parameters.
    pub fn url_for(&self, db: &str) -> String {
        url_with_database(&self.admin_url, db)
    }
}

/// The server for this test process, found or started on first use.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(discover)
}

fn discover() -> Server {
    if let Some(url) = std::env::var_os("UNDERSTUDY_TEST_DATABASE_URL") {
        let url = url
            .into_string()
            .expect("UNDERSTUDY_TEST_DATABASE_URL is not UTF-8");
        if let Err(e) = answers(&url) {
            panic!(
                "UNDERSTUDY_TEST_DATABASE_URL is set but that server does not answer \
                 (`psql -c 'select 1'` failed: {e}). Fix the URL or unset it to let the \
                 harness use the local server or start a private one."
            );
        }
        return Server {
            admin_url: url,
            origin: Origin::EnvUrl,
            _watchdog: None,
        };
    }
    let local = if std::env::var_os("UNDERSTUDY_TEST_PRIVATE_SERVER").is_some() {
        Err("skipped: UNDERSTUDY_TEST_PRIVATE_SERVER is set".to_string())
    } else {
        answers(LOCAL_URL)
    };
    match local {
        Ok(()) => Server {
            admin_url: LOCAL_URL.into(),
            origin: Origin::Local,
            _watchdog: None,
        },
        Err(local_err) => start_private().unwrap_or_else(|private_err| {
            panic!(
                "no PostgreSQL server for the integration tests.\n\
                 - local server {LOCAL_URL}: {local_err}\n\
                 - private server: {private_err}\n\
                 Get one by any of: set UNDERSTUDY_TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB \
                 (a role that may CREATE DATABASE); start the local server \
                 (`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`); \
                 or install the server binaries (`apt-get install postgresql`) so the harness \
                 can start a private one."
            )
        }),
    }
}

/// Whether `select 1` works at `url` within a short connect timeout.
fn answers(url: &str) -> Result<(), String> {
    let out = Command::new(pg_bin::client("psql"))
        .args(["-X", "-A", "-t", "-d", url, "-c", "select 1"])
        .env("PGCONNECT_TIMEOUT", "3")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() && stdout.trim() == "1" {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Replaces the database (path) part of a `postgres://` URL, keeping its query parameters.
pub fn url_with_database(url: &str, db: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or_else(|| {
        panic!("not a postgres:// URL (key=value connection strings are not supported): {url}")
    });
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let after = &rest[authority_end..];
    let query = after.find('?').map(|i| &after[i..]).unwrap_or("");
    assert!(
        db.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        "database names made by the harness are [A-Za-z0-9_]: {db:?}"
    );
    format!(
        "{}{}/{db}{query}",
        &url[..scheme_end],
        &rest[..authority_end]
    )
}

/// Whether this process runs as root, read without libc: `/proc/self` belongs to the
/// process's effective user.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// A command that runs `program` as the `postgres` user when we are root (`initdb` and the
/// server refuse to run as root), or as ourselves otherwise.
fn as_server_user(root: bool, program: &Path) -> Command {
    if root {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn start_private() -> Result<Server, String> {
    let bindir = pg_bin::server_bindir()
        .ok_or("initdb/pg_ctl not found in UNDERSTUDY_PG_BINDIR or /usr/lib/postgresql/*/bin")?;
    let root = running_as_root();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    // Short, because a unix socket path is limited to 107 bytes.
    let dir = std::env::temp_dir().join(format!(
        "usd-pg-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000
    ));
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // The watchdog comes first so that a failed initdb or start is cleaned up too.
    let watchdog = spawn_watchdog(&dir, &as_server_user(root, &bindir.join("pg_ctl")))?;
    if root {
        run(
            Command::new("chown").arg("postgres:").arg(&dir),
            "chown the private server directory",
        )?;
    }
    let data = dir.join("data");
    run(
        as_server_user(root, &bindir.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]),
        "initdb",
    )?;
    // Only the socket in `dir` is listened on, so the port just names the socket file.
    let port = 5432;
    let options = format!(
        "-p {port} -k {} -c listen_addresses='' -c fsync=off -c full_page_writes=off \
         -c synchronous_commit=off -c max_connections=200",
        dir.display()
    );
    let log = dir.join("log");
    let started = run(
        as_server_user(root, &bindir.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "-o", &options, "start"]),
        "pg_ctl start",
    );
    if let Err(e) = started {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!("{e}\nserver log:\n{log}"));
    }
    let admin_url = format!(
        "postgres://postgres@localhost:{port}/postgres?host={}",
        dir.display()
    );
    answers(&admin_url).map_err(|e| format!("private server started but does not answer: {e}"))?;
    Ok(Server {
        admin_url,
        origin: Origin::Private { dir },
        _watchdog: Some(watchdog),
    })
}

/// Starts the watchdog described in the module doc; returns the pipe end that keeps it waiting.
fn spawn_watchdog(dir: &Path, pg_ctl: &Command) -> Result<ChildStdin, String> {
    const SCRIPT: &str = r#"trap '' INT TERM HUP
dir=$1; shift
cat >/dev/null
"$@" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$dir""#;
    let mut child = Command::new("sh")
        .args(["-c", SCRIPT, "understudy-pg-watchdog"])
        .arg(dir)
        .arg(pg_ctl.get_program())
        .args(pg_ctl.get_args())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the watchdog shell: {e}"))?;
    Ok(child.stdin.take().expect("stdin was piped"))
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
