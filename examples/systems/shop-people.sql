-- Two people in the shop, neither of them in Pledge's vault.
INSERT INTO customers (id, email, name, phone, created_at) VALUES
    (1, 'ada@shop.example', 'Ada Lovelace', '+44 20 7946 0001', '2025-03-01'),
    (2, 'alan@shop.example', 'Alan Turing', '+44 20 7946 0002', '2025-04-01');
INSERT INTO addresses (id, customer_id, street, postcode) VALUES
    (10, 1, '12 Analytical Row', 'SW1A 1AA'),
    (20, 2, '1 Bletchley Park', 'MK3 6EB');
INSERT INTO orders (id, customer_id, shipping_address_id, total_pence, placed_at) VALUES
    (100, 1, 10, 2599, '2026-01-10'),
    (101, 1, 10, 1250, '2026-02-11'),
    (200, 2, 20, 999, '2026-03-12');
INSERT INTO order_lines (id, order_id, sku, quantity) VALUES
    (1000, 100, 'ENGINE-1', 1),
    (1001, 100, 'CARD-50', 2),
    (1010, 101, 'NOTE-G', 1),
    (2000, 200, 'BOMBE-1', 1);
INSERT INTO newsletter_signups (email, signed_up_at) VALUES
    ('ada@shop.example', '2025-03-02'),
    ('someone.else@shop.example', '2025-05-02');
