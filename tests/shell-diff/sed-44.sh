printf '%s\n' 'eth0 UP 10.0.0.1/24' 'eth1 DOWN' | sed -n 's/^\([a-z0-9]*\) UP \([0-9.]*\)\/.*/\1=\2/p'
