SELECT extract(year FROM DATE '2021-07-04'), date_part('month', DATE '2021-07-04')
