[ "a" == "a" ] && echo eq
[ 01 = 1 ] || echo str-ne
[ 01 -eq 1 ] && echo int-eq
