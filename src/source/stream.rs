//! The dump stream of a live source: a `Read` that yields pre-data DDL, then every table's rows
//! as `COPY ... FROM stdin;` blocks, then sequence positions, then post-data DDL.
//!
//! Worker connections (all on the same snapshot) run `COPY ... TO STDOUT` in parallel, each
//! into a bounded channel per unit (a table, or one block range of a large table, see
//! [`super::split`]); the reader drains those channels in unit order, joining a table's ranges
//! into one COPY block, so the next units are fetched while the current one is consumed. A
//! semaphore bounds how far the workers run ahead of the reader: memory stays at about
//! `LOOKAHEAD × CHANNEL × CHUNK`, and for ranges `LOOKAHEAD × min(range size, 64 MB)` (a range
//! may be fetched whole while the ones before it are consumed: that is what makes it parallel).
//!
//! Architecture Invariant: a table's block ends with `\.` only when the workers of all its
//! units said their COPY completed. A worker that fails or vanishes makes `read` fail; a
//! truncated table is never passed off as a whole one.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, Semaphore};
use tokio_postgres::Client;

use super::catalog::TableData;
use super::split::{self, Unit};
use crate::pg::{errors, ConnSpec};

/// Bytes per message from a worker to the reader.
const CHUNK: usize = 256 * 1024;
/// Messages buffered per table.
const CHANNEL: usize = 8;
/// Messages buffered per range at most (64 MB).
const RANGE_CHANNEL_MAX: usize = 256;

/// What a worker says about one table.
pub enum Msg {
    Data(Bytes),
    /// The COPY completed: the table is whole.
    Done,
    /// The COPY failed; the message names the table, never a value.
    Failed(String),
}

/// A piece of the stream, in order.
pub enum Piece {
    Text(Bytes),
    Table(usize),
    /// A pg_dump child's stdout, checked for success at its end.
    Child(Box<ChildPiece>),
}

/// A running pg_dump whose output is part of the stream.
pub struct ChildPiece {
    child: Child,
    conn: ConnSpec,
}

impl ChildPiece {
    /// Wraps a child spawned with piped stdout and stderr.
    pub fn new(child: Child, conn: ConnSpec) -> Self {
        ChildPiece { child, conn }
    }

    /// Reads some output; `Ok(0)` only after the child exited successfully.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let out = self.child.stdout.as_mut().expect("stdout is piped");
        let n = out.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        let mut stderr = Vec::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_end(&mut stderr);
        }
        let status = self.child.wait()?;
        if status.success() {
            Ok(0)
        } else {
            Err(io::Error::other(super::pg_dump::failure(
                "of the large objects",
                &self.conn,
                status,
                &stderr,
            )))
        }
    }
}

