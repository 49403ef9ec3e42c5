{ echo 'root:x:0:0'; echo 'bin:x:2:2'; echo 'user:x:1000:1000'; echo 'nobody:x:65534:65534'; } > p
sort -t: -k3n p
sort -t : -k3,3nr p
sort -t: -k1,1 p
sort -t: -k1.2,1.3 p
