printf '%s\n' a b | sed '2i\inserted'
printf '%s\n' a b | sed '2a appended'
printf '%s\n' a b | sed '1i\
  indented'
