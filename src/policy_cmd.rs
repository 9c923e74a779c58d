//! The `policy` subcommands and `run --require-approved`: glue between flags and
//! `understudy::policy`. Findings and documents go to stdout, messages to stderr.

use std::process::ExitCode;

use understudy::pipeline::schema_from;
use understudy::policy::{approve, diff, explain, file, init, lint};
use understudy::{Error, ErrorKind, Where};

use crate::cli::{ExplainFormat, PolicyCommand, RunArgs};

/// Compressed inputs may expand this far (as `run`'s default).
const MAX_EXPANDED: u64 = 1 << 40;

fn load(path: &std::path::Path) -> Result<file::PolicyFile, Error> {
    file::load(path).map_err(|p| Error::new(ErrorKind::Policy(p), Where::default()))
}

pub fn main(cmd: PolicyCommand) -> ExitCode {
    match cmd {
        PolicyCommand::Init { input, sample } => crate::exit_with((|| {
            let draft = init::draft(&input, sample, MAX_EXPANDED)?;
            print!("{draft}");
            eprintln!("understudy: draft written; review every rule, then `understudy policy lint POLICY --input {}`", input.display());
            Ok(())
        })()),
        PolicyCommand::Lint { policy, input } => {
            let schema = match input
                .as_deref()
                .map(|i| schema_from(i, MAX_EXPANDED))
                .transpose()
            {
                Ok(s) => s,
                Err(e) => return crate::exit_with(Err(e.into())),
            };
            let findings = lint::lint(&policy, schema.as_ref());
            for f in &findings {
                println!("{f}");
            }
            let errors = findings
                .iter()
                .filter(|f| f.severity == lint::Severity::Error)
                .count();
            eprintln!(
                "understudy: {errors} error(s), {} warning(s)",
                findings.len() - errors
            );
            if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        PolicyCommand::Explain {
            policy,
            input,
            format,
        } => crate::exit_with((|| {
            let policy = load(&policy)?;
            let schema = input
                .as_deref()
                .map(|i| schema_from(i, MAX_EXPANDED))
                .transpose()?;
            let format = match format {
                ExplainFormat::Text => explain::Format::Text,
                ExplainFormat::Markdown => explain::Format::Markdown,
            };
            print!(
                "{}",
                explain::render(&explain::rows(&policy, schema.as_ref()), format)
            );
            Ok(())
        })()),
        PolicyCommand::Diff { old, new } => crate::exit_with((|| {
            let (old, new) = (load(&old)?, load(&new)?);
            print!("{}", diff::render(&diff::diff(&old, &new)));
            Ok(())
        })()),
        PolicyCommand::Approve { policy, input } => crate::exit_with((|| {
            let schema = schema_from(&input, MAX_EXPANDED)?;
            let findings = lint::lint(&policy, Some(&schema));
            let errors: Vec<_> = findings
                .into_iter()
                .filter(|f| f.severity == lint::Severity::Error)
                .map(|f| f.problem)
                .collect();
            if !errors.is_empty() {
                anyhow::bail!(Error::new(ErrorKind::Policy(errors), Where::default()));
            }
            let policy = load(&policy)?;
            let path = approve::write_approval(&policy, &schema)?;
            eprintln!(
                "understudy: approved {} for {} tables; wrote {}",
                policy.path.display(),
                schema.len(),
                path.display()
            );
            Ok(())
        })()),
    }
}

/// `run --require-approved`: the approval must match the policy and the dump's schema.
pub fn require_approved(args: &RunArgs) -> anyhow::Result<()> {
    let schema_path = match (&args.schema_from, args.input.as_os_str() == "-") {
        (Some(p), _) => p.clone(),
        (None, false) => args.input.clone(),
        (None, true) => {
            return Err(Error::input(
                "--require-approved checks the schema before reading data, so it needs a file --input or --schema-from (stdin cannot be read twice)",
                Where::default(),
            )
            .into())
        }
    };
    let policy = load(&args.policy)?;
    let schema = schema_from(&schema_path, args.max_expanded_size)?;
    approve::check(&policy, &schema)?;
    Ok(())
}
