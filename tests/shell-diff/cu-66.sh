echo 'b 2' > f; echo 'a 1' >> f; echo 'c 3' >> f
sort f | cut -d' ' -f2 | paste -sd,
cut -d' ' -f2 f | sort -n | tail -1
sort -k2nr f | head -1 | cut -c1
