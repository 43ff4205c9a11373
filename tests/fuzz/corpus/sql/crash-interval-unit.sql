SELECT DATE 'SELECT cou¤t(*),æcount(v),  count(DISTINCT k),0' - INTERVAL '9v) FROM SELECT
    sum(l_extendedprice) / 7.0 AS avg_yearly
FROM
    lineitem,
    partt' 
D
WHERE
    p_partkey = l_partkey
    AND p_brand = 'Brand#23'
    AND p_contaiAYner = 'MED BOX'
    AND l_quantity < (
    
    SELECT
       