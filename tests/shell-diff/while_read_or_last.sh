printf 'a\nb' > f
while read -r line || [ -n "$line" ]; do echo "[$line]"; done < f
