--
-- PostgreSQL database dump
--

\restrict pZKU8JtSyNjdCK6Y3NBJxZetdWGhGMKfan4CcwKCfzewh6cuRpmgqoqrABBzWcO

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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: customers; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.customers (
    id integer NOT NULL,
    email text NOT NULL,
    full_name text NOT NULL,
    phone character varying(20),
    birth_date date,
    zip character varying(10),
    created_at timestamp with time zone NOT NULL,
    notes text
);


ALTER TABLE public.customers OWNER TO postgres;

--
-- Name: COLUMN customers.notes; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.customers.notes IS 'free text typed by support staff';


--
-- Name: customers_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.customers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.customers_id_seq OWNER TO postgres;

--
-- Name: customers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.customers_id_seq OWNED BY public.customers.id;


--
-- Name: orders; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.orders (
    id integer NOT NULL,
    customer_id integer NOT NULL,
    amount numeric(12,2) NOT NULL,
    status text NOT NULL,
    ordered_at timestamp with time zone NOT NULL,
    shipping_address text,
    CONSTRAINT orders_status_check CHECK ((status = ANY (ARRAY['new'::text, 'paid'::text, 'shipped'::text, 'cancelled'::text])))
);


ALTER TABLE public.orders OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.orders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.orders_id_seq OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;


--
-- Name: customers id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customers ALTER COLUMN id SET DEFAULT nextval('public.customers_id_seq'::regclass);


--
-- Name: orders id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);


