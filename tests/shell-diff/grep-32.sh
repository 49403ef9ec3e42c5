echo xx > x
grep -r x x
grep -H x x x
