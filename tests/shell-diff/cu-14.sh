{ echo 'x b 2'; echo 'y a 30'; echo 'z b 1'; } > f
sort -k2 f
sort -k2,2 -k3n f
sort -k3,3n f
sort -k3,3nr f
sort -k2,2 -s f
