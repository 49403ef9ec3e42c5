{ echo banana; echo apple; echo Cherry; echo apple; } > f
sort f
sort -r f
sort -u f
sort -f f
sort -fu f
