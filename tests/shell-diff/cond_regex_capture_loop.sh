for s in "eth0: up" "wlan1: down" "lo"; do
  if [[ $s =~ ^([a-z]+)([0-9]*):\ (up|down)$ ]]; then
    echo "if=${BASH_REMATCH[1]} n=${BASH_REMATCH[2]} state=${BASH_REMATCH[3]}"
  else
    echo "no match: $s"
  fi
done
