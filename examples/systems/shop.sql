-- A small shop's application database: what an organisation's own system looks like to Pledge
-- (issue 30). Portable SQL: PostgreSQL, SQLite and MariaDB take it as it is. CI loads it with a
-- few people; tests and the benchmark load it too.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email VARCHAR(320) NOT NULL UNIQUE,
    name VARCHAR(200),
    phone VARCHAR(40),
    created_at VARCHAR(40) NOT NULL
);
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    street VARCHAR(200) NOT NULL,
    postcode VARCHAR(20) NOT NULL
);
CREATE INDEX addresses_customer ON addresses (customer_id);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    shipping_address_id INTEGER REFERENCES addresses (id),
    total_pence INTEGER NOT NULL,
    placed_at VARCHAR(40) NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_address ON orders (shipping_address_id);
CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    sku VARCHAR(40) NOT NULL,
    quantity INTEGER NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id);
-- No foreign key: found from the email it holds.
CREATE TABLE newsletter_signups (
    email VARCHAR(320) NOT NULL,
    signed_up_at VARCHAR(40) NOT NULL
);
CREATE INDEX newsletter_signups_email ON newsletter_signups (email);
