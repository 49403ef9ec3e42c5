# od over bytes a script writes: addresses, types side by side, `*` lines.
printf 'ab\000\001\377\n\t zz' > f
od -c f
od -A d -t x1 -t a f
od -A x -t x2 -t d1 -w4 f
printf '%040d' 0 | od -t x1
printf 'xyz' | od -A n -t u1z
od -t x1 -j 2 -N 3 f
od f missing; echo "rc=$?"
