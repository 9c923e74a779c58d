#!/usr/bin/env python3
"""Cuts real pg_dump output into seed corpora for every fuzz target.

Usage: fuzz/make_seeds.py DUMP_DIR
DUMP_DIR holds plain-format dumps made by the real pg_dump:
- small-{plain,inserts,column-inserts,rpi}.sql: a database loaded from tests/fixtures/tricky.sql,
  then cut down (DELETE customers with id > 8 and their orders and measurements, contacts_base
  with id > 3), dumped with no flag, --inserts, --column-inserts, and
  --column-inserts --rows-per-insert=3;
- t-{plain,inserts,column-inserts}.sql: in that database,
  `CREATE TABLE public.t AS SELECT id, notes AS label, "FullName" AS memo FROM public.customers`,
  dumped with `pg_dump -t public.t` in the three forms; the pipeline target's fixed policies
  cover exactly this table. Seeds are named after their content's SHA-1,
like libFuzzer's own, so rerunning adds nothing twice.
"""
import hashlib
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
src = sys.argv[1]


def seed(target, data):
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def read(name):
    with open(os.path.join(src, name), "rb") as f:
        return f.read()


def sections(dump):
    # pg_dump introduces every object with a "--\n-- Name: ..." comment block.
    return [s for s in re.split(rb"\n(?=--\n-- (?:Name|Data for Name): )", dump) if s.strip()]


small = {f: read(f"small-{f}.sql") for f in ["plain", "inserts", "column-inserts", "rpi"]}
tdump = {f: read(f"t-{f}.sql") for f in ["plain", "inserts", "column-inserts"]}

# statement_splitter: first byte is the read size - 1.
for i, dump in enumerate(list(small.values()) + list(tdump.values())):
    seed("statement_splitter", bytes([i * 7 % 64]) + dump)
for sec in sections(small["plain"])[:60]:
    seed("statement_splitter", b"\x03" + sec)

# copy_text: flag byte (bit 0 UTF-8, bits 1-3 fields) + COPY data lines.
for dump in [small["plain"], tdump["plain"]]:
    for m in re.finditer(rb"^COPY [^\n]*\((.*?)\) FROM stdin;\n(.*?)^\\\.\n", dump, re.S | re.M):
        ncols = m.group(1).count(b",") + 1
        flags = bytes([1 | (min(ncols, 7) << 1)])
        lines = m.group(2).splitlines(keepends=True)
        for line in lines[:12]:
            seed("copy_text", flags + line)
        seed("copy_text", flags + b"".join(lines[:8]))

# insert_values: what follows VALUES, one statement (or multi-row statement) at a time.
for dump in [small["inserts"], small["column-inserts"], small["rpi"], tdump["inserts"]]:
    for m in list(re.finditer(rb"^INSERT INTO .*? VALUES (.*?;)\n", dump, re.S | re.M))[:40]:
        seed("insert_values", m.group(1))

# ddl: CREATE/ALTER TABLE statements; a few joined by NUL into one schema.
ddl = [m.group(0) for m in re.finditer(rb"^(?:CREATE|ALTER) (?:TABLE|TYPE|DOMAIN)[^;]*?;\n", small["plain"], re.S | re.M)]
for stmt in ddl:
    seed("ddl", stmt)
seed("ddl", b"\0".join(ddl))

# policy: the project's policies and the fixtures' (whole files).
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for d in ["policies", "examples", "tests/fixtures"]:
    for name in sorted(os.listdir(os.path.join(repo, d))):
        if name.endswith(".toml"):
            with open(os.path.join(repo, d, name), "rb") as f:
                seed("policy", f.read())
fixed = b"""version = 1
[tables."public.t".columns]
id = { transform = "keep", reason = "surrogate key" }
label = { transform = "hash", domain = "labels" }
memo = { transform = "redact" }
n = { transform = "null" }
at = { transform = "keep", reason = "x" }
tags = { transform = "redact" }

[tables.'"Odd Schema"."We""ird"'.columns]
"Col A" = { transform = "hash" }
b = { transform = "null" }

[large_objects]
transform = "null"
"""
seed("policy", fixed)

# pipeline: mode 0 = raw dump of public.t; modes 1/3 = rows for a generated COPY/INSERT dump.
for dump in tdump.values():
    seed("pipeline", b"\x00" + dump)
rows = b"ada@example.com\tAda Lovelace\nback\\\\slash\t\\N\nsemi;colon\tit's"
seed("pipeline", b"\x01" + rows)
seed("pipeline", b"\x03" + rows)

# transforms: values as they appear in dumps, and FF1 shapes (12 header bytes).
for v in [b"ada.lovelace@example.com", b"+1-202-555-0101", "Zo\u00eb \U0001F680".encode(), b""]:
    seed("transforms", v)
seed("transforms", bytes([10, 0, 4, 0x40, 0x42, 0x0f, 0, 0, 0, 0, 0, 0]) + b"twk!" + b"0123456789" * 2)
seed("transforms", bytes([0xfe, 0xff, 0, 0xe8, 0x03, 0, 0, 0, 0, 0, 0, 0]) + b"\x01\x02\x03\x04")
