//! The `understudy` binary: parse flags, call the library, map errors to exit codes.
//! Everything that matters lives in the library; this file is glue (as in ripgrep).

mod cli;
mod policy_cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use understudy::key::{KeySource, MasterKey};
use understudy::pg::ConnSpec;
use understudy::pipeline::{self, Progress, RunOptions};
use understudy::sink::{TargetMode, TargetOptions};
use understudy::source::SourceOptions;

fn main() -> ExitCode {
    install_panic_hook();
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("UNDERSTUDY_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .without_time()
        .with_target(false)
        .init();
    match cli.command {
        cli::Command::Run(args) => exit_with(run(args)),
        cli::Command::Preflight(args) => exit_with(preflight(args)),
        cli::Command::Policy(cmd) => policy_cmd::main(cmd),
        cli::Command::Reveal(args) => exit_with(reveal(args)),
    }
}

/// A panic message could contain data from the dump, so the hook prints only where it happened.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".into());
        eprintln!("understudy: internal error at {at} (a bug; its message is withheld because it may contain data). Nothing was committed.");
    }));
}

pub(crate) fn exit_with(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = e
                .downcast_ref::<understudy::Error>()
                .map_or(1, understudy::Error::exit_code);
            eprintln!("understudy: error: {e:#}");
            ExitCode::from(code as u8)
        }
    }
}

fn load_key(key_file: Option<&std::path::Path>) -> anyhow::Result<MasterKey> {
    if let Some(path) = key_file {
        return Ok(MasterKey::from_file(path)?);
    }
    match std::env::var("UNDERSTUDY_KEY") {
        Ok(text) => Ok(MasterKey::parse(&text, KeySource::Environment)?),
        Err(_) => {
            let key = MasterKey::random()?;
            tracing::warn!(
                "no key given (UNDERSTUDY_KEY or --key-file): using a random key for this run only (fingerprint {}); tokens will not match any other run",
                key.fingerprint()
            );
            Ok(key)
        }
    }
}

fn run(args: cli::RunArgs) -> anyhow::Result<()> {
    let key = load_key(args.key_file.as_deref())?;
    let opts = RunOptions {
        policy: args.policy,
        input: args.input,
        output: args.output,
        schema_from: args.schema_from,
        max_expanded_size: args.max_expanded_size,
        dangerously_skip_risk_gate: args.dangerously_skip_risk_gate,
        report: args.report,
        sample: args.sample,
        discard_output: false,
        source: None,
        target: None,
        // Checked by the pipeline on the schema it reads, before coverage or any data: an
        // unapproved policy writes nothing.
        require_approved: args.require_approved,
    };
    let source = args.source.as_deref().map(ConnSpec::parse).transpose()?;
    let opts = RunOptions {
        source: source.clone().map(|conn| SourceOptions {
            conn,
            jobs: usize::from(args.jobs),
            split_threshold: args.split_threshold,
        }),
        target: match args.target.as_deref() {
            None => None,
            Some(url) => Some(TargetOptions {
                conn: ConnSpec::parse(url)?,
                mode: match args.target_mode {
                    cli::TargetMode::Swap => TargetMode::Swap,
                    cli::TargetMode::Replace => TargetMode::Replace,
                },
                terminate_connections: args.terminate_connections,
                dangerously_overwrite_target: args.dangerously_overwrite_target,
                source,
                jobs: usize::from(args.jobs),
            }),
        },
        ..opts
    };
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(progress_bar);
    let on_progress = |p: &Progress<'_>| {
        if let Some(bar) = &bar {
            bar.set_message(p.line());
        }
    };
    let summary = pipeline::run(&opts, &key, &on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    if args.dangerously_skip_risk_gate {
        eprintln!("understudy: WARNING: --dangerously-skip-risk-gate was given; the output was committed without honouring the risk verdict ({}).", summary.verdict);
    }
    for w in &summary.warnings {
        tracing::warn!("{w}");
    }
    if let Some(path) = &args.summary {
        let json = serde_json::to_string_pretty(&summary)?;
        std::fs::write(path, json + "\n")
            .with_context(|| format!("writing the summary to {}", path.display()))?;
    }
    if !args.quiet {
        eprintln!("{}", summary.line());
    }
    Ok(())
}

fn preflight(args: cli::PreflightArgs) -> anyhow::Result<()> {
    let key = load_key(args.key_file.as_deref())?;
    let opts = RunOptions {
        policy: args.policy,
        input: args.input,
        output: "-".into(),
        schema_from: args.schema_from,
        max_expanded_size: args.max_expanded_size,
        dangerously_skip_risk_gate: false,
        report: args.report,
        sample: args.sample,
        discard_output: true,
        source: None,
        target: None,
        require_approved: false,
    };
    let summary = pipeline::run(&opts, &key, &|_: &Progress<'_>| {})?;
    for w in &summary.warnings {
        tracing::warn!("{w}");
    }
    if !args.quiet {
        eprintln!(
            "understudy preflight: {} tables, {} rows checked, risk verdict {}",
            summary.tables, summary.rows, summary.verdict
        );
    }
    Ok(())
}

fn reveal(args: cli::RevealArgs) -> anyhow::Result<()> {
    use std::io::Write;
    use understudy::reveal;
    // A random key could never reveal anything: require the real one.
    if args.key_file.is_none() && std::env::var_os("UNDERSTUDY_KEY").is_none() {
        anyhow::bail!(
            "reveal needs the key the tokens were made with: set UNDERSTUDY_KEY or pass --key-file"
        );
    }
    let key = load_key(args.key_file.as_deref())?;
    let rule = reveal::rule_from_params(&args.transform, &args.params)?;
    let ty = reveal::parse_column_type(&args.column_type)?;
    let value = reveal::reveal(&rule, &key, &args.domain, &ty, args.value.as_bytes())?;
    // Printing the original value is the point of this command, asked for explicitly.
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&value)?;
    stdout.write_all(b"\n")?;
    Ok(())
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    bar.set_style(
        // Rates and ETAs come from `Progress::line` (whole run and current table).
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
