# awk: -F: with a numeric pattern
cat <<'EOF' | awk -F: '$3>=1000 {print $1, $6}'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
bob:x:1001:1001::/home/bob:/bin/sh
EOF
