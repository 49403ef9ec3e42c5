echo abcdefgh | cut -c2-4
echo abcdefgh | cut -b1,3,5-
echo abcdefgh | cut -c1-2,5-6 --output-delimiter=,
echo 'a	b	c' | cut -f2
{ echo 'x:y'; echo nodelim; } | cut -d: -f2
{ echo 'x:y'; echo nodelim; } | cut -s -d: -f2
