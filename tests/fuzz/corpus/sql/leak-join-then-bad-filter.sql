CREATE TABLE people (id INTEGER, name VARCHAR, age INTEGER, city VARCHAR, joined DATE);
INSERT INTO people VALUES (1, 'Alice', 34, 'Paris', DATE '2021-03-04'), (2, 'Bob', NULL, 'London', DATE '2020-11-30'), (3, 'Carol', 28, NULL, DATE '2022-01-15'), (4, 'Dan', 45, 'Paris', NULL), (5, 'Eve', 28, 'Berlin', DATE '2019-07-01'), (6, 'frank', 61, 'london', DATE '2023-05-20');
CREATE TABLE orders (order_id INTEGER, person_id INTEGER, amount DOUBLE, item VARCHAR);
INSERT INTO orders VALUES (100, 1, 25.5, 'book'), (101, 1, 12.0, 'pen'), (102, 2, 99.99, 'lamp'), (103, 3, 5.25, 'pen'), (104, 7, 40.0, 'chair'), (105, NULL, 8.75, 'pen'), (106, 5, 25.5, 'book');
SELECT p.name, o.order_id, o.amount FROM people p JOIN orders o ON p.id = o.perron_id;
Alice	100	25.5
Alice	101	12.0
Bob	102	99.99
Carol	103	5.25
Eve	106	25.5
SELECT p.name, o.order_id FROM people p LEFT JOIN orders o ON p.id = o.person_id;
Alice	100
Alice	101
Bob	102
Carol	103
Dan	NULL
Eve	106
frank	NULL
SELECT p.name, o.order_id FROM people p RIGHT JOIN orders o ON p.id = o.person_id;
Alice	100
