--
-- PostgreSQL database dump
--

\restrict ty6bwme7lgRh5dILzrygEEoF7SbWfolcZk1pugQW6vH4q86ocgY63a2IJ9bzmIE

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Sales Dept; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Sales Dept";


ALTER SCHEMA "Sales Dept" OWNER TO postgres;

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;


--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';


--
-- Name: addr; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.addr AS (
	street text,
	zip character varying(10)
);


ALTER TYPE public.addr OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: posint; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.posint AS integer
	CONSTRAINT posint_check CHECK ((VALUE > 0));


ALTER DOMAIN public.posint OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Customer.Contacts; Type: TABLE; Schema: Sales Dept; Owner: postgres
--

CREATE TABLE "Sales Dept"."Customer.Contacts" (
    "Id" integer NOT NULL,
    "Name" text,
    cust bigint
);


ALTER TABLE "Sales Dept"."Customer.Contacts" OWNER TO postgres;

--
-- Name: Audit Log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Audit Log" (
    id integer NOT NULL,
    at timestamp with time zone
);


ALTER TABLE public."Audit Log" OWNER TO postgres;

--
-- Name: Audit Log_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public."Audit Log_id_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public."Audit Log_id_seq" OWNER TO postgres;

--
-- Name: Audit Log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public."Audit Log_id_seq" OWNED BY public."Audit Log".id;


--
-- Name: MixedCase; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."MixedCase" (
    "CamelCol" integer,
    lower integer
);


ALTER TABLE public."MixedCase" OWNER TO postgres;

--
-- Name: arr3; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.arr3 (
    a character varying(5)[],
    b numeric[],
    c "char",
    d name,
    e oid,
    f tsvector,
    g point,
    h int4range,
    k timestamp(3) without time zone
);


ALTER TABLE public.arr3 OWNER TO postgres;

--
-- Name: byreg; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.byreg (
    id integer,
    region text
)
PARTITION BY LIST (region);


ALTER TABLE public.byreg OWNER TO postgres;

--
-- Name: byreg_eu; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.byreg_eu (
    id integer NOT NULL,
    region text
);


ALTER TABLE public.byreg_eu OWNER TO postgres;

--
-- Name: parent; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.parent (
    id integer NOT NULL,
    name text
);


ALTER TABLE public.parent OWNER TO postgres;

--
-- Name: child; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.child (
    name text NOT NULL,
    extra integer
)
INHERITS (public.parent);


ALTER TABLE public.child OWNER TO postgres;

--
-- Name: child2; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.child2 (
    x integer
)
INHERITS (public.parent, public."Audit Log");


ALTER TABLE public.child2 OWNER TO postgres;

--
-- Name: chk; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.chk (
    a integer,
    b integer,
    CONSTRAINT ab CHECK ((a < b))
);


ALTER TABLE public.chk OWNER TO postgres;

--
-- Name: customers; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.customers (
    id bigint NOT NULL,
    email character varying(40) NOT NULL,
    balance numeric(12,2),
    created timestamp with time zone DEFAULT now(),
    tags text[],
    m public.mood,
    cnt public.posint,
    grid integer[],
    full_name text GENERATED ALWAYS AS (((email)::text || 'x'::text)) STORED,
    nick text COLLATE pg_catalog."C",
    t time(3) without time zone,
    ts timestamp(6) without time zone,
    ttz time with time zone,
    iv interval,
    b bytea,
    u uuid,
    i inet,
    c cidr,
    mac macaddr,
    x xml,
    j json,
    jb jsonb,
    mo money,
    r real,
    d double precision,
    s smallint,
    ch character(3),
    bo boolean,
    dt date,
    bits bit(3),
    vb bit varying(5),
    a public.addr,
    CONSTRAINT customers_balance_check CHECK ((balance >= (0)::numeric))
);
ALTER TABLE ONLY public.customers ALTER COLUMN tags SET STATISTICS 100;


ALTER TABLE public.customers OWNER TO postgres;

--
-- Name: TABLE customers; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.customers IS 'semicolon; here';


--
-- Name: customers_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.customers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: defaults; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.defaults (
    a integer DEFAULT 5,
    b text DEFAULT 'x;y'::text,
    c text DEFAULT 'a
b'::text
);


ALTER TABLE public.defaults OWNER TO postgres;

--
-- Name: events; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events (
    id integer NOT NULL,
    at date NOT NULL,
    region text
)
PARTITION BY RANGE (at);


ALTER TABLE public.events OWNER TO postgres;

--
-- Name: events_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_2024 (
    id integer NOT NULL,
    at date NOT NULL,
    region text
);


ALTER TABLE public.events_2024 OWNER TO postgres;

--
-- Name: events_def; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_def (
    id integer NOT NULL,
    at date NOT NULL,
    region text
);


ALTER TABLE public.events_def OWNER TO postgres;

--
-- Name: excl; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.excl (
    id integer,
    r int4range
);


ALTER TABLE public.excl OWNER TO postgres;

--
-- Name: ff; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.ff (
    id integer
)
WITH (fillfactor='70');


ALTER TABLE public.ff OWNER TO postgres;

--
-- Name: h; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.h (
    id integer,
    v text
)
PARTITION BY HASH (id);


ALTER TABLE public.h OWNER TO postgres;

--
-- Name: h0; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.h0 (
    id integer,
    v text
);


ALTER TABLE public.h0 OWNER TO postgres;

--
-- Name: ident2; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.ident2 (
    id integer NOT NULL,
    v text
);


ALTER TABLE public.ident2 OWNER TO postgres;

--
-- Name: ident2_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.ident2 ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.ident2_id_seq
    START WITH 10
    INCREMENT BY 5
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: multi; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.multi (
    a integer,
    b integer,
    c integer
);


