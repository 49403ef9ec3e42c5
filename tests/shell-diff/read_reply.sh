read <<< "  spaced  "; echo "[$REPLY]"
