{ echo 'eth0 up'; echo 'lo up'; echo 'eth1 down'; echo 'br0 up'; } > links
grep up links | cut -d' ' -f1 | sort | head -2
cut -d' ' -f2 links | sort | uniq -c
sort -k2,2 -k1,1 links | tail -n 1
wc -l < links