ALTER TABLE public.multi OWNER TO postgres;

--
-- Name: mv; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.mv AS
 SELECT customers.id
   FROM public.customers
  WITH NO DATA;


ALTER TABLE public.mv OWNER TO postgres;

--
-- Name: noc; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.noc (
);


ALTER TABLE public.noc OWNER TO postgres;

--
-- Name: pexpr; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.pexpr (
    id integer,
    v text
)
PARTITION BY RANGE (lower(v), id);


ALTER TABLE public.pexpr OWNER TO postgres;

--
-- Name: reloptions; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.reloptions (
    a integer
)
WITH (autovacuum_enabled='false', fillfactor='80');


ALTER TABLE public.reloptions OWNER TO postgres;

--
-- Name: s1; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.s1
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.s1 OWNER TO postgres;

--
-- Name: s1; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.s1 OWNED BY public.customers.id;


--
-- Name: typed; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.typed OF public.addr (
    street NOT NULL
);


ALTER TABLE public.typed OWNER TO postgres;

--
-- Name: ul; Type: TABLE; Schema: public; Owner: postgres
--

CREATE UNLOGGED TABLE public.ul (
    id integer
);


ALTER TABLE public.ul OWNER TO postgres;

--
-- Name: uniq_nd; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.uniq_nd (
    a integer
);


ALTER TABLE public.uniq_nd OWNER TO postgres;

--
-- Name: v; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.v AS
 SELECT customers.id,
    customers.email,
    customers.balance,
    customers.created,
    customers.tags,
    customers.m,
    customers.cnt,
    customers.grid,
    customers.full_name,
    customers.nick,
    customers.t,
    customers.ts,
    customers.ttz,
    customers.iv,
    customers.b,
    customers.u,
    customers.i,
    customers.c,
    customers.mac,
    customers.x,
    customers.j,
    customers.jb,
    customers.mo,
    customers.r,
    customers.d,
    customers.s,
    customers.ch,
    customers.bo,
    customers.dt,
    customers.bits,
    customers.vb,
    customers.a
   FROM public.customers;


ALTER TABLE public.v OWNER TO postgres;

--
-- Name: we"ird.na me; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."we""ird.na me" (
    "col
nl" text,
    "a.b" integer,
    "select" integer,
    "user" text
);


ALTER TABLE public."we""ird.na me" OWNER TO postgres;

--
-- Name: byreg_eu; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.byreg ATTACH PARTITION public.byreg_eu FOR VALUES IN ('eu');


--
-- Name: events_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: events_def; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_def DEFAULT;


--
-- Name: h0; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.h ATTACH PARTITION public.h0 FOR VALUES WITH (modulus 2, remainder 0);


--
-- Name: Audit Log id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Audit Log" ALTER COLUMN id SET DEFAULT nextval('public."Audit Log_id_seq"'::regclass);


--
-- Name: child2 id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.child2 ALTER COLUMN id SET DEFAULT nextval('public."Audit Log_id_seq"'::regclass);


--
-- Name: Customer.Contacts Customer.Contacts_pkey; Type: CONSTRAINT; Schema: Sales Dept; Owner: postgres
--

ALTER TABLE ONLY "Sales Dept"."Customer.Contacts"
    ADD CONSTRAINT "Customer.Contacts_pkey" PRIMARY KEY ("Id");


--
-- Name: Audit Log Audit Log_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Audit Log"
    ADD CONSTRAINT "Audit Log_pkey" PRIMARY KEY (id);


--
-- Name: byreg_eu byreg_eu_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.byreg_eu
    ADD CONSTRAINT byreg_eu_pkey PRIMARY KEY (id);


--
-- Name: customers customers_email_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_email_key UNIQUE (email);


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, at);


--
-- Name: events_2024 events_2024_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events_2024
    ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, at);


--
-- Name: events_def events_def_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events_def
    ADD CONSTRAINT events_def_pkey PRIMARY KEY (id, at);


--
-- Name: excl excl_r_excl; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.excl
    ADD CONSTRAINT excl_r_excl EXCLUDE USING gist (r WITH &&);


--
-- Name: multi multi_a_b_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.multi
    ADD CONSTRAINT multi_a_b_key UNIQUE (a, b);


--
-- Name: typed typed_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.typed
    ADD CONSTRAINT typed_pkey PRIMARY KEY (street);


--
-- Name: uniq_nd uniq_nd_a_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.uniq_nd
    ADD CONSTRAINT uniq_nd_a_key UNIQUE NULLS NOT DISTINCT (a);


--
-- Name: customers_email_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX customers_email_idx ON public.customers USING btree (email);


--
-- Name: events_2024_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2024_pkey;


--
-- Name: events_def_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_pkey ATTACH PARTITION public.events_def_pkey;


--
-- Name: st; Type: STATISTICS; Schema: public; Owner: postgres
--

CREATE STATISTICS public.st ON id, email FROM public.customers;


ALTER STATISTICS public.st OWNER TO postgres;

--
-- Name: Customer.Contacts Customer.Contacts_cust_fkey; Type: FK CONSTRAINT; Schema: Sales Dept; Owner: postgres
--

ALTER TABLE ONLY "Sales Dept"."Customer.Contacts"
    ADD CONSTRAINT "Customer.Contacts_cust_fkey" FOREIGN KEY (cust) REFERENCES public.customers(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: multi multi_fk; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.multi
    ADD CONSTRAINT multi_fk FOREIGN KEY (a) REFERENCES public.customers(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict ty6bwme7lgRh5dILzrygEEoF7SbWfolcZk1pugQW6vH4q86ocgY63a2IJ9bzmIE

