printf '%s\n' 'net.ipv4.ip_forward = 0' 'net.ipv4.conf.all.rp_filter = 1' | sed -E 's/^([^ ]+) = (.*)$/\1=\2/;s/\./\//g'
