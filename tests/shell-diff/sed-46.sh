printf '%s\n' '# comment' '' 'key=value' '  # indented' | sed -e '/^[[:space:]]*#/d' -e '/^$/d'
