ping_out='64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.05 ms'
echo "$ping_out" | cut -d' ' -f4 | tr -d :
echo "$ping_out" | cut -d= -f2 | cut -d' ' -f1
echo "$ping_out" | wc -w
echo 10.0.0.1 | tr . ' ' | wc -w
