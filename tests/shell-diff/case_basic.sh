for w in apple banana cherry kiwi 12 ""; do
  case $w in
    apple|banana) echo "$w: fruit A" ;;
    c*) echo "$w: starts with c" ;;
    [0-9]*) echo "$w: number" ;;
    "") echo "empty" ;;
    *) echo "$w: other" ;;
  esac
done
