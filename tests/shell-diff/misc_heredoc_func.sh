usage() {
cat <<EOF
usage: $1 [opts]
EOF
}
usage prog
