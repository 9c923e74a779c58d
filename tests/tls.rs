//! TLS on our own connections (`src/pg/tls.rs`), against the test server with `ssl = on`:
//! whether sessions are really encrypted, and how certificate checks pass and fail.
//!
//! The local server of these machines uses Debian's self-signed "snakeoil" certificate, whose
//! only name is `localhost`: it is its own root, so `verify-ca` passes with it, and
//! `verify-full` passes for host `localhost` and fails for `127.0.0.1`.

mod support;

use std::process::Stdio;

use support::{fixture, understudy, TestDb};
use understudy::pg::ConnSpec;

const SNAKEOIL: &str = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
const KEY: &str = "5f1c6f0c2b7a4e9d8c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392817";

/// A database on a server that offers TLS over TCP (asserted, so a harness server without TLS
/// fails loudly instead of testing nothing).
fn tls_db(label: &str) -> TestDb {
    let db = TestDb::create(label);
    assert!(
        db.url().contains("@127.0.0.1:"),
        "these tests need the TCP server at 127.0.0.1 (got {})",
        db.url()
    );
    assert_eq!(
        db.query("SHOW ssl"),
        "on",
        "the test server must have ssl = on"
    );
    db
}

fn with_params(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

/// Connects with understudy's own client and asks the server whether the session uses TLS.
fn session_is_encrypted(url: &str) -> Result<bool, String> {
    let spec = ConnSpec::parse(url).map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = spec.connect().await.map_err(|e| e.to_string())?;
        let row = client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok(row.get::<_, bool>(0))
    })
}

#[test]
fn sslmodes_encrypt_as_libpq_does() {
    let db = tls_db("tls_modes");
    let url = db.url();
    assert_eq!(
        session_is_encrypted(&with_params(&url, "sslmode=disable")),
        Ok(false)
    );
    // prefer (libpq's default) takes TLS when the server offers it.
    assert_eq!(session_is_encrypted(&url), Ok(true));
    assert_eq!(
        session_is_encrypted(&with_params(&url, "sslmode=prefer")),
        Ok(true)
    );
    // require encrypts without a root certificate (no check, as in libpq).
    assert_eq!(
        session_is_encrypted(&with_params(&url, "sslmode=require")),
        Ok(true)
    );
    assert_eq!(
        session_is_encrypted(&with_params(
            &url,
            &format!("sslmode=verify-ca&sslrootcert={SNAKEOIL}")
        )),
        Ok(true)
    );
    let by_name = url.replace("@127.0.0.1:", "@localhost:");
    assert_eq!(
        session_is_encrypted(&with_params(
            &by_name,
            &format!("sslmode=verify-full&sslrootcert={SNAKEOIL}")
        )),
        Ok(true)
    );
    // The key=value form and PGSSLROOTCERT are read too.
    let kv = format!(
        "host=localhost port=5432 user=postgres dbname={} sslmode=verify-full sslrootcert='{SNAKEOIL}'",
        db.name
    );
    assert_eq!(session_is_encrypted(&kv), Ok(true));
}

#[test]
fn certificate_checks_fail_clearly() {
    let db = tls_db("tls_fail");
    let url = db.url();
    // The certificate names `localhost`, not the address we connect to.
    let err = session_is_encrypted(&with_params(
        &url,
        &format!("sslmode=verify-full&sslrootcert={SNAKEOIL}"),
    ))
    .unwrap_err();
    assert!(err.contains("not valid for name"), "{err}");
    assert!(
        err.contains("connect by the name the certificate holds"),
        "{err}"
    );
    // A root that did not sign the server's certificate.
    let dir = support::scratch_dir();
    let other_root = dir.join("other.pem");
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=understudy test root", "-keyout"])
        .arg(dir.join("other.key"))
        .arg("-out")
        .arg(&other_root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("cannot run openssl");
    assert!(made.success());
    let err = session_is_encrypted(&with_params(
        &url,
        &format!("sslmode=verify-ca&sslrootcert={}", other_root.display()),
    ))
    .unwrap_err();
    assert!(
        err.contains("does not chain to the root certificate"),
        "{err}"
    );
    // A root file that does not exist.
    let err = session_is_encrypted(&with_params(
        &url,
        "sslmode=verify-ca&sslrootcert=/nonexistent/root.crt",
    ))
    .unwrap_err();
    assert!(
        err.contains("root certificate file /nonexistent/root.crt does not exist"),
        "{err}"
    );
}

#[test]
fn a_run_reads_and_loads_over_verified_tls() {
    let src = tls_db("tls_run_src");
    src.exec_file(&fixture("tricky.sql"));
    let tgt = tls_db("tls_run_dst");
    let full = |db: &TestDb| {
        with_params(
            &db.url().replace("@127.0.0.1:", "@localhost:"),
            "sslmode=verify-full",
        )
    };
    let run = |source: &str, target: &str| {
        understudy()
            .args(["run", "--quiet", "--policy"])
            .arg(fixture("tricky_redact.toml"))
            .args(["--source", source, "--target", target])
            .env("UNDERSTUDY_KEY", KEY)
            .env("PGSSLROOTCERT", SNAKEOIL)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    // pg_dump gets the same string and checks the certificate through libpq.
    let out = run(&full(&src), &full(&tgt));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(tgt.row_counts(), src.row_counts());
    let out = run(&with_params(&src.url(), "sslmode=verify-full"), &full(&tgt));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("verify-full"), "{err}");
}
