# awk: substr including mawk's start 0 rule
awk 'BEGIN {s = "hello world"; print substr(s, 1, 5), substr(s, 7), substr(s, 0, 2), substr(s, -1, 3) "|" substr(s, 20) "|"}'
