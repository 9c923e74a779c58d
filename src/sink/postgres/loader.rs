//! The loader: a thread that reads the sanitized dump stream back into events and executes it on
//! the target connection — statements with the simple query protocol, COPY blocks with
//! `COPY ... FROM STDIN` fed the data lines exactly as they are.
//!
//! psql meta-commands other than `\restrict`/`\unrestrict` are refused (a dump for a database
//! target must not switch databases), as is a `client_encoding` other than UTF8 (our
//! connections speak UTF8).

use std::io::{self, Read};
use std::pin::Pin;
use std::sync::mpsc::Receiver;

use bytes::Bytes;
use futures_util::SinkExt;
use tokio::runtime::Handle;
use tokio_postgres::{Client, CopyInSink};

use crate::dump::ident::parse_qualified_prefix;
use crate::dump::reader::{statement_body, DumpReader, Event};
use crate::error::{Error, Where};
use crate::pg::errors::{describe, statement_label};
use crate::sink::postgres::freeze::{self, StreamTransactions};
use crate::sink::postgres::post_data::PostData;

/// What the pipeline thread sends.
pub enum Chunk {
    Data(Vec<u8>),
    /// The stream is complete (anything else ending it is an abort).
    End,
}

/// The channel as a `Read`: EOF only after [`Chunk::End`].
struct ChannelReader {
    rx: Receiver<Chunk>,
    current: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.current.len() {
            match self.rx.recv() {
                Ok(Chunk::Data(d)) => {
                    self.current = d;
                    self.pos = 0;
                }
                Ok(Chunk::End) => return Ok(0),
                Err(_) => return Err(io::Error::other("the run was aborted")),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A COPY block being loaded: its sink, its table, and whether it loads frozen (inside a
/// transaction of the loader's own, committed at its end).
struct Loading {
    sink: Pin<Box<CopyInSink<Bytes>>>,
    table: String,
    frozen: bool,
}

/// Executes the stream on `client`; returns the client when the stream ended cleanly. With
/// `post`, runs of index and foreign-key statements go over its extra connections too. With
/// `freeze`, tables that allow it load frozen ([`freeze`]).
pub fn load(
    handle: Handle,
    client: Client,
    rx: Receiver<Chunk>,
    target: String,
    mut post: Option<PostData>,
    freeze: bool,
) -> Result<Client, Error> {
    let mut reader = DumpReader::new(ChannelReader {
        rx,
        current: Vec::new(),
        pos: 0,
    });
    let mut copy: Option<Loading> = None;
    let mut stream_transactions = StreamTransactions::default();
    let at = |line: u64| Where {
        input: Some(format!("{target} (output line {line})")),
        ..Where::default()
    };
    loop {
        let event = match reader.next_event() {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(e) => return Err(Error::input(e.to_string(), at(reader.line()))),
        };
        match event {
            Event::Verbatim(_) => {}
            Event::Meta { text, line } => {
                let command = String::from_utf8_lossy(&text[1..]);
                let word = command.split_whitespace().next().unwrap_or("");
                if word != "restrict" && word != "unrestrict" {
                    return Err(Error::input(
                        format!("the dump holds the psql meta-command \\{word}, which a database target cannot run; dump without --create"),
                        at(line),
                    ));
                }
            }
            Event::Statement {
                text,
                line,
                copy_from_stdin,
            } => {
                let sql = std::str::from_utf8(text)
                    .map_err(|_| Error::input("a statement is not valid UTF-8", at(line)))?;
                if let Some(post) = post.as_mut() {
                    // Index and key statements gather into a run; the next other statement
                    // ends it first, so the stream's order holds (psql's \restrict lines run
                    // nothing, and COPY rows only follow a COPY statement).
                    if !copy_from_stdin && post.offer(sql, line) {
                        continue;
                    }
                    post.flush(&handle, &client, &at)?;
                }
                if copy_from_stdin {
                    let parsed = copy_table(text);
                    let table = parsed
                        .as_ref()
                        .map_or_else(|| "(unparsed COPY)".into(), |(name, _)| name.clone());
                    let starting = |e: tokio_postgres::Error| {
                        Error::input(
                            format!("starting to load the rows: {}", describe(&e)),
                            at(line).table(&table),
                        )
                    };
                    let frozen_sql = match &parsed {
                        Some((_, as_written)) if freeze && !stream_transactions.open() => handle
                            .block_on(freeze::begin(&client, sql, as_written))
                            .map_err(starting)?,
                        _ => None,
                    };
                    let sink = handle
                        .block_on(client.copy_in::<_, Bytes>(frozen_sql.as_deref().unwrap_or(sql)))
                        .map_err(starting)?;
                    copy = Some(Loading {
                        sink: Box::pin(sink),
                        table,
                        frozen: frozen_sql.is_some(),
                    });
                    continue;
                }
                check_encoding(statement_body(text)).map_err(|m| Error::input(m, at(line)))?;
                handle.block_on(client.batch_execute(sql)).map_err(|e| {
                    Error::input(
                        format!("`{}` failed: {}", statement_label(sql), describe(&e)),
                        at(line),
                    )
                })?;
                if let Some(post) = post.as_mut() {
                    post.ran_alone(sql);
                }
                stream_transactions.ran(sql);
            }
            Event::CopyData {
                data, first_line, ..
            } => {
                let Some(Loading { sink, table, .. }) = copy.as_mut() else {
                    return Err(Error::input(
                        "COPY data outside a COPY block",
                        at(first_line),
                    ));
                };
                let bytes = Bytes::copy_from_slice(data);
                handle.block_on(sink.send(bytes)).map_err(|e| {
                    Error::input(
                        format!("loading the rows failed: {}", describe(&e)),
                        at(first_line).table(table.as_str()),
                    )
                })?;
            }
            Event::CopyEnd { line, .. } => {
                let Some(Loading {
                    mut sink,
                    table,
                    frozen,
                }) = copy.take()
                else {
                    return Err(Error::input("`\\.` outside a COPY block", at(line)));
                };
                let failed = |e: tokio_postgres::Error| {
                    Error::input(
                        format!("loading the rows failed: {}", describe(&e)),
                        at(line).table(table.as_str()),
                    )
                };
                handle.block_on(sink.as_mut().finish()).map_err(failed)?;
                if frozen {
                    handle.block_on(freeze::commit(&client)).map_err(failed)?;
                }
            }
        }
    }
    if copy.is_some() {
        return Err(Error::input(
            "the stream ended inside a COPY block",
            at(reader.line()),
        ));
    }
    if let Some(post) = post.as_mut() {
        post.flush(&handle, &client, &at)?;
    }
    Ok(client)
}

/// The table a `COPY name ... FROM stdin;` loads: quoted and qualified (for messages), and as
/// the statement writes it (which the server resolves as it resolves the COPY itself, through
/// the session's `search_path` when unqualified).
fn copy_table(text: &[u8]) -> Option<(String, String)> {
    let body = statement_body(text);
    let rest = body.get(4..)?.trim_ascii_start();
    let (name, end) = parse_qualified_prefix(rest)?;
    let as_written = std::str::from_utf8(&rest[..end]).ok()?.trim().to_string();
    Some((name.to_string(), as_written))
}

/// Refuses `SET client_encoding` to anything but UTF8.
fn check_encoding(body: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(());
    };
    let lower = text.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("set")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix("client_encoding"))
    else {
        return Ok(());
    };
    let value: String = rest
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .trim_start_matches("to")
        .to_string();
    if value == "utf8" {
        Ok(())
    } else {
        Err(format!("the dump's client_encoding is {value}; a database target needs a UTF8 dump (pg_dump --encoding=UTF8)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert!(check_encoding(b"SET client_encoding = 'UTF8';").is_ok());
        assert!(check_encoding(b"SET client_encoding TO 'UTF8';").is_ok());
        assert!(check_encoding(b"SET client_encoding = 'LATIN1';").is_err());
        assert!(check_encoding(b"SET search_path = x;").is_ok());
    }
}
