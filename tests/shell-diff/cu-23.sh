{ echo tcp; echo udp; echo tcp; echo icmp; echo tcp; echo udp; } | sort | uniq -c | sort -rn
{ echo tcp; echo udp; echo tcp; } | sort -u | wc -l
