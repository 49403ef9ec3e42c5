# awk: printf widths, flags and star
awk 'BEGIN {printf "[%5s][%-5s][%.2s][%*d][%+d][% d][%05.1f][%#x]\n", "ab", "ab", "abc", 4, 7, 5, 5, 2.25, 255}'
