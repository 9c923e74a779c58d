-- bench/generate.sql: fills the benchmark database (run by bench/run.sh; needs psql variable
-- `scale`). Deterministic: the same scale always gives the same rows, so dumps are comparable
-- between machines and runs. Rows per unit of scale: 25,000 customers, 50,000 orders and
-- 30,000 events, about 14 MB of plain pg_dump; customers is the largest table by bytes.
-- All data is fictitious (example.com addresses, 555 numbers).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';

DROP TABLE IF EXISTS public.events, public.orders, public.customers CASCADE;

CREATE TABLE public.customers (
    id bigint NOT NULL,
    email text NOT NULL,
    full_name text NOT NULL,
    phone text,
    birth_date date,
    zip text,
    created_at timestamptz NOT NULL,
    notes text
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    amount numeric(12,2) NOT NULL,
    status text NOT NULL,
    ordered_at timestamptz NOT NULL,
    shipping_address text
);

CREATE TABLE public.events (
    id bigint NOT NULL,
    customer_id bigint,
    ip inet,
    payload jsonb,
    at timestamptz NOT NULL
);

INSERT INTO public.customers
SELECT
    i,
    lower(f) || '.' || lower(l) || '.' || i || '@example.com',
    f || ' ' || l,
    '+1-' || (200 + i % 800) || '-555-' || lpad((i % 10000)::text, 4, '0'),
    date '1940-01-01' + ((i::bigint * 7919) % 25000)::int,
    lpad(((i::bigint * 7919) % 100000)::text, 5, '0'),
    timestamptz '2015-01-01 00:00:00+00' + i * interval '17.25 seconds',
    CASE
        WHEN i % 5 = 0 THEN NULL
        WHEN i % 17 = 0 THEN E'Called twice about order ' || i || E'.\tPrefers e-mail.\nSecond line: "escalated" to tier 2 \\ see ticket #' || (i * 31 % 99991)
        ELSE 'Customer since ' || (2015 + i % 10) || '; prefers ' || (ARRAY['e-mail', 'phone', 'post', 'chat'])[1 + i % 4]
             || ' contact; last note by agent ' || (i % 97) || ' about delivery window and invoice address change.'
    END
FROM generate_series(1, 25000 * :scale) AS i,
     LATERAL (SELECT (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John',
                            'Katherine', 'Linus', 'Margaret', 'Niklaus', 'Radia', 'Tim', 'Zoë', 'José'])[1 + i % 16] AS f,
                     (ARRAY['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Backus',
                            'Johnson', 'Torvalds', 'Hamilton', 'Wirth', 'Perlman', 'Berners-Lee', 'Müller', 'Núñez'])[1 + (i / 16) % 16] AS l) AS n;

INSERT INTO public.orders
SELECT
    i,
    1 + (i * 7) % (25000 * :scale),
    round(((i * 37.77) % 2500)::numeric, 2),
    (ARRAY['new', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'])[1 + i % 6],
    timestamptz '2020-01-01 00:00:00+00' + i * interval '9.5 seconds',
    CASE WHEN i % 10 = 0 THEN NULL
         ELSE (i % 9999) || ' ' || (ARRAY['Oak', 'Maple', 'Cedar', 'Elm', 'Pine'])[1 + i % 5] || E' Street\nSpringfield, ST ' || lpad((i % 100000)::text, 5, '0')
    END
FROM generate_series(1, 50000 * :scale) AS i;

INSERT INTO public.events
SELECT
    i,
    CASE WHEN i % 20 = 0 THEN NULL ELSE 1 + (i * 13) % (25000 * :scale) END,
    ('10.' || (i % 256) || '.' || ((i / 256) % 256) || '.' || (i * 7 % 256))::inet,
    jsonb_build_object(
        'type', (ARRAY['page_view', 'add_to_cart', 'checkout', 'login', 'search'])[1 + i % 5],
        'path', '/products/' || (i % 5000) || '?ref=campaign-' || (i % 37),
        'ua', 'Mozilla/5.0 (X11; Linux x86_64) Example/' || (100 + i % 20),
        'ms', i % 1500),
    timestamptz '2024-01-01 00:00:00+00' + i * interval '1.75 seconds'
FROM generate_series(1, 30000 * :scale) AS i;

ALTER TABLE public.customers ADD PRIMARY KEY (id), ADD UNIQUE (email);
ALTER TABLE public.orders ADD PRIMARY KEY (id),
    ADD FOREIGN KEY (customer_id) REFERENCES public.customers (id);
ALTER TABLE public.events ADD PRIMARY KEY (id),
    ADD FOREIGN KEY (customer_id) REFERENCES public.customers (id);
ANALYZE public.customers, public.orders, public.events;
