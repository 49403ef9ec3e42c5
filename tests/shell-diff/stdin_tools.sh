# Tools with no file read the script's stdin.
while read -r line; do
  case $line in
    stop) break ;;
  esac
  echo "loop: $line"
done
grep -n o
echo "grep: $?"
wc -l
