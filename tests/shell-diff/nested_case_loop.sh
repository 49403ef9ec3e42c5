for f in a.txt b.sh c; do
  case "$f" in
    *.txt|*.md) kind=text ;;
    *.sh) kind=script ;;
    *) kind=unknown ;;
  esac
  printf '%-6s %s\n' "$f" "$kind"
done
