cat > lib.sh <<'EOF'
log() { printf '[%s] %s\n' "$1" "$2"; }
VERSION=1.2
EOF
. ./lib.sh
log INFO "version $VERSION"