--
-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.customers (id, email, full_name, phone, birth_date, zip, created_at, notes) FROM stdin;
1	customer1@example.com	Grace Backus	+1-555-0101	1950-04-08	00131	2020-01-01 07:13:00+00	
2	customer2@example.com	Alan Allen	+1-555-0102	1950-07-14	00262	2020-01-01 14:26:00+00	
3	customer3@example.com	Edsger Knuth	+1-555-0103	1950-10-19	00393	2020-01-01 21:39:00+00	
4	customer4@example.com	Barbara Liskov	+1-555-0104	1951-01-24	00524	2020-01-02 04:52:00+00	
5	customer5@example.com	Donald Dijkstra	+1-555-0105	1951-05-01	00655	2020-01-02 12:05:00+00	called about order;\tprefers email\nVIP
6	customer6@example.com	Frances Turing	+1-555-0106	1951-08-06	00786	2020-01-02 19:18:00+00	
7	customer7@example.com	John Hopper	+1-555-0107	1951-11-11	00917	2020-01-03 02:31:00+00	\N
8	customer8@example.com	Ada Lovelace	+1-555-0108	1952-02-16	01048	2020-01-03 09:44:00+00	
9	customer9@example.com	Grace Backus	+1-555-0109	1952-05-23	01179	2020-01-03 16:57:00+00	
10	customer10@example.com	Alan Allen	+1-555-0110	1952-08-28	01310	2020-01-04 00:10:00+00	called about order;\tprefers email\nVIP
11	customer11@example.com	Edsger Knuth	+1-555-0111	1952-12-03	01441	2020-01-04 07:23:00+00	
12	customer12@example.com	Barbara Liskov	+1-555-0112	1953-03-10	01572	2020-01-04 14:36:00+00	
13	customer13@example.com	Donald Dijkstra	+1-555-0113	1953-06-15	01703	2020-01-04 21:49:00+00	
14	customer14@example.com	Frances Turing	+1-555-0114	1953-09-20	01834	2020-01-05 05:02:00+00	\N
15	customer15@example.com	John Hopper	+1-555-0115	1953-12-26	01965	2020-01-05 12:15:00+00	called about order;\tprefers email\nVIP
16	customer16@example.com	Ada Lovelace	+1-555-0116	1954-04-02	02096	2020-01-05 19:28:00+00	
17	customer17@example.com	Grace Backus	+1-555-0117	1954-07-08	02227	2020-01-06 02:41:00+00	
18	customer18@example.com	Alan Allen	+1-555-0118	1954-10-13	02358	2020-01-06 09:54:00+00	
19	customer19@example.com	Edsger Knuth	+1-555-0119	1955-01-18	02489	2020-01-06 17:07:00+00	
20	customer20@example.com	Barbara Liskov	+1-555-0120	1955-04-25	02620	2020-01-07 00:20:00+00	called about order;\tprefers email\nVIP
21	customer21@example.com	Donald Dijkstra	+1-555-0121	1955-07-31	02751	2020-01-07 07:33:00+00	\N
22	customer22@example.com	Frances Turing	+1-555-0122	1955-11-05	02882	2020-01-07 14:46:00+00	
23	customer23@example.com	John Hopper	+1-555-0123	1956-02-10	03013	2020-01-07 21:59:00+00	
24	customer24@example.com	Ada Lovelace	+1-555-0124	1956-05-17	03144	2020-01-08 05:12:00+00	
25	customer25@example.com	Grace Backus	+1-555-0125	1956-08-22	03275	2020-01-08 12:25:00+00	called about order;\tprefers email\nVIP
26	customer26@example.com	Alan Allen	+1-555-0126	1956-11-27	03406	2020-01-08 19:38:00+00	
27	customer27@example.com	Edsger Knuth	+1-555-0127	1957-03-04	03537	2020-01-09 02:51:00+00	
28	customer28@example.com	Barbara Liskov	+1-555-0128	1957-06-09	03668	2020-01-09 10:04:00+00	\N
29	customer29@example.com	Donald Dijkstra	+1-555-0129	1957-09-14	03799	2020-01-09 17:17:00+00	
30	customer30@example.com	Frances Turing	+1-555-0130	1957-12-20	03930	2020-01-10 00:30:00+00	called about order;\tprefers email\nVIP
31	customer31@example.com	John Hopper	+1-555-0131	1958-03-27	04061	2020-01-10 07:43:00+00	
32	customer32@example.com	Ada Lovelace	+1-555-0132	1958-07-02	04192	2020-01-10 14:56:00+00	
33	customer33@example.com	Grace Backus	+1-555-0133	1958-10-07	04323	2020-01-10 22:09:00+00	
34	customer34@example.com	Alan Allen	+1-555-0134	1959-01-12	04454	2020-01-11 05:22:00+00	
35	customer35@example.com	Edsger Knuth	+1-555-0135	1959-04-19	04585	2020-01-11 12:35:00+00	called about order;\tprefers email\nVIP
36	customer36@example.com	Barbara Liskov	+1-555-0136	1959-07-25	04716	2020-01-11 19:48:00+00	
37	customer37@example.com	Donald Dijkstra	+1-555-0137	1959-10-30	04847	2020-01-12 03:01:00+00	
38	customer38@example.com	Frances Turing	+1-555-0138	1960-02-04	04978	2020-01-12 10:14:00+00	
39	customer39@example.com	John Hopper	+1-555-0139	1960-05-11	05109	2020-01-12 17:27:00+00	
40	customer40@example.com	Ada Lovelace	+1-555-0140	1960-08-16	05240	2020-01-13 00:40:00+00	called about order;\tprefers email\nVIP
41	customer41@example.com	Grace Backus	+1-555-0141	1960-11-21	05371	2020-01-13 07:53:00+00	
42	customer42@example.com	Alan Allen	+1-555-0142	1961-02-26	05502	2020-01-13 15:06:00+00	\N
43	customer43@example.com	Edsger Knuth	+1-555-0143	1961-06-03	05633	2020-01-13 22:19:00+00	
44	customer44@example.com	Barbara Liskov	+1-555-0144	1961-09-08	05764	2020-01-14 05:32:00+00	
45	customer45@example.com	Donald Dijkstra	+1-555-0145	1961-12-14	05895	2020-01-14 12:45:00+00	called about order;\tprefers email\nVIP
46	customer46@example.com	Frances Turing	+1-555-0146	1962-03-21	06026	2020-01-14 19:58:00+00	
47	customer47@example.com	John Hopper	+1-555-0147	1962-06-26	06157	2020-01-15 03:11:00+00	
48	customer48@example.com	Ada Lovelace	+1-555-0148	1962-10-01	06288	2020-01-15 10:24:00+00	
49	customer49@example.com	Grace Backus	+1-555-0149	1963-01-06	06419	2020-01-15 17:37:00+00	\N
50	customer50@example.com	Alan Allen	+1-555-0150	1963-04-13	06550	2020-01-16 00:50:00+00	called about order;\tprefers email\nVIP
51	customer51@example.com	Edsger Knuth	+1-555-0151	1963-07-19	06681	2020-01-16 08:03:00+00	
52	customer52@example.com	Barbara Liskov	+1-555-0152	1963-10-24	06812	2020-01-16 15:16:00+00	
53	customer53@example.com	Donald Dijkstra	+1-555-0153	1964-01-29	06943	2020-01-16 22:29:00+00	
54	customer54@example.com	Frances Turing	+1-555-0154	1964-05-05	07074	2020-01-17 05:42:00+00	
55	customer55@example.com	John Hopper	+1-555-0155	1964-08-10	07205	2020-01-17 12:55:00+00	called about order;\tprefers email\nVIP
56	customer56@example.com	Ada Lovelace	+1-555-0156	1964-11-15	07336	2020-01-17 20:08:00+00	\N
57	customer57@example.com	Grace Backus	+1-555-0157	1965-02-20	07467	2020-01-18 03:21:00+00	
58	customer58@example.com	Alan Allen	+1-555-0158	1965-05-28	07598	2020-01-18 10:34:00+00	
59	customer59@example.com	Edsger Knuth	+1-555-0159	1965-09-02	07729	2020-01-18 17:47:00+00	
60	customer60@example.com	Barbara Liskov	+1-555-0160	1965-12-08	07860	2020-01-19 01:00:00+00	called about order;\tprefers email\nVIP
61	customer61@example.com	Donald Dijkstra	+1-555-0161	1966-03-15	07991	2020-01-19 08:13:00+00	
62	customer62@example.com	Frances Turing	+1-555-0162	1966-06-20	08122	2020-01-19 15:26:00+00	
63	customer63@example.com	John Hopper	+1-555-0163	1966-09-25	08253	2020-01-19 22:39:00+00	\N
64	customer64@example.com	Ada Lovelace	+1-555-0164	1966-12-31	08384	2020-01-20 05:52:00+00	
65	customer65@example.com	Grace Backus	+1-555-0165	1967-04-07	08515	2020-01-20 13:05:00+00	called about order;\tprefers email\nVIP
66	customer66@example.com	Alan Allen	+1-555-0166	1967-07-13	08646	2020-01-20 20:18:00+00	
67	customer67@example.com	Edsger Knuth	+1-555-0167	1967-10-18	08777	2020-01-21 03:31:00+00	
68	customer68@example.com	Barbara Liskov	+1-555-0168	1968-01-23	08908	2020-01-21 10:44:00+00	
69	customer69@example.com	Donald Dijkstra	+1-555-0169	1968-04-29	09039	2020-01-21 17:57:00+00	
70	customer70@example.com	Frances Turing	+1-555-0170	1968-08-04	09170	2020-01-22 01:10:00+00	called about order;\tprefers email\nVIP
71	customer71@example.com	John Hopper	+1-555-0171	1968-11-09	09301	2020-01-22 08:23:00+00	
72	customer72@example.com	Ada Lovelace	+1-555-0172	1969-02-14	09432	2020-01-22 15:36:00+00	
73	customer73@example.com	Grace Backus	+1-555-0173	1969-05-22	09563	2020-01-22 22:49:00+00	
74	customer74@example.com	Alan Allen	+1-555-0174	1969-08-27	09694	2020-01-23 06:02:00+00	
75	customer75@example.com	Edsger Knuth	+1-555-0175	1969-12-02	09825	2020-01-23 13:15:00+00	called about order;\tprefers email\nVIP
76	customer76@example.com	Barbara Liskov	+1-555-0176	1970-03-09	09956	2020-01-23 20:28:00+00	
77	customer77@example.com	Donald Dijkstra	+1-555-0177	1970-06-14	10087	2020-01-24 03:41:00+00	\N
78	customer78@example.com	Frances Turing	+1-555-0178	1970-09-19	10218	2020-01-24 10:54:00+00	
79	customer79@example.com	John Hopper	+1-555-0179	1970-12-25	10349	2020-01-24 18:07:00+00	
80	customer80@example.com	Ada Lovelace	+1-555-0180	1971-04-01	10480	2020-01-25 01:20:00+00	called about order;\tprefers email\nVIP
81	customer81@example.com	Grace Backus	+1-555-0181	1971-07-07	10611	2020-01-25 08:33:00+00	
82	customer82@example.com	Alan Allen	+1-555-0182	1971-10-12	10742	2020-01-25 15:46:00+00	
83	customer83@example.com	Edsger Knuth	+1-555-0183	1972-01-17	10873	2020-01-25 22:59:00+00	
84	customer84@example.com	Barbara Liskov	+1-555-0184	1972-04-23	11004	2020-01-26 06:12:00+00	\N
85	customer85@example.com	Donald Dijkstra	+1-555-0185	1972-07-29	11135	2020-01-26 13:25:00+00	called about order;\tprefers email\nVIP
86	customer86@example.com	Frances Turing	+1-555-0186	1972-11-03	11266	2020-01-26 20:38:00+00	
87	customer87@example.com	John Hopper	+1-555-0187	1973-02-08	11397	2020-01-27 03:51:00+00	
88	customer88@example.com	Ada Lovelace	+1-555-0188	1973-05-16	11528	2020-01-27 11:04:00+00	
89	customer89@example.com	Grace Backus	+1-555-0189	1973-08-21	11659	2020-01-27 18:17:00+00	
90	customer90@example.com	Alan Allen	+1-555-0190	1973-11-26	11790	2020-01-28 01:30:00+00	called about order;\tprefers email\nVIP
91	customer91@example.com	Edsger Knuth	+1-555-0191	1974-03-03	11921	2020-01-28 08:43:00+00	\N
92	customer92@example.com	Barbara Liskov	+1-555-0192	1974-06-08	12052	2020-01-28 15:56:00+00	
93	customer93@example.com	Donald Dijkstra	+1-555-0193	1974-09-13	12183	2020-01-28 23:09:00+00	
94	customer94@example.com	Frances Turing	+1-555-0194	1974-12-19	12314	2020-01-29 06:22:00+00	
95	customer95@example.com	John Hopper	+1-555-0195	1975-03-26	12445	2020-01-29 13:35:00+00	called about order;\tprefers email\nVIP
96	customer96@example.com	Ada Lovelace	+1-555-0196	1975-07-01	12576	2020-01-29 20:48:00+00	
97	customer97@example.com	Grace Backus	+1-555-0197	1975-10-06	12707	2020-01-30 04:01:00+00	
98	customer98@example.com	Alan Allen	+1-555-0198	1976-01-11	12838	2020-01-30 11:14:00+00	\N
99	customer99@example.com	Edsger Knuth	+1-555-0199	1976-04-17	12969	2020-01-30 18:27:00+00	
100	customer100@example.com	Barbara Liskov	+1-555-0100	1976-07-23	13100	2020-01-31 01:40:00+00	called about order;\tprefers email\nVIP
101	customer101@example.com	Donald Dijkstra	+1-555-0101	1976-10-28	13231	2020-01-31 08:53:00+00	
102	customer102@example.com	Frances Turing	+1-555-0102	1977-02-02	13362	2020-01-31 16:06:00+00	
103	customer103@example.com	John Hopper	+1-555-0103	1977-05-10	13493	2020-01-31 23:19:00+00	
104	customer104@example.com	Ada Lovelace	+1-555-0104	1977-08-15	13624	2020-02-01 06:32:00+00	
105	customer105@example.com	Grace Backus	+1-555-0105	1977-11-20	13755	2020-02-01 13:45:00+00	called about order;\tprefers email\nVIP
106	customer106@example.com	Alan Allen	+1-555-0106	1978-02-25	13886	2020-02-01 20:58:00+00	
107	customer107@example.com	Edsger Knuth	+1-555-0107	1978-06-02	14017	2020-02-02 04:11:00+00	
108	customer108@example.com	Barbara Liskov	+1-555-0108	1978-09-07	14148	2020-02-02 11:24:00+00	
109	customer109@example.com	Donald Dijkstra	+1-555-0109	1978-12-13	14279	2020-02-02 18:37:00+00	
110	customer110@example.com	Frances Turing	+1-555-0110	1979-03-20	14410	2020-02-03 01:50:00+00	called about order;\tprefers email\nVIP
111	customer111@example.com	John Hopper	+1-555-0111	1979-06-25	14541	2020-02-03 09:03:00+00	
112	customer112@example.com	Ada Lovelace	+1-555-0112	1979-09-30	14672	2020-02-03 16:16:00+00	\N
113	customer113@example.com	Grace Backus	+1-555-0113	1980-01-05	14803	2020-02-03 23:29:00+00	
114	customer114@example.com	Alan Allen	+1-555-0114	1980-04-11	14934	2020-02-04 06:42:00+00	
115	customer115@example.com	Edsger Knuth	+1-555-0115	1980-07-17	15065	2020-02-04 13:55:00+00	called about order;\tprefers email\nVIP
116	customer116@example.com	Barbara Liskov	+1-555-0116	1980-10-22	15196	2020-02-04 21:08:00+00	
117	customer117@example.com	Donald Dijkstra	+1-555-0117	1981-01-27	15327	2020-02-05 04:21:00+00	
118	customer118@example.com	Frances Turing	+1-555-0118	1981-05-04	15458	2020-02-05 11:34:00+00	
119	customer119@example.com	John Hopper	+1-555-0119	1981-08-09	15589	2020-02-05 18:47:00+00	\N
120	customer120@example.com	Ada Lovelace	+1-555-0120	1981-11-14	15720	2020-02-06 02:00:00+00	called about order;\tprefers email\nVIP
121	customer121@example.com	Grace Backus	+1-555-0121	1982-02-19	15851	2020-02-06 09:13:00+00	
122	customer122@example.com	Alan Allen	+1-555-0122	1982-05-27	15982	2020-02-06 16:26:00+00	
123	customer123@example.com	Edsger Knuth	+1-555-0123	1982-09-01	16113	2020-02-06 23:39:00+00	
124	customer124@example.com	Barbara Liskov	+1-555-0124	1982-12-07	16244	2020-02-07 06:52:00+00	
125	customer125@example.com	Donald Dijkstra	+1-555-0125	1983-03-14	16375	2020-02-07 14:05:00+00	called about order;\tprefers email\nVIP
126	customer126@example.com	Frances Turing	+1-555-0126	1983-06-19	16506	2020-02-07 21:18:00+00	\N
127	customer127@example.com	John Hopper	+1-555-0127	1983-09-24	16637	2020-02-08 04:31:00+00	
128	customer128@example.com	Ada Lovelace	+1-555-0128	1983-12-30	16768	2020-02-08 11:44:00+00	
129	customer129@example.com	Grace Backus	+1-555-0129	1984-04-05	16899	2020-02-08 18:57:00+00	
130	customer130@example.com	Alan Allen	+1-555-0130	1984-07-11	17030	2020-02-09 02:10:00+00	called about order;\tprefers email\nVIP
131	customer131@example.com	Edsger Knuth	+1-555-0131	1984-10-16	17161	2020-02-09 09:23:00+00	
132	customer132@example.com	Barbara Liskov	+1-555-0132	1985-01-21	17292	2020-02-09 16:36:00+00	
133	customer133@example.com	Donald Dijkstra	+1-555-0133	1985-04-28	17423	2020-02-09 23:49:00+00	\N
134	customer134@example.com	Frances Turing	+1-555-0134	1985-08-03	17554	2020-02-10 07:02:00+00	
135	customer135@example.com	John Hopper	+1-555-0135	1985-11-08	17685	2020-02-10 14:15:00+00	called about order;\tprefers email\nVIP
136	customer136@example.com	Ada Lovelace	+1-555-0136	1986-02-13	17816	2020-02-10 21:28:00+00	
137	customer137@example.com	Grace Backus	+1-555-0137	1986-05-21	17947	2020-02-11 04:41:00+00	
138	customer138@example.com	Alan Allen	+1-555-0138	1986-08-26	18078	2020-02-11 11:54:00+00	
139	customer139@example.com	Edsger Knuth	+1-555-0139	1986-12-01	18209	2020-02-11 19:07:00+00	
140	customer140@example.com	Barbara Liskov	+1-555-0140	1987-03-08	18340	2020-02-12 02:20:00+00	called about order;\tprefers email\nVIP
141	customer141@example.com	Donald Dijkstra	+1-555-0141	1987-06-13	18471	2020-02-12 09:33:00+00	
142	customer142@example.com	Frances Turing	+1-555-0142	1987-09-18	18602	2020-02-12 16:46:00+00	
143	customer143@example.com	John Hopper	+1-555-0143	1987-12-24	18733	2020-02-12 23:59:00+00	
144	customer144@example.com	Ada Lovelace	+1-555-0144	1988-03-30	18864	2020-02-13 07:12:00+00	
145	customer145@example.com	Grace Backus	+1-555-0145	1988-07-05	18995	2020-02-13 14:25:00+00	called about order;\tprefers email\nVIP
146	customer146@example.com	Alan Allen	+1-555-0146	1988-10-10	19126	2020-02-13 21:38:00+00	
147	customer147@example.com	Edsger Knuth	+1-555-0147	1989-01-15	19257	2020-02-14 04:51:00+00	\N
148	customer148@example.com	Barbara Liskov	+1-555-0148	1989-04-22	19388	2020-02-14 12:04:00+00	
149	customer149@example.com	Donald Dijkstra	+1-555-0149	1989-07-28	19519	2020-02-14 19:17:00+00	
150	customer150@example.com	Frances Turing	+1-555-0150	1989-11-02	19650	2020-02-15 02:30:00+00	called about order;\tprefers email\nVIP
151	customer151@example.com	John Hopper	+1-555-0151	1990-02-07	19781	2020-02-15 09:43:00+00	
152	customer152@example.com	Ada Lovelace	+1-555-0152	1990-05-15	19912	2020-02-15 16:56:00+00	
153	customer153@example.com	Grace Backus	+1-555-0153	1990-08-20	20043	2020-02-16 00:09:00+00	
154	customer154@example.com	Alan Allen	+1-555-0154	1990-11-25	20174	2020-02-16 07:22:00+00	\N
155	customer155@example.com	Edsger Knuth	+1-555-0155	1991-03-02	20305	2020-02-16 14:35:00+00	called about order;\tprefers email\nVIP
156	customer156@example.com	Barbara Liskov	+1-555-0156	1991-06-07	20436	2020-02-16 21:48:00+00	
157	customer157@example.com	Donald Dijkstra	+1-555-0157	1991-09-12	20567	2020-02-17 05:01:00+00	
158	customer158@example.com	Frances Turing	+1-555-0158	1991-12-18	20698	2020-02-17 12:14:00+00	
159	customer159@example.com	John Hopper	+1-555-0159	1992-03-24	20829	2020-02-17 19:27:00+00	
160	customer160@example.com	Ada Lovelace	+1-555-0160	1992-06-29	20960	2020-02-18 02:40:00+00	called about order;\tprefers email\nVIP
161	customer161@example.com	Grace Backus	+1-555-0161	1992-10-04	21091	2020-02-18 09:53:00+00	\N
162	customer162@example.com	Alan Allen	+1-555-0162	1993-01-09	21222	2020-02-18 17:06:00+00	
163	customer163@example.com	Edsger Knuth	+1-555-0163	1993-04-16	21353	2020-02-19 00:19:00+00	
164	customer164@example.com	Barbara Liskov	+1-555-0164	1993-07-22	21484	2020-02-19 07:32:00+00	
165	customer165@example.com	Donald Dijkstra	+1-555-0165	1993-10-27	21615	2020-02-19 14:45:00+00	called about order;\tprefers email\nVIP
166	customer166@example.com	Frances Turing	+1-555-0166	1994-02-01	21746	2020-02-19 21:58:00+00	
167	customer167@example.com	John Hopper	+1-555-0167	1994-05-09	21877	2020-02-20 05:11:00+00	
168	customer168@example.com	Ada Lovelace	+1-555-0168	1994-08-14	22008	2020-02-20 12:24:00+00	\N
169	customer169@example.com	Grace Backus	+1-555-0169	1994-11-19	22139	2020-02-20 19:37:00+00	
170	customer170@example.com	Alan Allen	+1-555-0170	1995-02-24	22270	2020-02-21 02:50:00+00	called about order;\tprefers email\nVIP
171	customer171@example.com	Edsger Knuth	+1-555-0171	1995-06-01	22401	2020-02-21 10:03:00+00	
172	customer172@example.com	Barbara Liskov	+1-555-0172	1995-09-06	22532	2020-02-21 17:16:00+00	
173	customer173@example.com	Donald Dijkstra	+1-555-0173	1995-12-12	22663	2020-02-22 00:29:00+00	
174	customer174@example.com	Frances Turing	+1-555-0174	1996-03-18	22794	2020-02-22 07:42:00+00	
175	customer175@example.com	John Hopper	+1-555-0175	1996-06-23	22925	2020-02-22 14:55:00+00	called about order;\tprefers email\nVIP
176	customer176@example.com	Ada Lovelace	+1-555-0176	1996-09-28	23056	2020-02-22 22:08:00+00	
177	customer177@example.com	Grace Backus	+1-555-0177	1997-01-03	23187	2020-02-23 05:21:00+00	
178	customer178@example.com	Alan Allen	+1-555-0178	1997-04-10	23318	2020-02-23 12:34:00+00	
179	customer179@example.com	Edsger Knuth	+1-555-0179	1997-07-16	23449	2020-02-23 19:47:00+00	
180	customer180@example.com	Barbara Liskov	+1-555-0180	1997-10-21	23580	2020-02-24 03:00:00+00	called about order;\tprefers email\nVIP
181	customer181@example.com	Donald Dijkstra	+1-555-0181	1998-01-26	23711	2020-02-24 10:13:00+00	
182	customer182@example.com	Frances Turing	+1-555-0182	1998-05-03	23842	2020-02-24 17:26:00+00	\N
183	customer183@example.com	John Hopper	+1-555-0183	1998-08-08	23973	2020-02-25 00:39:00+00	
184	customer184@example.com	Ada Lovelace	+1-555-0184	1998-11-13	24104	2020-02-25 07:52:00+00	
185	customer185@example.com	Grace Backus	+1-555-0185	1999-02-18	24235	2020-02-25 15:05:00+00	called about order;\tprefers email\nVIP
186	customer186@example.com	Alan Allen	+1-555-0186	1999-05-26	24366	2020-02-25 22:18:00+00	
187	customer187@example.com	Edsger Knuth	+1-555-0187	1999-08-31	24497	2020-02-26 05:31:00+00	
188	customer188@example.com	Barbara Liskov	+1-555-0188	1999-12-06	24628	2020-02-26 12:44:00+00	
189	customer189@example.com	Donald Dijkstra	+1-555-0189	2000-03-12	24759	2020-02-26 19:57:00+00	\N
190	customer190@example.com	Frances Turing	+1-555-0190	2000-06-17	24890	2020-02-27 03:10:00+00	called about order;\tprefers email\nVIP
191	customer191@example.com	John Hopper	+1-555-0191	2000-09-22	25021	2020-02-27 10:23:00+00	
192	customer192@example.com	Ada Lovelace	+1-555-0192	2000-12-28	25152	2020-02-27 17:36:00+00	
193	customer193@example.com	Grace Backus	+1-555-0193	2001-04-04	25283	2020-02-28 00:49:00+00	
194	customer194@example.com	Alan Allen	+1-555-0194	2001-07-10	25414	2020-02-28 08:02:00+00	
195	customer195@example.com	Edsger Knuth	+1-555-0195	2001-10-15	25545	2020-02-28 15:15:00+00	called about order;\tprefers email\nVIP
196	customer196@example.com	Barbara Liskov	+1-555-0196	2002-01-20	25676	2020-02-28 22:28:00+00	\N
197	customer197@example.com	Donald Dijkstra	+1-555-0197	2002-04-27	25807	2020-02-29 05:41:00+00	
198	customer198@example.com	Frances Turing	+1-555-0198	2002-08-02	25938	2020-02-29 12:54:00+00	
199	customer199@example.com	John Hopper	+1-555-0199	2002-11-07	26069	2020-02-29 20:07:00+00	
200	customer200@example.com	Ada Lovelace	+1-555-0100	2003-02-12	26200	2020-03-01 03:20:00+00	called about order;\tprefers email\nVIP
\.