impl Drop for ChildPiece {
    fn drop(&mut self) {
        // An aborted run must not leave pg_dump behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The reader side.
pub struct LiveStream {
    pieces: VecDeque<Piece>,
    tables: Arc<Vec<TableData>>,
    units: Arc<Vec<Unit>>,
    /// Each table's first unit.
    first_unit: Vec<usize>,
    receivers: Vec<Option<mpsc::Receiver<Msg>>>,
    /// The unit being read and its channel.
    current: Option<(usize, mpsc::Receiver<Msg>)>,
    child: Option<Box<ChildPiece>>,
    chunk: Bytes,
    ahead: Arc<Semaphore>,
    // Dropped last: shutting the runtime down ends the workers and closes the connections,
    // which ends the snapshot's transactions.
    _runtime: Runtime,
}

/// Starts the workers (`clients[0]` is the connection that exported the snapshot; the others
/// have imported it) and returns the stream. `units` lists every table at least once, in
/// table order; `split_threshold` sizes the ranges' buffers.
pub fn start(
    runtime: Runtime,
    clients: Vec<Client>,
    tables: Vec<TableData>,
    units: Vec<Unit>,
    split_threshold: u64,
    pieces: VecDeque<Piece>,
) -> LiveStream {
    let tables = Arc::new(tables);
    let units = Arc::new(units);
    let lookahead = (clients.len() * 2).max(2);
    let ahead = Arc::new(Semaphore::new(lookahead));
    let next = Arc::new(AtomicUsize::new(0));
    let range_channel = usize::try_from(split_threshold / CHUNK as u64)
        .map_or(RANGE_CHANNEL_MAX, |n| n.clamp(CHANNEL, RANGE_CHANNEL_MAX));
    let mut senders = Vec::with_capacity(units.len());
    let mut receivers = Vec::with_capacity(units.len());
    for unit in units.iter() {
        let capacity = if unit.range.is_some() {
            range_channel
        } else {
            CHANNEL
        };
        let (tx, rx) = mpsc::channel(capacity);
        senders.push(Some(tx));
        receivers.push(Some(rx));
    }
    let senders = Arc::new(Mutex::new(senders));
    for client in clients {
        let (tables, units, next, senders, ahead) = (
            tables.clone(),
            units.clone(),
            next.clone(),
            senders.clone(),
            ahead.clone(),
        );
        runtime.spawn(async move {
            loop {
                // Permits are taken before unit numbers, so they go out in unit order and
                // the unit the reader waits for always holds one.
                match ahead.acquire().await {
                    Ok(p) => p.forget(),
                    Err(_) => return,
                }
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= units.len() {
                    return;
                }
                let tx = senders.lock().expect("no panics under this lock")[i]
                    .take()
                    .expect("each unit is taken once");
                let Unit { table, range } = units[i];
                let msg = match copy_table(&client, &tables[table], range, &tx).await {
                    Ok(()) => Msg::Done,
                    Err(e) => Msg::Failed(e),
                };
                let _ = tx.send(msg).await;
            }
        });
    }
    let mut first_unit = vec![usize::MAX; tables.len()];
    for (u, unit) in units.iter().enumerate().rev() {
        first_unit[unit.table] = u;
    }
    LiveStream {
        pieces,
        tables,
        units,
        first_unit,
        receivers,
        current: None,
        child: None,
        chunk: Bytes::new(),
        ahead,
        _runtime: runtime,
    }
}

async fn copy_table(
    client: &Client,
    table: &TableData,
    range: Option<split::BlockRange>,
    tx: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    let fail = |e: tokio_postgres::Error| {
        format!(
            "reading table {} from the source: {}",
            table.qualified,
            errors::describe(&e)
        )
    };
    let stream = client
        .copy_out(split::copy_to_stdout(table, range).as_str())
        .await
        .map_err(fail)?;
    futures_util::pin_mut!(stream);
    let mut buf = BytesMut::with_capacity(CHUNK);
    while let Some(row) = stream.next().await {
        buf.extend_from_slice(&row.map_err(fail)?);
        if buf.len() >= CHUNK {
            let full = std::mem::replace(&mut buf, BytesMut::with_capacity(CHUNK));
            if tx.send(Msg::Data(full.freeze())).await.is_err() {
                return Err("the reader stopped".into());
            }
        }
    }
    if !buf.is_empty() && tx.send(Msg::Data(buf.freeze())).await.is_err() {
        return Err("the reader stopped".into());
    }
    Ok(())
}

impl LiveStream {
    /// Fills `self.chunk` with the next bytes; `false` at the end of the stream.
    fn advance(&mut self) -> io::Result<bool> {
        if let Some((u, rx)) = &mut self.current {
            let table = self.units[*u].table;
            return match rx.blocking_recv() {
                Some(Msg::Data(b)) => {
                    self.chunk = b;
                    Ok(true)
                }
                Some(Msg::Done) => {
                    self.ahead.add_permits(1);
                    let next = *u + 1;
                    if self.units.get(next).is_some_and(|n| n.table == table) {
                        // The table's next range continues the same COPY block.
                        let rx = self.receivers[next].take().expect("each unit is read once");
                        self.current = Some((next, rx));
                    } else {
                        self.current = None;
                        self.chunk = Bytes::from_static(b"\\.\n\n\n");
                    }
                    Ok(true)
                }
                Some(Msg::Failed(message)) => Err(io::Error::other(message)),
                None => Err(io::Error::other(format!(
                    "the connection reading table {} stopped before the table was complete",
                    self.tables[table].qualified
                ))),
            };
        }
        match self.pieces.pop_front() {
            None => Ok(false),
            Some(Piece::Text(b)) => {
                self.chunk = b;
                Ok(true)
            }
            Some(Piece::Child(c)) => {
                self.child = Some(c);
                Ok(true)
            }
            Some(Piece::Table(i)) => {
                let t = &self.tables[i];
                let u = self.first_unit[i];
                let rx = self.receivers[u].take().expect("each unit is read once");
                self.current = Some((u, rx));
                self.chunk = Bytes::from(format!(
                    "--\n-- Data for Name: {}; Type: TABLE DATA; Schema: {}; Owner: {}\n--\n\n{}",
                    t.name.replace('\n', " "),
                    t.schema.replace('\n', " "),
                    t.owner.replace('\n', " "),
                    t.copy_from_stdin()
                ));
                Ok(true)
            }
        }
    }
}

impl Read for LiveStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(child) = &mut self.child {
            let n = child.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            self.child = None;
        }
        while self.chunk.is_empty() && self.child.is_none() {
            if !self.advance()? {
                return Ok(0);
            }
        }
        if self.chunk.is_empty() {
            return self.read(buf);
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        let _ = self.chunk.split_to(n);
        Ok(n)
    }
}