--
-- Data for Name: orders; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.orders (id, customer_id, amount, status, ordered_at, shipping_address) FROM stdin;
1	18	0.37	paid	2021-01-01 03:01:00+00	1 Example Street, Springfield
2	35	0.74	shipped	2021-01-01 06:02:00+00	2 Example Street, Springfield
3	52	1.11	cancelled	2021-01-01 09:03:00+00	3 Example Street, Springfield
4	69	1.48	new	2021-01-01 12:04:00+00	4 Example Street, Springfield
5	86	1.85	paid	2021-01-01 15:05:00+00	5 Example Street, Springfield
6	103	2.22	shipped	2021-01-01 18:06:00+00	6 Example Street, Springfield
7	120	2.59	cancelled	2021-01-01 21:07:00+00	7 Example Street, Springfield
8	137	2.96	new	2021-01-02 00:08:00+00	8 Example Street, Springfield
9	154	3.33	paid	2021-01-02 03:09:00+00	9 Example Street, Springfield
10	171	3.70	shipped	2021-01-02 06:10:00+00	10 Example Street, Springfield
11	188	4.07	cancelled	2021-01-02 09:11:00+00	11 Example Street, Springfield
12	5	4.44	new	2021-01-02 12:12:00+00	12 Example Street, Springfield
13	22	4.81	paid	2021-01-02 15:13:00+00	13 Example Street, Springfield
14	39	5.18	shipped	2021-01-02 18:14:00+00	14 Example Street, Springfield
15	56	5.55	cancelled	2021-01-02 21:15:00+00	15 Example Street, Springfield
16	73	5.92	new	2021-01-03 00:16:00+00	16 Example Street, Springfield
17	90	6.29	paid	2021-01-03 03:17:00+00	17 Example Street, Springfield
18	107	6.66	shipped	2021-01-03 06:18:00+00	18 Example Street, Springfield
19	124	7.03	cancelled	2021-01-03 09:19:00+00	19 Example Street, Springfield
20	141	7.40	new	2021-01-03 12:20:00+00	20 Example Street, Springfield
21	158	7.77	paid	2021-01-03 15:21:00+00	21 Example Street, Springfield
22	175	8.14	shipped	2021-01-03 18:22:00+00	22 Example Street, Springfield
23	192	8.51	cancelled	2021-01-03 21:23:00+00	23 Example Street, Springfield
24	9	8.88	new	2021-01-04 00:24:00+00	24 Example Street, Springfield
25	26	9.25	paid	2021-01-04 03:25:00+00	25 Example Street, Springfield
26	43	9.62	shipped	2021-01-04 06:26:00+00	26 Example Street, Springfield
27	60	9.99	cancelled	2021-01-04 09:27:00+00	27 Example Street, Springfield
28	77	10.36	new	2021-01-04 12:28:00+00	28 Example Street, Springfield
29	94	10.73	paid	2021-01-04 15:29:00+00	29 Example Street, Springfield
30	111	11.10	shipped	2021-01-04 18:30:00+00	30 Example Street, Springfield
31	128	11.47	cancelled	2021-01-04 21:31:00+00	31 Example Street, Springfield
32	145	11.84	new	2021-01-05 00:32:00+00	32 Example Street, Springfield
33	162	12.21	paid	2021-01-05 03:33:00+00	33 Example Street, Springfield
34	179	12.58	shipped	2021-01-05 06:34:00+00	34 Example Street, Springfield
35	196	12.95	cancelled	2021-01-05 09:35:00+00	35 Example Street, Springfield
36	13	13.32	new	2021-01-05 12:36:00+00	36 Example Street, Springfield
37	30	13.69	paid	2021-01-05 15:37:00+00	37 Example Street, Springfield
38	47	14.06	shipped	2021-01-05 18:38:00+00	38 Example Street, Springfield
39	64	14.43	cancelled	2021-01-05 21:39:00+00	39 Example Street, Springfield
40	81	14.80	new	2021-01-06 00:40:00+00	40 Example Street, Springfield
41	98	15.17	paid	2021-01-06 03:41:00+00	41 Example Street, Springfield
42	115	15.54	shipped	2021-01-06 06:42:00+00	42 Example Street, Springfield
43	132	15.91	cancelled	2021-01-06 09:43:00+00	43 Example Street, Springfield
44	149	16.28	new	2021-01-06 12:44:00+00	44 Example Street, Springfield
45	166	16.65	paid	2021-01-06 15:45:00+00	45 Example Street, Springfield
46	183	17.02	shipped	2021-01-06 18:46:00+00	46 Example Street, Springfield
47	200	17.39	cancelled	2021-01-06 21:47:00+00	47 Example Street, Springfield
48	17	17.76	new	2021-01-07 00:48:00+00	48 Example Street, Springfield
49	34	18.13	paid	2021-01-07 03:49:00+00	49 Example Street, Springfield
50	51	18.50	shipped	2021-01-07 06:50:00+00	50 Example Street, Springfield
51	68	18.87	cancelled	2021-01-07 09:51:00+00	51 Example Street, Springfield
52	85	19.24	new	2021-01-07 12:52:00+00	52 Example Street, Springfield
53	102	19.61	paid	2021-01-07 15:53:00+00	53 Example Street, Springfield
54	119	19.98	shipped	2021-01-07 18:54:00+00	54 Example Street, Springfield
55	136	20.35	cancelled	2021-01-07 21:55:00+00	55 Example Street, Springfield
56	153	20.72	new	2021-01-08 00:56:00+00	56 Example Street, Springfield
57	170	21.09	paid	2021-01-08 03:57:00+00	57 Example Street, Springfield
58	187	21.46	shipped	2021-01-08 06:58:00+00	58 Example Street, Springfield
59	4	21.83	cancelled	2021-01-08 09:59:00+00	59 Example Street, Springfield
60	21	22.20	new	2021-01-08 13:00:00+00	60 Example Street, Springfield
61	38	22.57	paid	2021-01-08 16:01:00+00	61 Example Street, Springfield
62	55	22.94	shipped	2021-01-08 19:02:00+00	62 Example Street, Springfield
63	72	23.31	cancelled	2021-01-08 22:03:00+00	63 Example Street, Springfield
64	89	23.68	new	2021-01-09 01:04:00+00	64 Example Street, Springfield
65	106	24.05	paid	2021-01-09 04:05:00+00	65 Example Street, Springfield
66	123	24.42	shipped	2021-01-09 07:06:00+00	66 Example Street, Springfield
67	140	24.79	cancelled	2021-01-09 10:07:00+00	67 Example Street, Springfield
68	157	25.16	new	2021-01-09 13:08:00+00	68 Example Street, Springfield
69	174	25.53	paid	2021-01-09 16:09:00+00	69 Example Street, Springfield
70	191	25.90	shipped	2021-01-09 19:10:00+00	70 Example Street, Springfield
71	8	26.27	cancelled	2021-01-09 22:11:00+00	71 Example Street, Springfield
72	25	26.64	new	2021-01-10 01:12:00+00	72 Example Street, Springfield
73	42	27.01	paid	2021-01-10 04:13:00+00	73 Example Street, Springfield
74	59	27.38	shipped	2021-01-10 07:14:00+00	74 Example Street, Springfield
75	76	27.75	cancelled	2021-01-10 10:15:00+00	75 Example Street, Springfield
76	93	28.12	new	2021-01-10 13:16:00+00	76 Example Street, Springfield
77	110	28.49	paid	2021-01-10 16:17:00+00	77 Example Street, Springfield
78	127	28.86	shipped	2021-01-10 19:18:00+00	78 Example Street, Springfield
79	144	29.23	cancelled	2021-01-10 22:19:00+00	79 Example Street, Springfield
80	161	29.60	new	2021-01-11 01:20:00+00	80 Example Street, Springfield
81	178	29.97	paid	2021-01-11 04:21:00+00	81 Example Street, Springfield
82	195	30.34	shipped	2021-01-11 07:22:00+00	82 Example Street, Springfield
83	12	30.71	cancelled	2021-01-11 10:23:00+00	83 Example Street, Springfield
84	29	31.08	new	2021-01-11 13:24:00+00	84 Example Street, Springfield
85	46	31.45	paid	2021-01-11 16:25:00+00	85 Example Street, Springfield
86	63	31.82	shipped	2021-01-11 19:26:00+00	86 Example Street, Springfield
87	80	32.19	cancelled	2021-01-11 22:27:00+00	87 Example Street, Springfield
88	97	32.56	new	2021-01-12 01:28:00+00	88 Example Street, Springfield
89	114	32.93	paid	2021-01-12 04:29:00+00	89 Example Street, Springfield
90	131	33.30	shipped	2021-01-12 07:30:00+00	90 Example Street, Springfield
91	148	33.67	cancelled	2021-01-12 10:31:00+00	91 Example Street, Springfield
92	165	34.04	new	2021-01-12 13:32:00+00	92 Example Street, Springfield
93	182	34.41	paid	2021-01-12 16:33:00+00	93 Example Street, Springfield
94	199	34.78	shipped	2021-01-12 19:34:00+00	94 Example Street, Springfield
95	16	35.15	cancelled	2021-01-12 22:35:00+00	95 Example Street, Springfield
96	33	35.52	new	2021-01-13 01:36:00+00	96 Example Street, Springfield
97	50	35.89	paid	2021-01-13 04:37:00+00	97 Example Street, Springfield
98	67	36.26	shipped	2021-01-13 07:38:00+00	98 Example Street, Springfield
99	84	36.63	cancelled	2021-01-13 10:39:00+00	99 Example Street, Springfield
100	101	37.00	new	2021-01-13 13:40:00+00	100 Example Street, Springfield
101	118	37.37	paid	2021-01-13 16:41:00+00	101 Example Street, Springfield
102	135	37.74	shipped	2021-01-13 19:42:00+00	102 Example Street, Springfield
103	152	38.11	cancelled	2021-01-13 22:43:00+00	103 Example Street, Springfield
104	169	38.48	new	2021-01-14 01:44:00+00	104 Example Street, Springfield
105	186	38.85	paid	2021-01-14 04:45:00+00	105 Example Street, Springfield
106	3	39.22	shipped	2021-01-14 07:46:00+00	106 Example Street, Springfield
107	20	39.59	cancelled	2021-01-14 10:47:00+00	107 Example Street, Springfield
108	37	39.96	new	2021-01-14 13:48:00+00	108 Example Street, Springfield
109	54	40.33	paid	2021-01-14 16:49:00+00	109 Example Street, Springfield
110	71	40.70	shipped	2021-01-14 19:50:00+00	110 Example Street, Springfield
111	88	41.07	cancelled	2021-01-14 22:51:00+00	111 Example Street, Springfield
112	105	41.44	new	2021-01-15 01:52:00+00	112 Example Street, Springfield
113	122	41.81	paid	2021-01-15 04:53:00+00	113 Example Street, Springfield
114	139	42.18	shipped	2021-01-15 07:54:00+00	114 Example Street, Springfield
115	156	42.55	cancelled	2021-01-15 10:55:00+00	115 Example Street, Springfield
116	173	42.92	new	2021-01-15 13:56:00+00	116 Example Street, Springfield
117	190	43.29	paid	2021-01-15 16:57:00+00	117 Example Street, Springfield
118	7	43.66	shipped	2021-01-15 19:58:00+00	118 Example Street, Springfield
119	24	44.03	cancelled	2021-01-15 22:59:00+00	119 Example Street, Springfield
120	41	44.40	new	2021-01-16 02:00:00+00	120 Example Street, Springfield
121	58	44.77	paid	2021-01-16 05:01:00+00	121 Example Street, Springfield
122	75	45.14	shipped	2021-01-16 08:02:00+00	122 Example Street, Springfield
123	92	45.51	cancelled	2021-01-16 11:03:00+00	123 Example Street, Springfield
124	109	45.88	new	2021-01-16 14:04:00+00	124 Example Street, Springfield
125	126	46.25	paid	2021-01-16 17:05:00+00	125 Example Street, Springfield
126	143	46.62	shipped	2021-01-16 20:06:00+00	126 Example Street, Springfield
127	160	46.99	cancelled	2021-01-16 23:07:00+00	127 Example Street, Springfield
128	177	47.36	new	2021-01-17 02:08:00+00	128 Example Street, Springfield
129	194	47.73	paid	2021-01-17 05:09:00+00	129 Example Street, Springfield
130	11	48.10	shipped	2021-01-17 08:10:00+00	130 Example Street, Springfield
131	28	48.47	cancelled	2021-01-17 11:11:00+00	131 Example Street, Springfield
132	45	48.84	new	2021-01-17 14:12:00+00	132 Example Street, Springfield
133	62	49.21	paid	2021-01-17 17:13:00+00	133 Example Street, Springfield
134	79	49.58	shipped	2021-01-17 20:14:00+00	134 Example Street, Springfield
135	96	49.95	cancelled	2021-01-17 23:15:00+00	135 Example Street, Springfield
136	113	50.32	new	2021-01-18 02:16:00+00	136 Example Street, Springfield
137	130	50.69	paid	2021-01-18 05:17:00+00	137 Example Street, Springfield
138	147	51.06	shipped	2021-01-18 08:18:00+00	138 Example Street, Springfield
139	164	51.43	cancelled	2021-01-18 11:19:00+00	139 Example Street, Springfield
140	181	51.80	new	2021-01-18 14:20:00+00	140 Example Street, Springfield
141	198	52.17	paid	2021-01-18 17:21:00+00	141 Example Street, Springfield
142	15	52.54	shipped	2021-01-18 20:22:00+00	142 Example Street, Springfield
143	32	52.91	cancelled	2021-01-18 23:23:00+00	143 Example Street, Springfield
144	49	53.28	new	2021-01-19 02:24:00+00	144 Example Street, Springfield
145	66	53.65	paid	2021-01-19 05:25:00+00	145 Example Street, Springfield
146	83	54.02	shipped	2021-01-19 08:26:00+00	146 Example Street, Springfield
147	100	54.39	cancelled	2021-01-19 11:27:00+00	147 Example Street, Springfield
148	117	54.76	new	2021-01-19 14:28:00+00	148 Example Street, Springfield
149	134	55.13	paid	2021-01-19 17:29:00+00	149 Example Street, Springfield
150	151	55.50	shipped	2021-01-19 20:30:00+00	150 Example Street, Springfield
151	168	55.87	cancelled	2021-01-19 23:31:00+00	151 Example Street, Springfield
152	185	56.24	new	2021-01-20 02:32:00+00	152 Example Street, Springfield
153	2	56.61	paid	2021-01-20 05:33:00+00	153 Example Street, Springfield
154	19	56.98	shipped	2021-01-20 08:34:00+00	154 Example Street, Springfield
155	36	57.35	cancelled	2021-01-20 11:35:00+00	155 Example Street, Springfield
156	53	57.72	new	2021-01-20 14:36:00+00	156 Example Street, Springfield
157	70	58.09	paid	2021-01-20 17:37:00+00	157 Example Street, Springfield
158	87	58.46	shipped	2021-01-20 20:38:00+00	158 Example Street, Springfield
159	104	58.83	cancelled	2021-01-20 23:39:00+00	159 Example Street, Springfield
160	121	59.20	new	2021-01-21 02:40:00+00	160 Example Street, Springfield
161	138	59.57	paid	2021-01-21 05:41:00+00	161 Example Street, Springfield
162	155	59.94	shipped	2021-01-21 08:42:00+00	162 Example Street, Springfield
163	172	60.31	cancelled	2021-01-21 11:43:00+00	163 Example Street, Springfield
164	189	60.68	new	2021-01-21 14:44:00+00	164 Example Street, Springfield
165	6	61.05	paid	2021-01-21 17:45:00+00	165 Example Street, Springfield
166	23	61.42	shipped	2021-01-21 20:46:00+00	166 Example Street, Springfield
167	40	61.79	cancelled	2021-01-21 23:47:00+00	167 Example Street, Springfield
168	57	62.16	new	2021-01-22 02:48:00+00	168 Example Street, Springfield
169	74	62.53	paid	2021-01-22 05:49:00+00	169 Example Street, Springfield
170	91	62.90	shipped	2021-01-22 08:50:00+00	170 Example Street, Springfield
171	108	63.27	cancelled	2021-01-22 11:51:00+00	171 Example Street, Springfield
172	125	63.64	new	2021-01-22 14:52:00+00	172 Example Street, Springfield
173	142	64.01	paid	2021-01-22 17:53:00+00	173 Example Street, Springfield
174	159	64.38	shipped	2021-01-22 20:54:00+00	174 Example Street, Springfield
175	176	64.75	cancelled	2021-01-22 23:55:00+00	175 Example Street, Springfield
176	193	65.12	new	2021-01-23 02:56:00+00	176 Example Street, Springfield
177	10	65.49	paid	2021-01-23 05:57:00+00	177 Example Street, Springfield
178	27	65.86	shipped	2021-01-23 08:58:00+00	178 Example Street, Springfield
179	44	66.23	cancelled	2021-01-23 11:59:00+00	179 Example Street, Springfield
180	61	66.60	new	2021-01-23 15:00:00+00	180 Example Street, Springfield
181	78	66.97	paid	2021-01-23 18:01:00+00	181 Example Street, Springfield
182	95	67.34	shipped	2021-01-23 21:02:00+00	182 Example Street, Springfield
183	112	67.71	cancelled	2021-01-24 00:03:00+00	183 Example Street, Springfield
184	129	68.08	new	2021-01-24 03:04:00+00	184 Example Street, Springfield
185	146	68.45	paid	2021-01-24 06:05:00+00	185 Example Street, Springfield
186	163	68.82	shipped	2021-01-24 09:06:00+00	186 Example Street, Springfield
187	180	69.19	cancelled	2021-01-24 12:07:00+00	187 Example Street, Springfield
188	197	69.56	new	2021-01-24 15:08:00+00	188 Example Street, Springfield
189	14	69.93	paid	2021-01-24 18:09:00+00	189 Example Street, Springfield
190	31	70.30	shipped	2021-01-24 21:10:00+00	190 Example Street, Springfield
191	48	70.67	cancelled	2021-01-25 00:11:00+00	191 Example Street, Springfield
192	65	71.04	new	2021-01-25 03:12:00+00	192 Example Street, Springfield
193	82	71.41	paid	2021-01-25 06:13:00+00	193 Example Street, Springfield
194	99	71.78	shipped	2021-01-25 09:14:00+00	194 Example Street, Springfield
195	116	72.15	cancelled	2021-01-25 12:15:00+00	195 Example Street, Springfield
196	133	72.52	new	2021-01-25 15:16:00+00	196 Example Street, Springfield
197	150	72.89	paid	2021-01-25 18:17:00+00	197 Example Street, Springfield
198	167	73.26	shipped	2021-01-25 21:18:00+00	198 Example Street, Springfield
199	184	73.63	cancelled	2021-01-26 00:19:00+00	199 Example Street, Springfield
200	1	74.00	new	2021-01-26 03:20:00+00	200 Example Street, Springfield
201	18	74.37	paid	2021-01-26 06:21:00+00	201 Example Street, Springfield
202	35	74.74	shipped	2021-01-26 09:22:00+00	202 Example Street, Springfield
203	52	75.11	cancelled	2021-01-26 12:23:00+00	203 Example Street, Springfield
204	69	75.48	new	2021-01-26 15:24:00+00	204 Example Street, Springfield
205	86	75.85	paid	2021-01-26 18:25:00+00	205 Example Street, Springfield
206	103	76.22	shipped	2021-01-26 21:26:00+00	206 Example Street, Springfield
207	120	76.59	cancelled	2021-01-27 00:27:00+00	207 Example Street, Springfield
208	137	76.96	new	2021-01-27 03:28:00+00	208 Example Street, Springfield
209	154	77.33	paid	2021-01-27 06:29:00+00	209 Example Street, Springfield
210	171	77.70	shipped	2021-01-27 09:30:00+00	210 Example Street, Springfield
211	188	78.07	cancelled	2021-01-27 12:31:00+00	211 Example Street, Springfield
212	5	78.44	new	2021-01-27 15:32:00+00	212 Example Street, Springfield
213	22	78.81	paid	2021-01-27 18:33:00+00	213 Example Street, Springfield
214	39	79.18	shipped	2021-01-27 21:34:00+00	214 Example Street, Springfield
215	56	79.55	cancelled	2021-01-28 00:35:00+00	215 Example Street, Springfield
216	73	79.92	new	2021-01-28 03:36:00+00	216 Example Street, Springfield
217	90	80.29	paid	2021-01-28 06:37:00+00	217 Example Street, Springfield
218	107	80.66	shipped	2021-01-28 09:38:00+00	218 Example Street, Springfield
219	124	81.03	cancelled	2021-01-28 12:39:00+00	219 Example Street, Springfield
220	141	81.40	new	2021-01-28 15:40:00+00	220 Example Street, Springfield
221	158	81.77	paid	2021-01-28 18:41:00+00	221 Example Street, Springfield
222	175	82.14	shipped	2021-01-28 21:42:00+00	222 Example Street, Springfield
223	192	82.51	cancelled	2021-01-29 00:43:00+00	223 Example Street, Springfield
224	9	82.88	new	2021-01-29 03:44:00+00	224 Example Street, Springfield
225	26	83.25	paid	2021-01-29 06:45:00+00	225 Example Street, Springfield
226	43	83.62	shipped	2021-01-29 09:46:00+00	226 Example Street, Springfield
227	60	83.99	cancelled	2021-01-29 12:47:00+00	227 Example Street, Springfield
228	77	84.36	new	2021-01-29 15:48:00+00	228 Example Street, Springfield
229	94	84.73	paid	2021-01-29 18:49:00+00	229 Example Street, Springfield
230	111	85.10	shipped	2021-01-29 21:50:00+00	230 Example Street, Springfield
231	128	85.47	cancelled	2021-01-30 00:51:00+00	231 Example Street, Springfield
232	145	85.84	new	2021-01-30 03:52:00+00	232 Example Street, Springfield
233	162	86.21	paid	2021-01-30 06:53:00+00	233 Example Street, Springfield
234	179	86.58	shipped	2021-01-30 09:54:00+00	234 Example Street, Springfield
235	196	86.95	cancelled	2021-01-30 12:55:00+00	235 Example Street, Springfield
236	13	87.32	new	2021-01-30 15:56:00+00	236 Example Street, Springfield
237	30	87.69	paid	2021-01-30 18:57:00+00	237 Example Street, Springfield
238	47	88.06	shipped	2021-01-30 21:58:00+00	238 Example Street, Springfield
239	64	88.43	cancelled	2021-01-31 00:59:00+00	239 Example Street, Springfield
240	81	88.80	new	2021-01-31 04:00:00+00	240 Example Street, Springfield
241	98	89.17	paid	2021-01-31 07:01:00+00	241 Example Street, Springfield
242	115	89.54	shipped	2021-01-31 10:02:00+00	242 Example Street, Springfield
243	132	89.91	cancelled	2021-01-31 13:03:00+00	243 Example Street, Springfield
244	149	90.28	new	2021-01-31 16:04:00+00	244 Example Street, Springfield
245	166	90.65	paid	2021-01-31 19:05:00+00	245 Example Street, Springfield
246	183	91.02	shipped	2021-01-31 22:06:00+00	246 Example Street, Springfield
247	200	91.39	cancelled	2021-02-01 01:07:00+00	247 Example Street, Springfield
248	17	91.76	new	2021-02-01 04:08:00+00	248 Example Street, Springfield
249	34	92.13	paid	2021-02-01 07:09:00+00	249 Example Street, Springfield
250	51	92.50	shipped	2021-02-01 10:10:00+00	250 Example Street, Springfield
251	68	92.87	cancelled	2021-02-01 13:11:00+00	251 Example Street, Springfield
252	85	93.24	new	2021-02-01 16:12:00+00	252 Example Street, Springfield
253	102	93.61	paid	2021-02-01 19:13:00+00	253 Example Street, Springfield
254	119	93.98	shipped	2021-02-01 22:14:00+00	254 Example Street, Springfield
255	136	94.35	cancelled	2021-02-02 01:15:00+00	255 Example Street, Springfield
256	153	94.72	new	2021-02-02 04:16:00+00	256 Example Street, Springfield
257	170	95.09	paid	2021-02-02 07:17:00+00	257 Example Street, Springfield
258	187	95.46	shipped	2021-02-02 10:18:00+00	258 Example Street, Springfield
259	4	95.83	cancelled	2021-02-02 13:19:00+00	259 Example Street, Springfield
260	21	96.20	new	2021-02-02 16:20:00+00	260 Example Street, Springfield
261	38	96.57	paid	2021-02-02 19:21:00+00	261 Example Street, Springfield
262	55	96.94	shipped	2021-02-02 22:22:00+00	262 Example Street, Springfield
263	72	97.31	cancelled	2021-02-03 01:23:00+00	263 Example Street, Springfield
264	89	97.68	new	2021-02-03 04:24:00+00	264 Example Street, Springfield
265	106	98.05	paid	2021-02-03 07:25:00+00	265 Example Street, Springfield
266	123	98.42	shipped	2021-02-03 10:26:00+00	266 Example Street, Springfield
267	140	98.79	cancelled	2021-02-03 13:27:00+00	267 Example Street, Springfield
268	157	99.16	new	2021-02-03 16:28:00+00	268 Example Street, Springfield
269	174	99.53	paid	2021-02-03 19:29:00+00	269 Example Street, Springfield
270	191	99.90	shipped	2021-02-03 22:30:00+00	270 Example Street, Springfield
271	8	100.27	cancelled	2021-02-04 01:31:00+00	271 Example Street, Springfield
272	25	100.64	new	2021-02-04 04:32:00+00	272 Example Street, Springfield
273	42	101.01	paid	2021-02-04 07:33:00+00	273 Example Street, Springfield
274	59	101.38	shipped	2021-02-04 10:34:00+00	274 Example Street, Springfield
275	76	101.75	cancelled	2021-02-04 13:35:00+00	275 Example Street, Springfield
276	93	102.12	new	2021-02-04 16:36:00+00	276 Example Street, Springfield
277	110	102.49	paid	2021-02-04 19:37:00+00	277 Example Street, Springfield
278	127	102.86	shipped	2021-02-04 22:38:00+00	278 Example Street, Springfield
279	144	103.23	cancelled	2021-02-05 01:39:00+00	279 Example Street, Springfield
280	161	103.60	new	2021-02-05 04:40:00+00	280 Example Street, Springfield
281	178	103.97	paid	2021-02-05 07:41:00+00	281 Example Street, Springfield
282	195	104.34	shipped	2021-02-05 10:42:00+00	282 Example Street, Springfield
283	12	104.71	cancelled	2021-02-05 13:43:00+00	283 Example Street, Springfield
284	29	105.08	new	2021-02-05 16:44:00+00	284 Example Street, Springfield
285	46	105.45	paid	2021-02-05 19:45:00+00	285 Example Street, Springfield
286	63	105.82	shipped	2021-02-05 22:46:00+00	286 Example Street, Springfield
287	80	106.19	cancelled	2021-02-06 01:47:00+00	287 Example Street, Springfield
288	97	106.56	new	2021-02-06 04:48:00+00	288 Example Street, Springfield
289	114	106.93	paid	2021-02-06 07:49:00+00	289 Example Street, Springfield
290	131	107.30	shipped	2021-02-06 10:50:00+00	290 Example Street, Springfield
291	148	107.67	cancelled	2021-02-06 13:51:00+00	291 Example Street, Springfield
292	165	108.04	new	2021-02-06 16:52:00+00	292 Example Street, Springfield
293	182	108.41	paid	2021-02-06 19:53:00+00	293 Example Street, Springfield
294	199	108.78	shipped	2021-02-06 22:54:00+00	294 Example Street, Springfield
295	16	109.15	cancelled	2021-02-07 01:55:00+00	295 Example Street, Springfield
296	33	109.52	new	2021-02-07 04:56:00+00	296 Example Street, Springfield
297	50	109.89	paid	2021-02-07 07:57:00+00	297 Example Street, Springfield
298	67	110.26	shipped	2021-02-07 10:58:00+00	298 Example Street, Springfield
299	84	110.63	cancelled	2021-02-07 13:59:00+00	299 Example Street, Springfield
300	101	111.00	new	2021-02-07 17:00:00+00	0 Example Street, Springfield
301	118	111.37	paid	2021-02-07 20:01:00+00	1 Example Street, Springfield
302	135	111.74	shipped	2021-02-07 23:02:00+00	2 Example Street, Springfield
303	152	112.11	cancelled	2021-02-08 02:03:00+00	3 Example Street, Springfield
304	169	112.48	new	2021-02-08 05:04:00+00	4 Example Street, Springfield
305	186	112.85	paid	2021-02-08 08:05:00+00	5 Example Street, Springfield
306	3	113.22	shipped	2021-02-08 11:06:00+00	6 Example Street, Springfield
307	20	113.59	cancelled	2021-02-08 14:07:00+00	7 Example Street, Springfield
308	37	113.96	new	2021-02-08 17:08:00+00	8 Example Street, Springfield
309	54	114.33	paid	2021-02-08 20:09:00+00	9 Example Street, Springfield
310	71	114.70	shipped	2021-02-08 23:10:00+00	10 Example Street, Springfield
311	88	115.07	cancelled	2021-02-09 02:11:00+00	11 Example Street, Springfield
312	105	115.44	new	2021-02-09 05:12:00+00	12 Example Street, Springfield
313	122	115.81	paid	2021-02-09 08:13:00+00	13 Example Street, Springfield
314	139	116.18	shipped	2021-02-09 11:14:00+00	14 Example Street, Springfield
315	156	116.55	cancelled	2021-02-09 14:15:00+00	15 Example Street, Springfield
316	173	116.92	new	2021-02-09 17:16:00+00	16 Example Street, Springfield
317	190	117.29	paid	2021-02-09 20:17:00+00	17 Example Street, Springfield
318	7	117.66	shipped	2021-02-09 23:18:00+00	18 Example Street, Springfield
319	24	118.03	cancelled	2021-02-10 02:19:00+00	19 Example Street, Springfield
320	41	118.40	new	2021-02-10 05:20:00+00	20 Example Street, Springfield
321	58	118.77	paid	2021-02-10 08:21:00+00	21 Example Street, Springfield
322	75	119.14	shipped	2021-02-10 11:22:00+00	22 Example Street, Springfield
323	92	119.51	cancelled	2021-02-10 14:23:00+00	23 Example Street, Springfield
324	109	119.88	new	2021-02-10 17:24:00+00	24 Example Street, Springfield
325	126	120.25	paid	2021-02-10 20:25:00+00	25 Example Street, Springfield
326	143	120.62	shipped	2021-02-10 23:26:00+00	26 Example Street, Springfield
327	160	120.99	cancelled	2021-02-11 02:27:00+00	27 Example Street, Springfield
328	177	121.36	new	2021-02-11 05:28:00+00	28 Example Street, Springfield
329	194	121.73	paid	2021-02-11 08:29:00+00	29 Example Street, Springfield
330	11	122.10	shipped	2021-02-11 11:30:00+00	30 Example Street, Springfield
331	28	122.47	cancelled	2021-02-11 14:31:00+00	31 Example Street, Springfield
332	45	122.84	new	2021-02-11 17:32:00+00	32 Example Street, Springfield
333	62	123.21	paid	2021-02-11 20:33:00+00	33 Example Street, Springfield
334	79	123.58	shipped	2021-02-11 23:34:00+00	34 Example Street, Springfield
335	96	123.95	cancelled	2021-02-12 02:35:00+00	35 Example Street, Springfield
336	113	124.32	new	2021-02-12 05:36:00+00	36 Example Street, Springfield
337	130	124.69	paid	2021-02-12 08:37:00+00	37 Example Street, Springfield
338	147	125.06	shipped	2021-02-12 11:38:00+00	38 Example Street, Springfield
339	164	125.43	cancelled	2021-02-12 14:39:00+00	39 Example Street, Springfield
340	181	125.80	new	2021-02-12 17:40:00+00	40 Example Street, Springfield
341	198	126.17	paid	2021-02-12 20:41:00+00	41 Example Street, Springfield
342	15	126.54	shipped	2021-02-12 23:42:00+00	42 Example Street, Springfield
343	32	126.91	cancelled	2021-02-13 02:43:00+00	43 Example Street, Springfield
344	49	127.28	new	2021-02-13 05:44:00+00	44 Example Street, Springfield
345	66	127.65	paid	2021-02-13 08:45:00+00	45 Example Street, Springfield
346	83	128.02	shipped	2021-02-13 11:46:00+00	46 Example Street, Springfield
347	100	128.39	cancelled	2021-02-13 14:47:00+00	47 Example Street, Springfield
348	117	128.76	new	2021-02-13 17:48:00+00	48 Example Street, Springfield
349	134	129.13	paid	2021-02-13 20:49:00+00	49 Example Street, Springfield
350	151	129.50	shipped	2021-02-13 23:50:00+00	50 Example Street, Springfield
351	168	129.87	cancelled	2021-02-14 02:51:00+00	51 Example Street, Springfield
352	185	130.24	new	2021-02-14 05:52:00+00	52 Example Street, Springfield
353	2	130.61	paid	2021-02-14 08:53:00+00	53 Example Street, Springfield
354	19	130.98	shipped	2021-02-14 11:54:00+00	54 Example Street, Springfield
355	36	131.35	cancelled	2021-02-14 14:55:00+00	55 Example Street, Springfield
356	53	131.72	new	2021-02-14 17:56:00+00	56 Example Street, Springfield
357	70	132.09	paid	2021-02-14 20:57:00+00	57 Example Street, Springfield
358	87	132.46	shipped	2021-02-14 23:58:00+00	58 Example Street, Springfield
359	104	132.83	cancelled	2021-02-15 02:59:00+00	59 Example Street, Springfield
360	121	133.20	new	2021-02-15 06:00:00+00	60 Example Street, Springfield
361	138	133.57	paid	2021-02-15 09:01:00+00	61 Example Street, Springfield
362	155	133.94	shipped	2021-02-15 12:02:00+00	62 Example Street, Springfield
363	172	134.31	cancelled	2021-02-15 15:03:00+00	63 Example Street, Springfield
364	189	134.68	new	2021-02-15 18:04:00+00	64 Example Street, Springfield
365	6	135.05	paid	2021-02-15 21:05:00+00	65 Example Street, Springfield
366	23	135.42	shipped	2021-02-16 00:06:00+00	66 Example Street, Springfield
367	40	135.79	cancelled	2021-02-16 03:07:00+00	67 Example Street, Springfield
368	57	136.16	new	2021-02-16 06:08:00+00	68 Example Street, Springfield
369	74	136.53	paid	2021-02-16 09:09:00+00	69 Example Street, Springfield
370	91	136.90	shipped	2021-02-16 12:10:00+00	70 Example Street, Springfield
371	108	137.27	cancelled	2021-02-16 15:11:00+00	71 Example Street, Springfield
372	125	137.64	new	2021-02-16 18:12:00+00	72 Example Street, Springfield
373	142	138.01	paid	2021-02-16 21:13:00+00	73 Example Street, Springfield
374	159	138.38	shipped	2021-02-17 00:14:00+00	74 Example Street, Springfield
375	176	138.75	cancelled	2021-02-17 03:15:00+00	75 Example Street, Springfield
376	193	139.12	new	2021-02-17 06:16:00+00	76 Example Street, Springfield
377	10	139.49	paid	2021-02-17 09:17:00+00	77 Example Street, Springfield
378	27	139.86	shipped	2021-02-17 12:18:00+00	78 Example Street, Springfield
379	44	140.23	cancelled	2021-02-17 15:19:00+00	79 Example Street, Springfield
380	61	140.60	new	2021-02-17 18:20:00+00	80 Example Street, Springfield
381	78	140.97	paid	2021-02-17 21:21:00+00	81 Example Street, Springfield
382	95	141.34	shipped	2021-02-18 00:22:00+00	82 Example Street, Springfield
383	112	141.71	cancelled	2021-02-18 03:23:00+00	83 Example Street, Springfield
384	129	142.08	new	2021-02-18 06:24:00+00	84 Example Street, Springfield
385	146	142.45	paid	2021-02-18 09:25:00+00	85 Example Street, Springfield
386	163	142.82	shipped	2021-02-18 12:26:00+00	86 Example Street, Springfield
387	180	143.19	cancelled	2021-02-18 15:27:00+00	87 Example Street, Springfield
388	197	143.56	new	2021-02-18 18:28:00+00	88 Example Street, Springfield
389	14	143.93	paid	2021-02-18 21:29:00+00	89 Example Street, Springfield
390	31	144.30	shipped	2021-02-19 00:30:00+00	90 Example Street, Springfield
391	48	144.67	cancelled	2021-02-19 03:31:00+00	91 Example Street, Springfield
392	65	145.04	new	2021-02-19 06:32:00+00	92 Example Street, Springfield
393	82	145.41	paid	2021-02-19 09:33:00+00	93 Example Street, Springfield
394	99	145.78	shipped	2021-02-19 12:34:00+00	94 Example Street, Springfield
395	116	146.15	cancelled	2021-02-19 15:35:00+00	95 Example Street, Springfield
396	133	146.52	new	2021-02-19 18:36:00+00	96 Example Street, Springfield
397	150	146.89	paid	2021-02-19 21:37:00+00	97 Example Street, Springfield
398	167	147.26	shipped	2021-02-20 00:38:00+00	98 Example Street, Springfield
399	184	147.63	cancelled	2021-02-20 03:39:00+00	99 Example Street, Springfield
400	1	148.00	new	2021-02-20 06:40:00+00	100 Example Street, Springfield
401	18	148.37	paid	2021-02-20 09:41:00+00	101 Example Street, Springfield
402	35	148.74	shipped	2021-02-20 12:42:00+00	102 Example Street, Springfield
403	52	149.11	cancelled	2021-02-20 15:43:00+00	103 Example Street, Springfield
404	69	149.48	new	2021-02-20 18:44:00+00	104 Example Street, Springfield
405	86	149.85	paid	2021-02-20 21:45:00+00	105 Example Street, Springfield
406	103	150.22	shipped	2021-02-21 00:46:00+00	106 Example Street, Springfield
407	120	150.59	cancelled	2021-02-21 03:47:00+00	107 Example Street, Springfield
408	137	150.96	new	2021-02-21 06:48:00+00	108 Example Street, Springfield
409	154	151.33	paid	2021-02-21 09:49:00+00	109 Example Street, Springfield
410	171	151.70	shipped	2021-02-21 12:50:00+00	110 Example Street, Springfield
411	188	152.07	cancelled	2021-02-21 15:51:00+00	111 Example Street, Springfield
412	5	152.44	new	2021-02-21 18:52:00+00	112 Example Street, Springfield
413	22	152.81	paid	2021-02-21 21:53:00+00	113 Example Street, Springfield
414	39	153.18	shipped	2021-02-22 00:54:00+00	114 Example Street, Springfield
415	56	153.55	cancelled	2021-02-22 03:55:00+00	115 Example Street, Springfield
416	73	153.92	new	2021-02-22 06:56:00+00	116 Example Street, Springfield
417	90	154.29	paid	2021-02-22 09:57:00+00	117 Example Street, Springfield
418	107	154.66	shipped	2021-02-22 12:58:00+00	118 Example Street, Springfield
419	124	155.03	cancelled	2021-02-22 15:59:00+00	119 Example Street, Springfield
420	141	155.40	new	2021-02-22 19:00:00+00	120 Example Street, Springfield
421	158	155.77	paid	2021-02-22 22:01:00+00	121 Example Street, Springfield
422	175	156.14	shipped	2021-02-23 01:02:00+00	122 Example Street, Springfield
423	192	156.51	cancelled	2021-02-23 04:03:00+00	123 Example Street, Springfield
424	9	156.88	new	2021-02-23 07:04:00+00	124 Example Street, Springfield
425	26	157.25	paid	2021-02-23 10:05:00+00	125 Example Street, Springfield
426	43	157.62	shipped	2021-02-23 13:06:00+00	126 Example Street, Springfield
427	60	157.99	cancelled	2021-02-23 16:07:00+00	127 Example Street, Springfield
428	77	158.36	new	2021-02-23 19:08:00+00	128 Example Street, Springfield
429	94	158.73	paid	2021-02-23 22:09:00+00	129 Example Street, Springfield
430	111	159.10	shipped	2021-02-24 01:10:00+00	130 Example Street, Springfield
431	128	159.47	cancelled	2021-02-24 04:11:00+00	131 Example Street, Springfield
432	145	159.84	new	2021-02-24 07:12:00+00	132 Example Street, Springfield
433	162	160.21	paid	2021-02-24 10:13:00+00	133 Example Street, Springfield
434	179	160.58	shipped	2021-02-24 13:14:00+00	134 Example Street, Springfield
435	196	160.95	cancelled	2021-02-24 16:15:00+00	135 Example Street, Springfield
436	13	161.32	new	2021-02-24 19:16:00+00	136 Example Street, Springfield
437	30	161.69	paid	2021-02-24 22:17:00+00	137 Example Street, Springfield
438	47	162.06	shipped	2021-02-25 01:18:00+00	138 Example Street, Springfield
439	64	162.43	cancelled	2021-02-25 04:19:00+00	139 Example Street, Springfield
440	81	162.80	new	2021-02-25 07:20:00+00	140 Example Street, Springfield
441	98	163.17	paid	2021-02-25 10:21:00+00	141 Example Street, Springfield
442	115	163.54	shipped	2021-02-25 13:22:00+00	142 Example Street, Springfield
443	132	163.91	cancelled	2021-02-25 16:23:00+00	143 Example Street, Springfield
444	149	164.28	new	2021-02-25 19:24:00+00	144 Example Street, Springfield
445	166	164.65	paid	2021-02-25 22:25:00+00	145 Example Street, Springfield
446	183	165.02	shipped	2021-02-26 01:26:00+00	146 Example Street, Springfield
447	200	165.39	cancelled	2021-02-26 04:27:00+00	147 Example Street, Springfield
448	17	165.76	new	2021-02-26 07:28:00+00	148 Example Street, Springfield
449	34	166.13	paid	2021-02-26 10:29:00+00	149 Example Street, Springfield
450	51	166.50	shipped	2021-02-26 13:30:00+00	150 Example Street, Springfield
451	68	166.87	cancelled	2021-02-26 16:31:00+00	151 Example Street, Springfield
452	85	167.24	new	2021-02-26 19:32:00+00	152 Example Street, Springfield
453	102	167.61	paid	2021-02-26 22:33:00+00	153 Example Street, Springfield
454	119	167.98	shipped	2021-02-27 01:34:00+00	154 Example Street, Springfield
455	136	168.35	cancelled	2021-02-27 04:35:00+00	155 Example Street, Springfield
456	153	168.72	new	2021-02-27 07:36:00+00	156 Example Street, Springfield
457	170	169.09	paid	2021-02-27 10:37:00+00	157 Example Street, Springfield
458	187	169.46	shipped	2021-02-27 13:38:00+00	158 Example Street, Springfield
459	4	169.83	cancelled	2021-02-27 16:39:00+00	159 Example Street, Springfield
460	21	170.20	new	2021-02-27 19:40:00+00	160 Example Street, Springfield
461	38	170.57	paid	2021-02-27 22:41:00+00	161 Example Street, Springfield
462	55	170.94	shipped	2021-02-28 01:42:00+00	162 Example Street, Springfield
463	72	171.31	cancelled	2021-02-28 04:43:00+00	163 Example Street, Springfield
464	89	171.68	new	2021-02-28 07:44:00+00	164 Example Street, Springfield
465	106	172.05	paid	2021-02-28 10:45:00+00	165 Example Street, Springfield
466	123	172.42	shipped	2021-02-28 13:46:00+00	166 Example Street, Springfield
467	140	172.79	cancelled	2021-02-28 16:47:00+00	167 Example Street, Springfield
468	157	173.16	new	2021-02-28 19:48:00+00	168 Example Street, Springfield
469	174	173.53	paid	2021-02-28 22:49:00+00	169 Example Street, Springfield
470	191	173.90	shipped	2021-03-01 01:50:00+00	170 Example Street, Springfield
471	8	174.27	cancelled	2021-03-01 04:51:00+00	171 Example Street, Springfield
472	25	174.64	new	2021-03-01 07:52:00+00	172 Example Street, Springfield
473	42	175.01	paid	2021-03-01 10:53:00+00	173 Example Street, Springfield
474	59	175.38	shipped	2021-03-01 13:54:00+00	174 Example Street, Springfield
475	76	175.75	cancelled	2021-03-01 16:55:00+00	175 Example Street, Springfield
476	93	176.12	new	2021-03-01 19:56:00+00	176 Example Street, Springfield
477	110	176.49	paid	2021-03-01 22:57:00+00	177 Example Street, Springfield
478	127	176.86	shipped	2021-03-02 01:58:00+00	178 Example Street, Springfield
479	144	177.23	cancelled	2021-03-02 04:59:00+00	179 Example Street, Springfield
480	161	177.60	new	2021-03-02 08:00:00+00	180 Example Street, Springfield
481	178	177.97	paid	2021-03-02 11:01:00+00	181 Example Street, Springfield
482	195	178.34	shipped	2021-03-02 14:02:00+00	182 Example Street, Springfield
483	12	178.71	cancelled	2021-03-02 17:03:00+00	183 Example Street, Springfield
484	29	179.08	new	2021-03-02 20:04:00+00	184 Example Street, Springfield
485	46	179.45	paid	2021-03-02 23:05:00+00	185 Example Street, Springfield
486	63	179.82	shipped	2021-03-03 02:06:00+00	186 Example Street, Springfield
487	80	180.19	cancelled	2021-03-03 05:07:00+00	187 Example Street, Springfield
488	97	180.56	new	2021-03-03 08:08:00+00	188 Example Street, Springfield
489	114	180.93	paid	2021-03-03 11:09:00+00	189 Example Street, Springfield
490	131	181.30	shipped	2021-03-03 14:10:00+00	190 Example Street, Springfield
491	148	181.67	cancelled	2021-03-03 17:11:00+00	191 Example Street, Springfield
492	165	182.04	new	2021-03-03 20:12:00+00	192 Example Street, Springfield
493	182	182.41	paid	2021-03-03 23:13:00+00	193 Example Street, Springfield
494	199	182.78	shipped	2021-03-04 02:14:00+00	194 Example Street, Springfield
495	16	183.15	cancelled	2021-03-04 05:15:00+00	195 Example Street, Springfield
496	33	183.52	new	2021-03-04 08:16:00+00	196 Example Street, Springfield
497	50	183.89	paid	2021-03-04 11:17:00+00	197 Example Street, Springfield
498	67	184.26	shipped	2021-03-04 14:18:00+00	198 Example Street, Springfield
499	84	184.63	cancelled	2021-03-04 17:19:00+00	199 Example Street, Springfield
500	101	185.00	new	2021-03-04 20:20:00+00	200 Example Street, Springfield
501	118	185.37	paid	2021-03-04 23:21:00+00	201 Example Street, Springfield
502	135	185.74	shipped	2021-03-05 02:22:00+00	202 Example Street, Springfield
503	152	186.11	cancelled	2021-03-05 05:23:00+00	203 Example Street, Springfield
504	169	186.48	new	2021-03-05 08:24:00+00	204 Example Street, Springfield
505	186	186.85	paid	2021-03-05 11:25:00+00	205 Example Street, Springfield
506	3	187.22	shipped	2021-03-05 14:26:00+00	206 Example Street, Springfield
507	20	187.59	cancelled	2021-03-05 17:27:00+00	207 Example Street, Springfield
508	37	187.96	new	2021-03-05 20:28:00+00	208 Example Street, Springfield
509	54	188.33	paid	2021-03-05 23:29:00+00	209 Example Street, Springfield
510	71	188.70	shipped	2021-03-06 02:30:00+00	210 Example Street, Springfield
511	88	189.07	cancelled	2021-03-06 05:31:00+00	211 Example Street, Springfield
512	105	189.44	new	2021-03-06 08:32:00+00	212 Example Street, Springfield
513	122	189.81	paid	2021-03-06 11:33:00+00	213 Example Street, Springfield
514	139	190.18	shipped	2021-03-06 14:34:00+00	214 Example Street, Springfield
515	156	190.55	cancelled	2021-03-06 17:35:00+00	215 Example Street, Springfield
516	173	190.92	new	2021-03-06 20:36:00+00	216 Example Street, Springfield
517	190	191.29	paid	2021-03-06 23:37:00+00	217 Example Street, Springfield
518	7	191.66	shipped	2021-03-07 02:38:00+00	218 Example Street, Springfield
519	24	192.03	cancelled	2021-03-07 05:39:00+00	219 Example Street, Springfield
520	41	192.40	new	2021-03-07 08:40:00+00	220 Example Street, Springfield
521	58	192.77	paid	2021-03-07 11:41:00+00	221 Example Street, Springfield
522	75	193.14	shipped	2021-03-07 14:42:00+00	222 Example Street, Springfield
523	92	193.51	cancelled	2021-03-07 17:43:00+00	223 Example Street, Springfield
524	109	193.88	new	2021-03-07 20:44:00+00	224 Example Street, Springfield
525	126	194.25	paid	2021-03-07 23:45:00+00	225 Example Street, Springfield
526	143	194.62	shipped	2021-03-08 02:46:00+00	226 Example Street, Springfield
527	160	194.99	cancelled	2021-03-08 05:47:00+00	227 Example Street, Springfield
528	177	195.36	new	2021-03-08 08:48:00+00	228 Example Street, Springfield
529	194	195.73	paid	2021-03-08 11:49:00+00	229 Example Street, Springfield
530	11	196.10	shipped	2021-03-08 14:50:00+00	230 Example Street, Springfield
531	28	196.47	cancelled	2021-03-08 17:51:00+00	231 Example Street, Springfield
532	45	196.84	new	2021-03-08 20:52:00+00	232 Example Street, Springfield
533	62	197.21	paid	2021-03-08 23:53:00+00	233 Example Street, Springfield
534	79	197.58	shipped	2021-03-09 02:54:00+00	234 Example Street, Springfield
535	96	197.95	cancelled	2021-03-09 05:55:00+00	235 Example Street, Springfield
536	113	198.32	new	2021-03-09 08:56:00+00	236 Example Street, Springfield
537	130	198.69	paid	2021-03-09 11:57:00+00	237 Example Street, Springfield
538	147	199.06	shipped	2021-03-09 14:58:00+00	238 Example Street, Springfield
539	164	199.43	cancelled	2021-03-09 17:59:00+00	239 Example Street, Springfield
540	181	199.80	new	2021-03-09 21:00:00+00	240 Example Street, Springfield
541	198	200.17	paid	2021-03-10 00:01:00+00	241 Example Street, Springfield
542	15	200.54	shipped	2021-03-10 03:02:00+00	242 Example Street, Springfield
543	32	200.91	cancelled	2021-03-10 06:03:00+00	243 Example Street, Springfield
544	49	201.28	new	2021-03-10 09:04:00+00	244 Example Street, Springfield
545	66	201.65	paid	2021-03-10 12:05:00+00	245 Example Street, Springfield
546	83	202.02	shipped	2021-03-10 15:06:00+00	246 Example Street, Springfield
547	100	202.39	cancelled	2021-03-10 18:07:00+00	247 Example Street, Springfield
548	117	202.76	new	2021-03-10 21:08:00+00	248 Example Street, Springfield
549	134	203.13	paid	2021-03-11 00:09:00+00	249 Example Street, Springfield
550	151	203.50	shipped	2021-03-11 03:10:00+00	250 Example Street, Springfield
551	168	203.87	cancelled	2021-03-11 06:11:00+00	251 Example Street, Springfield
552	185	204.24	new	2021-03-11 09:12:00+00	252 Example Street, Springfield
553	2	204.61	paid	2021-03-11 12:13:00+00	253 Example Street, Springfield
554	19	204.98	shipped	2021-03-11 15:14:00+00	254 Example Street, Springfield
555	36	205.35	cancelled	2021-03-11 18:15:00+00	255 Example Street, Springfield
556	53	205.72	new	2021-03-11 21:16:00+00	256 Example Street, Springfield
557	70	206.09	paid	2021-03-12 00:17:00+00	257 Example Street, Springfield
558	87	206.46	shipped	2021-03-12 03:18:00+00	258 Example Street, Springfield
559	104	206.83	cancelled	2021-03-12 06:19:00+00	259 Example Street, Springfield
560	121	207.20	new	2021-03-12 09:20:00+00	260 Example Street, Springfield
561	138	207.57	paid	2021-03-12 12:21:00+00	261 Example Street, Springfield
562	155	207.94	shipped	2021-03-12 15:22:00+00	262 Example Street, Springfield
563	172	208.31	cancelled	2021-03-12 18:23:00+00	263 Example Street, Springfield
564	189	208.68	new	2021-03-12 21:24:00+00	264 Example Street, Springfield
565	6	209.05	paid	2021-03-13 00:25:00+00	265 Example Street, Springfield
566	23	209.42	shipped	2021-03-13 03:26:00+00	266 Example Street, Springfield
567	40	209.79	cancelled	2021-03-13 06:27:00+00	267 Example Street, Springfield
568	57	210.16	new	2021-03-13 09:28:00+00	268 Example Street, Springfield
569	74	210.53	paid	2021-03-13 12:29:00+00	269 Example Street, Springfield
570	91	210.90	shipped	2021-03-13 15:30:00+00	270 Example Street, Springfield
571	108	211.27	cancelled	2021-03-13 18:31:00+00	271 Example Street, Springfield
572	125	211.64	new	2021-03-13 21:32:00+00	272 Example Street, Springfield
573	142	212.01	paid	2021-03-14 00:33:00+00	273 Example Street, Springfield
574	159	212.38	shipped	2021-03-14 03:34:00+00	274 Example Street, Springfield
575	176	212.75	cancelled	2021-03-14 06:35:00+00	275 Example Street, Springfield
576	193	213.12	new	2021-03-14 09:36:00+00	276 Example Street, Springfield
577	10	213.49	paid	2021-03-14 12:37:00+00	277 Example Street, Springfield
578	27	213.86	shipped	2021-03-14 15:38:00+00	278 Example Street, Springfield
579	44	214.23	cancelled	2021-03-14 18:39:00+00	279 Example Street, Springfield
580	61	214.60	new	2021-03-14 21:40:00+00	280 Example Street, Springfield
581	78	214.97	paid	2021-03-15 00:41:00+00	281 Example Street, Springfield
582	95	215.34	shipped	2021-03-15 03:42:00+00	282 Example Street, Springfield
583	112	215.71	cancelled	2021-03-15 06:43:00+00	283 Example Street, Springfield
584	129	216.08	new	2021-03-15 09:44:00+00	284 Example Street, Springfield
585	146	216.45	paid	2021-03-15 12:45:00+00	285 Example Street, Springfield
586	163	216.82	shipped	2021-03-15 15:46:00+00	286 Example Street, Springfield
587	180	217.19	cancelled	2021-03-15 18:47:00+00	287 Example Street, Springfield
588	197	217.56	new	2021-03-15 21:48:00+00	288 Example Street, Springfield
589	14	217.93	paid	2021-03-16 00:49:00+00	289 Example Street, Springfield
590	31	218.30	shipped	2021-03-16 03:50:00+00	290 Example Street, Springfield
591	48	218.67	cancelled	2021-03-16 06:51:00+00	291 Example Street, Springfield
592	65	219.04	new	2021-03-16 09:52:00+00	292 Example Street, Springfield
593	82	219.41	paid	2021-03-16 12:53:00+00	293 Example Street, Springfield
594	99	219.78	shipped	2021-03-16 15:54:00+00	294 Example Street, Springfield
595	116	220.15	cancelled	2021-03-16 18:55:00+00	295 Example Street, Springfield
596	133	220.52	new	2021-03-16 21:56:00+00	296 Example Street, Springfield
597	150	220.89	paid	2021-03-17 00:57:00+00	297 Example Street, Springfield
598	167	221.26	shipped	2021-03-17 03:58:00+00	298 Example Street, Springfield
599	184	221.63	cancelled	2021-03-17 06:59:00+00	299 Example Street, Springfield
600	1	222.00	new	2021-03-17 10:00:00+00	0 Example Street, Springfield
\.


--
-- Name: customers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.customers_id_seq', 200, true);


--
-- Name: orders_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.orders_id_seq', 600, true);


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
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: orders orders_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);


--
-- PostgreSQL database dump complete
--

\unrestrict pZKU8JtSyNjdCK6Y3NBJxZetdWGhGMKfan4CcwKCfzewh6cuRpmgqoqrABBzWcO

